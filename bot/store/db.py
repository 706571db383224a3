"""Engines, sessions, the one commit-or-rollback helper, and migrations to head.

SQLite (the default) gets WAL, foreign keys, a 5 s busy timeout and
``BEGIN IMMEDIATE`` transactions: every session takes the write lock when it
begins, so concurrent writers queue on the busy timeout instead of failing
with "database is locked" when a read snapshot goes stale; SAVEPOINTs then
work as on PostgreSQL. Keep sessions short and never hold one across a call
to Twilio or Telegram.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5000


def make_engine(url: str, *, timeout: float | None = None, statement_timeout: bool = False,
                ping_after_idle: float | None = None, **kwargs) -> Engine:
    """Build an engine for ``url`` set up for Loket (SQLite pragmas, or PostgreSQL pre-ping).

    Bound parameters never appear in SQLAlchemy's exception messages (they hold
    phone numbers and message texts). ``timeout`` bounds connecting (and, on
    PostgreSQL, unanswered network writes); ``statement_timeout`` also bounds
    each statement by it, for the web tier, where Twilio gives up after 15 s.
    """
    parsed = make_url(url)
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() != "sqlite":
        if timeout is not None:
            kwargs.setdefault("pool_timeout", timeout)
            kwargs["connect_args"] = {**_postgres_timeouts(parsed, timeout, statement_timeout),
                                      **kwargs.get("connect_args", {})}
        if ping_after_idle is not None:
            engine = create_engine(parsed, pool_pre_ping=False, **kwargs)
            _ping_when_idle(engine, ping_after_idle)
            return engine
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(parsed, **kwargs)
    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    connect_args = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
    connect_args.update(kwargs.pop("connect_args", {}))
    engine = create_engine(parsed, connect_args=connect_args, **kwargs)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """Ping a pooled connection on checkout only when it sat unused for ``idle_seconds``.

    A worker under load checks a connection out several times per message, and a ping on each is a
    round trip each time. A connection in steady use is pinged by its own statements: if the server
    went away under load, the statement fails, the pool is invalidated and the turn runs again (every
    step is safe to repeat). After a quiet spell, the usual time for a restart to have happened, the
    connection is pinged first, and a dead one is replaced before anyone sees it (SQLAlchemy retries
    the checkout on ``DisconnectionError``).
    """
    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < idle_seconds:
            return
        try:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
            dbapi_connection.rollback()
        except Exception as exc:  # the driver's own error: any means the connection is unusable
            raise DisconnectionError(type(exc).__name__) from exc


def make_intake_engine(url: str, *, timeout: float | None = None) -> Engine | None:
    """The web tier's engine for recording inbound events on PostgreSQL; None elsewhere (use the main one).

    Autocommit and no pre-ping: the one INSERT per webhook is its own transaction, and a dropped
    connection is retried by ``bot.store.inbound.save_inbound`` instead of pinged before every request.
    No rollback when a connection goes back to the pool either: with autocommit there is never a
    transaction to end.
    """
    if make_url(url).get_backend_name() == "sqlite":
        return None
    return make_engine(url, timeout=timeout, statement_timeout=True, pool_pre_ping=False,
                       isolation_level="AUTOCOMMIT", pool_reset_on_return=None)


def _postgres_timeouts(parsed, timeout: float, statement_timeout: bool) -> dict:
    """libpq options: a connect timeout, TCP keep-alives and a user timeout (a black-holed server
    fails the call instead of hanging it), and optionally a statement timeout."""
    ms = max(1, int(timeout * 1000))
    options = parsed.query.get("options", "")
    options = " ".join(options) if isinstance(options, tuple) else options
    if statement_timeout:
        options = f"{options} -c statement_timeout={ms}".strip()
    args = {"connect_timeout": max(1, round(timeout)), "tcp_user_timeout": ms, "keepalives": 1,
            "keepalives_idle": max(1, round(timeout)), "keepalives_interval": 1, "keepalives_count": 3}
    if options:
        args["options"] = options
    return args


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    # Take BEGIN away from the sqlite3 module (it skips it for SELECT and SAVEPOINT).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL survives an application crash; only a power cut can lose the last commits.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _sqlite_on_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory bound to ``engine`` whose objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Yield a session; commit if the block succeeds, roll back if it raises, always close."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(url: str | None = None) -> Config:
    """Return an Alembic config for Loket's migrations, without an alembic.ini file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        # ConfigParser treats % as interpolation: a password may contain one.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url_or_engine: str | Engine, revision: str = "head", agency: str | None = None) -> None:
    """Run the migrations up to ``revision`` (default: head); running it again does nothing.

    ``agency``: the agency a single-pack database's rows move to in migration 0005 (the settings' first
    agency; without it the migration falls back to ``CONTENT_PACK``).
    """
    if isinstance(url_or_engine, str):
        engine = make_engine(url_or_engine)
        try:
            _upgrade_with(engine, revision, agency)
        finally:
            engine.dispose()
    else:
        _upgrade_with(url_or_engine, revision, agency)


def _upgrade_with(engine: Engine, revision: str, agency: str | None = None) -> None:
    config = alembic_config()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        if agency:
            config.attributes["agency"] = agency
        command.upgrade(config, revision)
        connection.commit()


def current_revision(engine: Engine) -> str | None:
    """Return the database's current migration revision, or None before the first upgrade."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
