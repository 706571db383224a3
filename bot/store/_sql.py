"""The dialect-specific INSERT that has ``on_conflict_do_nothing`` / ``on_conflict_do_update``."""
from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session


def upsert_insert(session: Session | Connection, model):
    """Return an INSERT for ``model``'s table in the dialect the session (or connection) is bound to."""
    dialect = (session.get_bind() if isinstance(session, Session) else session).dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model.__table__)
    if dialect == "sqlite":
        return sqlite.insert(model.__table__)
    raise NotImplementedError(f"no ON CONFLICT support written for {dialect}")
