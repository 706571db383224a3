"""Database fixtures for the store tests: every test runs on SQLite and on PostgreSQL.

PostgreSQL tests get their own schema (``loket_t_<run>_<n>``) in the shared
``test`` database, dropped after the test, so parallel test runs do not meet.
"""
from __future__ import annotations

import itertools
import uuid
from typing import Any, Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import make_engine, make_session_factory, upgrade

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
RUN_ID = uuid.uuid4().hex[:10]
_schema_numbers = itertools.count(1)


def _pg_admin():
    engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError:
        engine.dispose()
        return None
    return engine


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Any]:
    """An engine on the shared PostgreSQL database, or None when it is not reachable."""
    engine = _pg_admin()
    yield engine
    if engine is not None:
        with engine.begin() as conn:  # leftovers from a test that crashed mid-way
            for (schema,) in conn.execute(text(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"), {"p": f"loket_t_{RUN_ID}_%"}):
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path, pg_admin) -> Iterator[str]:
    """A URL of an empty database: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db' / 't.db'}"
        return
    if pg_admin is None:
        pytest.skip("PostgreSQL on 127.0.0.1:5432 is not reachable")
    schema = f"loket_t_{RUN_ID}_{next(_schema_numbers)}"
    with pg_admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with pg_admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def session(sessions) -> Iterator[Session]:
    """A session for the test body; the test commits when other threads must see its rows."""
    session = sessions()
    yield session
    session.rollback()
    session.close()
