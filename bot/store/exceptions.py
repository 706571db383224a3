"""Errors the store raises on purpose (database errors pass through as SQLAlchemy's)."""
from __future__ import annotations


class StoreError(Exception):
    """Base class for the store's own errors."""


class OfficerNotFound(StoreError, LookupError):
    """No active officer matches the given id or name."""


class AmbiguousOfficer(StoreError, ValueError):
    """More than one active officer has the given name; use the id."""


class DuplicateOfficer(StoreError, ValueError):
    """Another active officer already has this Telegram account or WhatsApp number."""
