"""Officers: added with a normalised phone, found by account, removed by id or name."""
from __future__ import annotations

import pytest

from bot.store.exceptions import AmbiguousOfficer, DuplicateOfficer, OfficerNotFound
from bot.store.officers import (
    add_officer,
    find_officer_by_telegram,
    find_officer_by_whatsapp,
    list_officers,
    officers_for_unit,
    remove_officer,
)


def test_add_and_find(session):
    made = add_officer(session, name="Made", role="officer", units=["kesra"], telegram_user_id=5_000_000_001,
                       whatsapp="0812-3456-7890")
    assert made.whatsapp == "+6281234567890" and made.active
    assert find_officer_by_telegram(session, 5_000_000_001).id == made.id
    assert find_officer_by_telegram(session, "5000000001").id == made.id
    assert find_officer_by_telegram(session, 7) is None
    assert find_officer_by_whatsapp(session, "whatsapp:+6281234567890").id == made.id
    assert find_officer_by_whatsapp(session, "not a phone") is None


def test_add_validates(session):
    with pytest.raises(ValueError, match="role"):
        add_officer(session, name="Made", role="boss", units=["kesra"], telegram_user_id=1)
    with pytest.raises(ValueError, match="name"):
        add_officer(session, name=" ", role="officer", units=["kesra"], telegram_user_id=1)
    with pytest.raises(ValueError, match="digits"):
        add_officer(session, name="Made", role="officer", units=["kesra"], whatsapp="12")
    add_officer(session, name="Made", role="officer", units=["kesra"], telegram_user_id=1)
    with pytest.raises(DuplicateOfficer):
        add_officer(session, name="Made 2", role="officer", units=["kesra"], telegram_user_id=1)


def test_units_roles_and_removal(session):
    made = add_officer(session, name="Made", role="officer", units=["kesra"], telegram_user_id=1)
    ketut = add_officer(session, name="Ketut", role="supervisor", units=["kesra", "dukcapil"], telegram_user_id=2)
    add_officer(session, name="Admin", role="admin", units=[], whatsapp="081111111111")
    assert [o.name for o in list_officers(session)] == ["Admin", "Ketut", "Made"]
    assert [o.name for o in list_officers(session, unit="kesra")] == ["Ketut", "Made"]
    assert [o.id for o in officers_for_unit(session, "kesra", roles=["supervisor"])] == [ketut.id]
    assert [o.id for o in officers_for_unit(session, "dukcapil")] == [ketut.id]

    assert remove_officer(session, "made").id == made.id
    assert find_officer_by_telegram(session, 1) is None
    assert [o.name for o in list_officers(session, unit="kesra")] == ["Ketut"]
    assert len(list_officers(session, include_inactive=True)) == 3
    with pytest.raises(OfficerNotFound):
        remove_officer(session, made.id)
    assert remove_officer(session, str(ketut.id)).id == ketut.id

    back = add_officer(session, name="Made", role="supervisor", units=["kesra"], telegram_user_id=1)
    assert back.id == made.id and back.active and back.role == "supervisor"


def test_remove_by_ambiguous_name(session):
    add_officer(session, name="Putu", role="officer", units=["kesra"], telegram_user_id=1)
    add_officer(session, name="Putu", role="officer", units=["kesra"], telegram_user_id=2)
    with pytest.raises(AmbiguousOfficer):
        remove_officer(session, "Putu")
    with pytest.raises(OfficerNotFound):
        remove_officer(session, "Nobody")
