"""Engines, the commit-or-rollback helper, migrations and UTC round trips."""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from bot.store.db import current_revision, make_engine, make_session_factory, session_scope, upgrade
from bot.store.models import Base, Citizen
from tests.store.factories import make_conversation

TABLES = {"inbound_events", "citizens", "conversations", "messages", "tickets", "ticket_counters",
          "ticket_events", "evidence", "officers", "sla_reminders", "digests"}


def test_upgrade_twice_is_a_no_op_and_matches_the_models(db_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # migrations are found from any working directory
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        upgrade(db_url)
        head = current_revision(engine)
        assert head is not None
        upgrade(db_url)
        upgrade(engine)
        assert current_revision(engine) == head
        assert TABLES <= set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_sqlite_engine_creates_the_folder_and_sets_pragmas(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'a' / 'b' / 'loket.db'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert os.path.isdir(tmp_path / "a" / "b")
    finally:
        engine.dispose()


def test_session_scope_commits_or_rolls_back(sessions):
    with session_scope(sessions) as session:
        make_conversation(session, "+6281111111111")
    with pytest.raises(RuntimeError):
        with session_scope(sessions) as session:
            make_conversation(session, "+6282222222222")
            raise RuntimeError("boom")
    with session_scope(sessions) as session:
        identities = session.scalars(select(Citizen.identity)).all()
    assert identities == ["+6281111111111"]


def test_savepoint_rollback_keeps_the_outer_transaction(sessions):
    with session_scope(sessions) as session:
        make_conversation(session, "+6281111111111")
        with pytest.raises(RuntimeError):
            with session.begin_nested():
                make_conversation(session, "+6282222222222")
                raise RuntimeError("undo the nested part only")
    with session_scope(sessions) as session:
        assert session.scalars(select(Citizen.identity)).all() == ["+6281111111111"]


def test_datetimes_come_back_as_aware_utc(engine):
    sessions = make_session_factory(engine)
    wita = datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("Asia/Makassar"))
    with session_scope(sessions) as session:
        citizen, _ = make_conversation(session)
        citizen.consent_at = wita
    fresh = make_session_factory(engine)
    with session_scope(fresh) as session:
        consent = session.scalars(select(Citizen.consent_at)).one()
        later = session.scalars(select(Citizen.id).where(Citizen.consent_at > wita - timedelta(minutes=1))).all()
    assert consent == wita and consent.tzinfo == timezone.utc
    assert consent.utcoffset() == timedelta(0)
    assert len(later) == 1


def test_naive_datetimes_are_refused(session):
    citizen, _ = make_conversation(session)
    citizen.consent_at = datetime(2026, 1, 1)
    with pytest.raises(Exception, match="naive datetime"):
        session.flush()


def test_a_worker_engine_replaces_a_connection_the_server_dropped_while_it_was_idle(db_url, pg_admin):
    """No ping per checkout under load; after a quiet spell a dead pooled connection is found and
    replaced before the turn uses it (a database restart overnight costs no failed first message).
    In steady use a dropped connection fails its statement once, and the next checkout gets a new one."""
    import time

    from sqlalchemy.exc import OperationalError
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has no server to lose")
    engine = make_engine(db_url, ping_after_idle=0.2)

    def backend_of_pooled() -> int:
        with engine.connect() as conn:
            return conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()

    def drop(pid: int) -> None:
        with pg_admin.begin() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    try:
        dropped = backend_of_pooled()
        drop(dropped)
        time.sleep(0.3)  # a quiet spell: the checkout pings, finds it dead and connects anew
        assert backend_of_pooled() != dropped
        drop(backend := backend_of_pooled())
        with pytest.raises(OperationalError):  # steady use: no ping, the statement itself finds out
            backend_of_pooled()
        assert backend_of_pooled() not in (backend, dropped)  # and the pool has moved on
    finally:
        engine.dispose()
