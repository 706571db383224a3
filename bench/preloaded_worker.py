"""`loket worker`, but with the job code and the content pack loaded before RQ starts forking.

Used by ``bench/pipeline_latency.py --workers preload`` only, to measure how much of the per-job cost
of RQ's forking ``Worker`` is work that each forked work horse repeats because the parent process
never did it (importing ``workers.conversation`` and the flows, parsing the content pack's YAML,
warming the calendar). Everything else is ``workers.entry.run_worker`` unchanged; no connection is
opened before the fork.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    from bot.calendar.agency import calendar_for
    from bot.content.cache import current_pack
    from bot.settings import Settings
    from workers.entry import run_worker
    import workers.conversation  # noqa: F401 -- the job function and everything it imports
    import workers.delivery  # noqa: F401

    settings = Settings.from_env()
    pack = current_pack(settings)
    calendar_for(pack, settings.agency_timezone)
    return run_worker(settings)


if __name__ == "__main__":
    sys.exit(main())
