"""Alembic migrations for Loket's database; run them with ``bot.store.db.upgrade``."""
