"""The dialect-specific INSERT that has ``on_conflict_do_nothing`` / ``on_conflict_do_update``."""
from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session


def dialect_of(session: Session | Connection) -> str:
    return (session.get_bind() if isinstance(session, Session) else session).dialect.name


def insert_for(dialect: str, model):
    """An INSERT for ``model``'s table in ``dialect``, the one that has ``on_conflict_do_nothing``/``_update``."""
    if dialect == "postgresql":
        return postgresql.insert(model.__table__)
    if dialect == "sqlite":
        return sqlite.insert(model.__table__)
    raise NotImplementedError(f"no ON CONFLICT support written for {dialect}")


def upsert_insert(session: Session | Connection, model):
    """Return an INSERT for ``model``'s table in the dialect the session (or connection) is bound to."""
    return insert_for(dialect_of(session), model)


# Statements on a turn's hot path are built once (per dialect where they differ), with bound parameters,
# and run on the session's connection: SQLAlchemy then finds their compiled form without building,
# hashing and looking up a new statement each time, and without the ORM's execute machinery. They are
# Core statements on the models' tables, so types (JSON, aware datetimes) are handled as everywhere else.
