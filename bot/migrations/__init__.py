"""Alembic migrations for Loket's database; run them with ``bot.db.upgrade``."""
