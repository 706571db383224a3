"""Loket's domain: channels, content, storage, calendar, officers."""
import os

# python-telegram-bot 22 returns durations (e.g. RetryAfter.retry_after) as timedelta
# only with this switch; without it every read raises a deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "true")
