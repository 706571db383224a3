"""Errors raised by the service-standard importer.

Only :class:`NotAStandard` ever leaves :func:`bot.standards.parse_file`: the
command line turns it into a one-line message and exit code 2, so callers never
have to guess which of the many things that can go wrong with a file happened.
"""
from __future__ import annotations


class StandardError(Exception):
    """Base class for importer errors."""


class NotAStandard(StandardError):
    """The file cannot be read as a service standard (missing, empty, binary, no known section)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason
