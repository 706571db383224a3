"""Alembic environment: run migrations on the connection ``bot.store.db.upgrade`` hands in.

Without one (e.g. the ``alembic`` command with ``-x url=...`` or a config
holding ``sqlalchemy.url``) it builds its own engine through ``bot.store.db``.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import text

from bot.store.models import Base, UTCDateTime

# Any number will do, as long as nothing else in the database uses it.
MIGRATION_LOCK_ID = 7_150_010

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database: pass a connection in config.attributes['connection'] or -x url=...")
    return url


def _render_item(type_: str, obj, autogen_context):
    """Render bot.store.models' own types as plain SQLAlchemy ones so revisions never import the models."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,
        # bot.store.db's SQLite engines BEGIN explicitly, so DDL there is transactional too.
        transactional_ddl=True,
        compare_type=True,
        render_item=_render_item,
    )


def _run(connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Two processes upgrading at once (web and worker starting) take turns.
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=_url().startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from bot.store.db import make_engine

    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
