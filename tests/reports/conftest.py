"""A database seeded with one November 2026 (WITA) of tickets and survey responses, with hand-computed figures.

Times are UTC; the period is 1–30 November in Asia/Makassar (UTC+8), that
is [2026-10-31 16:00, 2026-11-30 16:00) UTC.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.content import load_pack
from bot.store.db import session_scope
from bot.settings import PROJECT_ROOT
from bot.store.surveys import complete_response, save_partial_response
from bot.store.tickets import add_event, create_ticket
from tests.store.conftest import db_url, engine, pg_admin, sessions  # noqa: F401  (the store's database fixtures)
from tests.store.factories import make_conversation

AGENCY = "buleleng-kesra"
TZ = "Asia/Makassar"
CONFIDENTIAL_NAME = "Made Rahasia Sekali"
CONFIDENTIAL_TEXT = "Oknum petugas meminta uang pelicin"


def utc(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=timezone.utc)


#: name: (kind, channel, category, sla_class, opened, deadline, first response, closed)
TICKETS = {
    "C1": ("complaint", "whatsapp", "informasi", "ringan", utc(11, 2, 2), utc(11, 2, 5), utc(11, 2, 3), utc(11, 2, 4)),
    "C2": ("complaint", "telegram", "pelayanan", "normatif", utc(11, 3, 1), utc(11, 10, 1), utc(11, 3, 5),
           utc(11, 12, 1)),
    "C3": ("complaint", "whatsapp", "petugas", "tidak_berkadar_pengawasan", utc(11, 5), utc(11, 25), utc(11, 6),
           utc(11, 20)),
    "C4": ("complaint", "whatsapp", "pelayanan", "normatif", utc(11, 20), utc(11, 27), None, None),
    "C5": ("complaint", "telegram", "penyimpangan", "berkadar_pengawasan", utc(11, 28), utc(12, 28),
           utc(11, 28, 10), None),
    "C6": ("complaint", "whatsapp", "informasi", "ringan", utc(10, 30), utc(10, 30, 3), None, utc(11, 1)),
    "C7": ("complaint", "whatsapp", "informasi", "ringan", utc(11, 30, 15, 59), utc(11, 30, 18, 59), None, None),
    "C8": ("complaint", "whatsapp", "informasi", "ringan", utc(11, 30, 16), utc(11, 30, 19), None, None),
    "C9": ("complaint", "telegram", "informasi", "ringan", utc(10, 20), utc(10, 21), utc(10, 20, 1), utc(10, 25)),
    "C10": ("complaint", "telegram", "pelayanan", "normatif", utc(10, 28), utc(11, 4), None, None),
    "K1": ("consultation", "whatsapp", None, "normatif", utc(11, 4), utc(11, 11), utc(11, 5), utc(11, 6)),
    "K2": ("consultation", "telegram", None, "normatif", utc(11, 25), utc(12, 2), None, None),
    "P1": ("request", "whatsapp", None, "normatif", utc(10, 29), utc(11, 5), None, utc(11, 2)),
    "P2": ("request", "telegram", None, "normatif", utc(11, 10), utc(11, 17), None, utc(11, 11)),
}

#: Survey responses: (ticket, scores u1..u9 (None: not answered), profile, suggestion, completed, when)
RESPONSES = [
    ("C1", [4, 4, 3, 4, 3, 4, 4, 3, 3], {"gender": "female", "age": "30", "education": "s1", "occupation": "pns"},
     "Pelayanan cepat, terima kasih. WA saya 081234567890", True, utc(11, 2, 6)),
    ("C2", [3, 3, 2, 4, 3, 3, 3, 2, 3], {"gender": "male", "age": "40", "education": "sma", "occupation": "swasta"},
     None, True, utc(11, 12, 2)),
    ("C3", [4, 3, 3, 4, None, None, None, None, None], {}, None, False, utc(11, 20, 1)),
    ("K1", [3, 4, 3, 4, 4, 4, 4, 3, 4], {}, "Tambah kursi di ruang tunggu", True, utc(11, 6, 2)),
    ("C9", [1, 1, 1, 1, 1, 1, 1, 1, 1], {}, "Oktober: tidak dihitung", True, utc(10, 31, 15)),
]

#: The hand-computed figures of November 2026 (see the comments for each).
EXPECTED = {
    "agency": AGENCY,
    "period": "2026-11",
    "complaints": {
        "received": 6,  # C1 C2 C3 C4 C5 C7 (C7 at 23:59 WITA on 30 Nov; C8 at 00:00 on 1 Dec is December's)
        "by_channel": {"telegram": 2, "whatsapp": 4},
        "by_class": {"berkadar_pengawasan": 1, "normatif": 2, "ringan": 2, "tidak_berkadar_pengawasan": 1},
        "closed_in_time": 2,  # C1, C3
        "closed_late": 2,  # C2 (12 Nov > 10 Nov), C6 (opened in October)
        "open_at_end": 4,  # C4 C5 C7 C10
        "overdue_at_end": 2,  # C4 (27 Nov), C10 (4 Nov)
        "median_hours_to_first_response": 7.0,  # C1 1 h, C2 4 h, C5 10 h, C3 24 h -> (4 + 10) / 2
        "median_hours_to_close": 132.0,  # C1 2 h, C6 48 h, C2 216 h, C3 360 h -> (48 + 216) / 2
    },
    "requests": {"received": 3, "served": 3},  # received K1 K2 P2; served K1 P1 P2
    "skm": {
        "responses": 4,
        "min_respondents": 7,  # population: 7 transactions closed in November (C1 C2 C3 C6 K1 P1 P2)
        # u1 14/4, u2 14/4, u3 11/4, u4 16/4; u5..u9 over the 3 who went on: 10/3, 11/3, 11/3, 8/3, 10/3
        "nrr": {"u1": 3.5, "u2": 3.5, "u3": 2.75, "u4": 4.0, "u5": 3.33, "u6": 3.67, "u7": 3.67, "u8": 2.67,
                "u9": 3.33},
        "ikm": 84.49,  # (55/4 + 50/3) / 9 * 25 = 9125/108 = 84.4907...
        "grade": "B",
        "grade_words": "Baik",
    },
}


@pytest.fixture(scope="session")
def pack():
    return load_pack(PROJECT_ROOT / "content" / AGENCY)


@pytest.fixture
def seeded(sessions):  # noqa: F811
    """The November database; returns the session factory."""
    return seed(sessions)


def seed(sessions):  # noqa: F811
    """Write ``TICKETS`` and ``RESPONSES`` into the database behind ``sessions``; return ``sessions``."""
    with session_scope(sessions) as session:
        tickets = {}
        for i, (name, (kind, channel, category, sla, opened, deadline, first, closed)) in enumerate(TICKETS.items()):
            citizen, conversation = make_conversation(session, f"+62812000000{i:02d}", channel, "Warga")
            confidential = name == "C3"
            ticket, _ = create_ticket(
                session, conversation=conversation, citizen=citizen, draft_key=name, kind=kind,
                prefix={"complaint": "ADU", "consultation": "KON", "request": "PMH"}[kind], unit="kesra",
                sla_class=sla, deadline_at=deadline, opened_at=opened, category=category,
                identity_mode="confidential" if confidential else "named",
                reporter_name=CONFIDENTIAL_NAME if confidential else "Wayan",
                description=CONFIDENTIAL_TEXT if confidential else "Jalan rusak")
            if first is not None:
                add_event(session, ticket, "officer", "replied", text="Sedang kami periksa", public=True, at=first)
            add_event(session, ticket, "officer", "noted", text="catatan internal", public=False, at=opened)
            if closed is not None:
                add_event(session, ticket, "officer", "answered", text="Selesai", public=True, at=closed)
                ticket.status, ticket.closed_at = "closed", closed
            tickets[name] = ticket.number
    for ref, scores, profile, suggestion, completed, at in RESPONSES:
        save = complete_response if completed else save_partial_response
        save(sessions, agency=AGENCY, transaction_ref=tickets[ref], kind=TICKETS[ref][0], channel=TICKETS[ref][1],
             scores=dict(zip([f"u{i}" for i in range(1, 10)], scores)), profile=profile, suggestion=suggestion,
             unit="kesra", service_id="konsultasi" if ref == "K1" else "pembinaan-masyarakat", at=at)
    return sessions
