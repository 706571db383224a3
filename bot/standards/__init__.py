"""Service-standard importer: read an agency's *Standar Pelayanan* document.

``parse_standard(text)`` returns the "Parsed service" object of
shared/INTERFACE.md (plus ``complaint_flow``); ``parse_file(path)`` reads a
file and refuses what is not a standard with :class:`NotAStandard`;
:func:`bot.standards.command.import_standard_command` is the body of
``loket import-standard``.
"""
from __future__ import annotations

from .errors import NotAStandard, StandardError
from .files import parse_file
from .parse import KEYS, empty_result, parse_document


def parse_standard(text: str) -> dict:
    """Parse a service-standard text. Never raises: problems end up in ``warnings``.

    A bug in the parser must not stop an import; it is reported as a warning
    with an empty result instead (the tests call :func:`parse_standard_strict`).
    """
    try:
        return parse_standard_strict(text)
    except Exception as exc:  # noqa: BLE001 - the contract is "never crash"
        result = empty_result()
        result["warnings"].append(f"internal parser error: {exc!r}")
        return result


def parse_standard_strict(text: str) -> dict:
    """Like :func:`parse_standard` but lets internal errors through (for tests)."""
    if not isinstance(text, str):
        raise TypeError("parse_standard expects a str")
    return parse_document(text)[0]


__all__ = ["KEYS", "NotAStandard", "StandardError", "parse_file", "parse_standard", "parse_standard_strict"]
