"""A turn's hot-path statements, run on PostgreSQL straight on the driver's cursor, in the session's transaction.

A worker runs about eight statements a turn. Through SQLAlchemy each one costs its cache lookup,
parameter building, execution context and result wrapping on top of the driver's own work: 180 µs of
CPU against 98 µs for the same SELECT on the psycopg cursor (measured in bench/README.md, fifth round).
That was a tenth of a worker's CPU a message. These statements are prebuilt Core statements on the
models' tables (bot/store/_sql.py), so each is compiled here once, with its constant parameters, bind
processors (aware datetimes, JSON) and result processors taken from SQLAlchemy's own compilation, and
then only those are applied per call: the driver gets the very SQL and parameters SQLAlchemy would
have sent it.

Other databases (SQLite) go through ``Connection.execute`` as before. Driver errors leave as
SQLAlchemy's (``DBAPIError.instance``), and a connection the server dropped is invalidated, so callers
and the pool see what they would through SQLAlchemy.
"""
from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class _Compiled:
    statement: Any  # kept so that its id is not reused while this entry lives
    sql: str
    fixed: dict[str, Any]
    binds: tuple[tuple[str, Callable], ...]
    row: type | None
    results: tuple[tuple[int, Callable], ...]


_COMPILED: dict[tuple[int, str], _Compiled] = {}
# Statements are built once, at import or by a cached builder; a caller that built one per call would
# grow the cache without end, and is sent SQLAlchemy's way instead past this many.
_MOST = 256


def run(on: Session | Connection, statement, params: dict[str, Any]):
    """Execute ``statement`` with ``params``: a ``Rows`` on PostgreSQL, SQLAlchemy's ``Result`` elsewhere.

    Both answer ``one``, ``one_or_none``, ``scalar``, ``scalar_one_or_none``, ``all`` and ``rowcount``.
    """
    conn = on.connection() if isinstance(on, Session) else on
    if conn.dialect.name != "postgresql" or (len(_COMPILED) >= _MOST and (id(statement), conn.dialect.driver)
                                             not in _COMPILED):
        return conn.execute(statement, params)
    compiled = _compiled(conn, statement)
    args = dict(compiled.fixed)
    args.update(params)
    for name, process in compiled.binds:
        args[name] = process(args[name])
    driver = conn.connection.driver_connection
    import psycopg
    try:
        with driver.cursor() as cursor:
            cursor.execute(compiled.sql, args)
            if cursor.description is None:
                return Rows([], cursor.rowcount)
            rows = cursor.fetchall()
            count = cursor.rowcount
    except psycopg.Error as exc:
        if driver.broken:
            conn.invalidate(exc)
        raise DBAPIError.instance(compiled.sql, None, exc, psycopg.Error, hide_parameters=True,
                                  connection_invalidated=driver.broken) from exc
    if compiled.results:
        rows = [_processed(row, compiled.results) for row in rows]
    return Rows([compiled.row._make(row) for row in rows], count)


def _processed(row: tuple, results: tuple[tuple[int, Callable], ...]) -> list:
    values = list(row)
    for index, process in results:
        values[index] = process(values[index])
    return values


def _compiled(conn: Connection, statement) -> _Compiled:
    key = (id(statement), conn.dialect.driver)
    found = _COMPILED.get(key)
    if found is not None:
        return found
    dialect = conn.dialect
    compiled = statement.compile(dialect=dialect)
    # The caller's parameters are the required ones; the rest are the statement's constants. IN lists of
    # constants are expanded into the SQL here, as SQLAlchemy does on every call.
    given = {name for name, bind in compiled.binds.items() if bind.required}
    if any(compiled.binds[name].expanding for name in given):
        raise ValueError("a hot statement's parameters are single values, not IN lists")
    expanded = compiled.construct_expanded_state(dict.fromkeys(given))
    # Bind processors (aware datetimes, JSON): the constants' applied once here, the caller's per call.
    processors = {**compiled._bind_processors, **(expanded.processors or {})}
    fixed = {name: processors[name](value) if name in processors else value
             for name, value in expanded.parameters.items() if name not in given}
    binds = tuple((name, processors[name]) for name in sorted(given) if name in processors)
    columns = compiled._result_columns
    row = namedtuple("Row", [column[0] for column in columns], rename=True) if columns else None
    results = tuple((index, process) for index, column in enumerate(columns)
                    if (process := column[3]._cached_result_processor(dialect, None)) is not None)
    found = _COMPILED[key] = _Compiled(statement, expanded.statement, fixed, binds, row, results)
    return found


class Rows:
    """The rows of one statement, read the way callers read SQLAlchemy's ``Result``."""

    __slots__ = ("_rows", "rowcount")

    def __init__(self, rows: list, rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    def all(self) -> list:
        return list(self._rows)

    def one_or_none(self):
        if len(self._rows) > 1:
            raise _multiple()
        return self._rows[0] if self._rows else None

    def one(self):
        if len(self._rows) != 1:
            raise _multiple() if self._rows else _none()
        return self._rows[0]

    def scalar(self):
        return self._rows[0][0] if self._rows else None

    def scalar_one_or_none(self):
        row = self.one_or_none()
        return None if row is None else row[0]


def _multiple():
    from sqlalchemy.exc import MultipleResultsFound
    return MultipleResultsFound("Multiple rows were found when one or none was required")


def _none():
    from sqlalchemy.exc import NoResultFound
    return NoResultFound("No row was found when one was required")
