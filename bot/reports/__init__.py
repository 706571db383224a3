"""Periodic reports: the figures agencies must file (complaint recap, requests, SKM/IKM) as JSON, CSV, XLSX and PDF."""
