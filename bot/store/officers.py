"""Officers: who works which units, found by their Telegram account or WhatsApp number."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.store.models import DEFAULT_AGENCY, OFFICER_ROLES, Officer, utcnow
from bot.channels.phone import to_e164
from bot.store.exceptions import AmbiguousOfficer, DuplicateOfficer, OfficerNotFound


def add_officer(session: Session, *, name: str, role: str, units: Iterable[str],
                telegram_user_id: int | None = None, whatsapp: str | None = None,
                agency_id: str = DEFAULT_AGENCY) -> Officer:
    """Add an officer (or bring back a removed one with the same account); returns the officer.

    Raises ValueError for a bad role, name or phone, and DuplicateOfficer when
    an active officer already uses the Telegram account or WhatsApp number.
    """
    name = (name or "").strip()
    if not name:
        raise ValueError("name is required")
    if role not in OFFICER_ROLES:
        raise ValueError(f"role must be one of {', '.join(OFFICER_ROLES)}, got {role!r}")
    units = [units] if isinstance(units, str) else list(units)
    units = [str(u).strip() for u in units if str(u).strip()]
    if isinstance(telegram_user_id, str):
        telegram_user_id = int(telegram_user_id)
    phone = to_e164(whatsapp) if whatsapp else None
    clauses = []
    if telegram_user_id is not None:
        clauses.append(Officer.telegram_user_id == telegram_user_id)
    if phone is not None:
        clauses.append(Officer.whatsapp == phone)
    same = session.scalars(select(Officer).where(or_(*clauses))).all() if clauses else []
    if any(o.active for o in same):
        raise DuplicateOfficer("an active officer already has this Telegram account or WhatsApp number")
    if len(same) > 1:
        raise DuplicateOfficer("the Telegram account and WhatsApp number belong to two removed officers")
    officer = same[0] if same else Officer(created_at=utcnow())
    officer.name, officer.role, officer.units, officer.active = name, role, units, True
    officer.agency_id = agency_id
    officer.telegram_user_id, officer.whatsapp = telegram_user_id, phone
    session.add(officer)
    session.flush()
    return officer


def list_officers(session: Session, unit: str | None = None, include_inactive: bool = False,
                  agency_id: str | None = None) -> list[Officer]:
    """Return officers by name, optionally only ``agency_id``'s and only those working ``unit``."""
    query = select(Officer).order_by(Officer.name, Officer.id)
    if agency_id is not None:
        query = query.where(Officer.agency_id == agency_id)
    if not include_inactive:
        query = query.where(Officer.active.is_(True))
    officers = session.scalars(query).all()
    # Units live in a JSON list; the list of officers is short, so filter here.
    return [o for o in officers if unit is None or unit in (o.units or [])]


def get_officer(session: Session, officer_id: int) -> Officer | None:
    """Return the officer with this id (active or not), or None."""
    return session.get(Officer, officer_id)


def remove_officer(session: Session, id_or_name: int | str) -> Officer:
    """Deactivate an officer by id or exact name (their tickets and events keep pointing at them)."""
    officer: Officer | None = None
    if isinstance(id_or_name, int) or str(id_or_name).strip().isdigit():
        officer = session.get(Officer, int(id_or_name))
        if officer is not None and not officer.active:
            officer = None
    else:
        wanted = str(id_or_name).strip().casefold()
        matches = [o for o in list_officers(session) if o.name.casefold() == wanted]
        if len(matches) > 1:
            raise AmbiguousOfficer(f"{len(matches)} officers have that name; remove by id")
        officer = matches[0] if matches else None
    if officer is None:
        raise OfficerNotFound("no active officer with that id or name")
    officer.active = False
    session.flush()
    return officer


def find_officer_by_telegram(session: Session, user_id: int | str) -> Officer | None:
    """Return the active officer with this Telegram user id, or None."""
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    return session.scalars(
        select(Officer).where(Officer.telegram_user_id == user_id, Officer.active.is_(True))
    ).one_or_none()


def find_officer_by_whatsapp(session: Session, phone: str) -> Officer | None:
    """Return the active officer with this WhatsApp number (any common spelling), or None."""
    try:
        phone = to_e164(phone)
    except ValueError:
        return None
    return session.scalars(
        select(Officer).where(Officer.whatsapp == phone, Officer.active.is_(True))
    ).one_or_none()


def officers_for_unit(session: Session, unit: str, roles: Iterable[str] | None = None,
                      agency_id: str = DEFAULT_AGENCY) -> list[Officer]:
    """Return the active officers of the agency's ``unit`` (unit ids repeat across agencies), optionally
    only those with one of ``roles``."""
    wanted = None if roles is None else set(roles)
    return [o for o in list_officers(session, unit, agency_id=agency_id) if wanted is None or o.role in wanted]
