"""How the SLA watch, the digest and an officer's list cost as tickets pile up.

Seeds a database with N tickets spread over 50 agencies, one unit each (a regency-wide deployment;
95 % closed, the rest open, waiting or late with their reminders already sent, like a year of work),
makes a few tickets due for a reminder, and times:

* ``scan (catch-up)``: the first SLA scan, which sends (claims) the due reminders;
* ``scan (steady)``: the next minute's scan with nothing new due: what every minute costs;
* ``digest``: one unit's morning digest;
* ``officer list``: one unit's open tickets (``/tiket``).

A per-minute job must not grow with the history: compare the figures at 10k and 1M tickets.
Prints a table and writes JSON to ``bench/results/``.

    .venv/bin/python bench/sla_scale.py --db postgres --tickets 10000,1000000
"""
from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS, make_database, now_stamp, redis_url  # noqa: E402

UNITS = 50
DUE_NOW = 40  # tickets whose 50 % reminder falls due in the catch-up scan


def _columns(table) -> list[str]:
    return [c.name for c in table.columns if c.name != "id"]


def _rows(n: int, now, convo_id: int, rng: random.Random):
    """Ticket rows as dicts: a year of history, most closed, the open ones mostly already reminded."""
    for i in range(n):
        opened = now - timedelta(minutes=rng.randrange(60, 365 * 24 * 60))
        roll = rng.random()
        status = ("closed" if roll < 0.95 else "in_progress" if roll < 0.98 else
                  "new" if roll < 0.99 else "waiting_citizen")
        deadline = opened + timedelta(days=7)
        yield {
            "number": f"B{i:08d}", "kind": "complaint", "conversation_id": convo_id, "citizen_id": None,
            "agency_id": f"agency-{i % UNITS:02d}", "draft_key": f"bench-{i}", "service_id": None, "category": "pelayanan", "unit": "kesra",
            "sla_class": "normatif", "opened_at": opened, "deadline_at": deadline, "status": status,
            "assignee_id": None, "identity_mode": "anonymous", "reporter_name": None, "description": "",
            "place": None, "location": None, "occurred": None, "details": {}, "lang": "id",
            "last_public_update": None, "last_public_update_at": None,
            "closed_at": opened + timedelta(days=2) if status == "closed" else None, "updated_at": now,
        }


def seed(engine, n: int, now) -> None:
    from sqlalchemy import insert, select, text

    from bot.store.models import Citizen, Conversation, SlaReminder, Ticket
    rng = random.Random(7)
    with engine.begin() as conn:
        citizen = conn.execute(insert(Citizen.__table__).values(channel="whatsapp", identity="+620000000000",
                                                                 created_at=now).returning(Citizen.id)).scalar_one()
        convo = conn.execute(insert(Conversation.__table__).values(
            citizen_id=citizen, channel="whatsapp", instance="whatsapp", agency_id="agency-00", chat_id="bench",
            lang="id", created_at=now)
            .returning(Conversation.id)).scalar_one()
    table = Ticket.__table__
    extra = {}
    if "next_check_at" in table.c:  # the indexed schedule of the SLA watch, where the schema has it
        extra = {"next_check_at": None}
    names = _columns(table)
    rows = (dict(r, **extra) for r in _rows(n, now, convo, rng))
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            with raw.cursor() as cur:
                with cur.copy(f"COPY tickets ({', '.join(names)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([json.dumps(row[c]) if c in ("details", "location") and row[c] is not None
                                        else row[c] for c in names])
            raw.commit()
        finally:
            raw.close()
    else:
        with engine.begin() as conn:
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == 5000:
                    conn.execute(insert(table), batch)
                    batch = []
            if batch:
                conn.execute(insert(table), batch)
    with engine.begin() as conn:
        # Late open tickets have had every reminder already (a year of scans ran before).
        late = conn.execute(select(Ticket.id, Ticket.agency_id).where(Ticket.status.in_(("new", "in_progress")),
                                                                      Ticket.deadline_at < now)).all()
        if late:
            conn.execute(insert(SlaReminder.__table__), [
                {"ticket_id": t, "agency_id": a, "kind": k, "sent_at": now} for t, a in late
                for k in ("r50", "r80", "breach", "late_notice")])
        # A few fresh tickets reach 50 % now; the rest of the open ones are not yet due.
        fresh = list(conn.scalars(select(Ticket.id).where(Ticket.status.in_(("new", "in_progress")),
                                                           Ticket.deadline_at >= now).limit(DUE_NOW)))
        if fresh:
            conn.execute(Ticket.__table__.update().where(Ticket.id.in_(fresh)).values(
                opened_at=now - timedelta(days=6, hours=20), deadline_at=now + timedelta(days=1)))
        if "next_check_at" in table.c:
            conn.execute(text("UPDATE tickets SET next_check_at = opened_at WHERE status IN ('new', 'in_progress')"
                              " AND id NOT IN (SELECT ticket_id FROM sla_reminders)"))
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))


def agencies_content(workdir: Path) -> Path:
    """50 agencies in one deployment: copies of the Buleleng pack as ``agency-00`` … ``agency-49``."""
    import shutil

    from bot.settings import PROJECT_ROOT
    folder = workdir / "content"
    shutil.copytree(PROJECT_ROOT / "content" / "_defaults", folder / "_defaults")
    for n in range(UNITS):
        pack = folder / f"agency-{n:02d}"
        shutil.copytree(PROJECT_ROOT / "content" / "buleleng-kesra", pack)
        agency = pack / "agency.yaml"
        agency.write_text(agency.read_text(encoding="utf-8").replace("id: buleleng-kesra", f"id: agency-{n:02d}", 1),
                          encoding="utf-8")
    return folder


def _time(fn, repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs) * 1000


def measure(kind: str, n: int, workdir: Path) -> dict:
    from redis import Redis

    from bot.store.db import make_engine
    from bot.store.models import Ticket, utcnow
    from bot.settings import PROJECT_ROOT, Settings
    from bot.store.tickets import list_tickets
    from workers import runtime as runtime_module
    from workers import sla_watch
    from workers.digest import build_digest

    db = make_database(kind, workdir)
    try:
        engine = make_engine(db.url)
        now = utcnow().replace(microsecond=0)
        started = time.perf_counter()
        seed(engine, n, now)
        seeded = time.perf_counter() - started
        settings = Settings(database_url=db.url, redis_url=redis_url(), content_dir=agencies_content(workdir),
                            agencies="all", content_pack="agency-00", secret_key="bench-secret")
        redis = Redis.from_url(settings.redis_url)
        redis.flushdb()
        rt = runtime_module.build(settings, redis)
        runtime_module.set_runtime(rt)
        try:
            t0 = time.perf_counter()
            caught_up = sla_watch.scan(now)
            catch_up_ms = (time.perf_counter() - t0) * 1000
            steady_ms = _time(lambda: sla_watch.scan(now))
            cal = rt.calendar
            with rt.sessions() as session:
                digest_ms = _time(lambda: build_digest(rt.sessions, rt.pack_for("agency-07"), cal, "kesra", now,
                                                       now - timedelta(days=1), "agency-07"))
                list_ms = _time(lambda: list_tickets(session, ["kesra"], status=("new", "in_progress"),
                                                     agency_id="agency-07"))
                open_count = session.query(Ticket).filter(Ticket.status != "closed").count()
        finally:
            runtime_module.set_runtime(None)
            redis.flushdb()
            redis.close()
        engine.dispose()
        return {"db": kind, "tickets": n, "open": open_count, "seed_s": round(seeded, 1),
                "scan_catch_up_ms": round(catch_up_ms, 1), "reminders_claimed": caught_up,
                "scan_steady_ms": round(steady_ms, 2), "digest_ms": round(digest_ms, 2),
                "officer_list_ms": round(list_ms, 2)}
    finally:
        db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="postgres", choices=["sqlite", "postgres"])
    parser.add_argument("--tickets", default="10000,1000000", help="comma-separated ticket counts")
    args = parser.parse_args(argv)
    import logging
    import tempfile
    logging.disable(logging.WARNING)  # "no officer to tell": the bench registers none, on purpose
    results = []
    for n in [int(x) for x in args.tickets.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            results.append(measure(args.db, n, Path(tmp)))
        r = results[-1]
        print(f"{r['db']:8} {r['tickets']:>9,} tickets ({r['open']:,} open, seeded in {r['seed_s']} s): "
              f"scan catch-up {r['scan_catch_up_ms']} ms ({r['reminders_claimed']} sent), "
              f"scan steady {r['scan_steady_ms']} ms, digest {r['digest_ms']} ms, "
              f"officer list {r['officer_list_ms']} ms", flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"sla_scale-{now_stamp()}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
