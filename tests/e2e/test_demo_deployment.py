"""The demo's deployment in one process, through the simulator's API: no credentials anywhere.

The shipped content/_demo/ laid out as ``loket demo`` does, its officers registered; every number and
bot is played by the simulator, so what each side sees is read from the lists the page reads.
"""
from __future__ import annotations

import re
import uuid

import pytest

from bot.store.db import session_scope
from bot.settings import PROJECT_ROOT
from cli.demo_deployment import lay_out, load_demo, register_officers
from tests.conftest import make_settings
from tests.system import Loket

KESRA_GROUP, BANGLI_GROUP = "-1001000000001", "-1001000000002"  # content/_demo/demo.yaml
SARI = "1000001"  # Kesra's supervisor


@pytest.fixture
def loket(database_url, redis, redis_url, tmp_path):
    demo = load_demo(PROJECT_ROOT / "content")
    folder = tmp_path / "demo-content"
    folder.mkdir()
    lay_out(demo, PROJECT_ROOT / "content", folder)
    settings = make_settings(database_url, redis_url, tmp_path, content_dir=folder, agencies=",".join(demo.agencies))
    assert not settings.telegram_bot_token and not settings.twilio_account_sid
    system = Loket(settings, redis)
    with session_scope(system.sessions) as session:
        register_officers(session, demo)
    yield system
    system.close()


def citizen(loket, session: str, instance: str, text: str = "", callback: str | None = None):
    return loket.client.post("/simulator/api/send", json={"session": session, "instance": instance, "text": text,
                                                           "callback": callback})


def officers(loket) -> dict[str, dict]:
    return {o["name"]: o for o in loket.client.get("/simulator/api/officers").get_json()["officers"]}


def officer(loket, name: str, chat: str, text: str = "", callback: str | None = None):
    return loket.client.post("/simulator/api/officer/send", json={"officer": officers(loket)[name]["id"], "chat": chat,
                                                                   "text": text, "callback": callback})


def seen(loket, instance: str, chat: str) -> list[dict]:
    key = "session" if not re.fullmatch(r"-?\d+", chat) else "chat"
    response = loket.client.get(f"/simulator/api/messages?instance={instance}&{key}={chat}&after=0")
    assert response.status_code == 200
    return response.get_json()["messages"]


def test_each_officer_is_offered_their_units_group_and_private_chat_on_their_agencys_bot(loket):
    listed = officers(loket)
    assert set(listed) == {"Sari Wulandari", "Made Arsana", "Komang Sudiarta"}
    komang = listed["Komang Sudiarta"]
    assert (komang["instance"], komang["agency"]) == ("tg-bangli", "DPMPTSP Bangli")
    assert [(c["chat"], c["group"]) for c in komang["chats"]] == [(BANGLI_GROUP, True), ("1000003", False)]
    assert listed["Sari Wulandari"]["instance"] == "tg-kesra"


def test_a_complaint_on_kesras_number_is_noticed_in_kesras_group_and_the_officers_reply_reaches_the_citizen(loket):
    session = f"warga-{uuid.uuid4().hex[:8]}"
    for text in ("halo", "pengaduan", "1", "Petugas loket meminta biaya untuk surat rekomendasi",
                 "Kantor Bupati Buleleng", "Kamis lalu", "2", "lewati", "3", "1"):
        assert citizen(loket, session, "wa-kesra", text).status_code == 202
    loket.work()
    chat = seen(loket, "wa-kesra", session)
    assert "Setda Kabupaten Buleleng" in chat[0]["text"]
    number = re.search(r"ADU-\d{4}-\d{4}", chat[-1]["text"]).group(0)

    # The notice went from Kesra's bot to Kesra's group, with its buttons; Bangli's group saw nothing of it.
    notice = next(m for m in seen(loket, "tg-kesra", KESRA_GROUP) if number in m["text"])
    assert [key for key, _ in notice["options"]] == [f"o:take:{number}", f"o:reply:{number}", f"o:close:{number}"]
    assert not any(number in m["text"] for m in seen(loket, "tg-bangli", BANGLI_GROUP))

    assert officer(loket, "Sari Wulandari", KESRA_GROUP, callback=f"o:take:{number}").status_code == 202
    assert officer(loket, "Sari Wulandari", KESRA_GROUP, f"/balas {number} Biaya itu tidak resmi; kami tindak.").status_code == 202
    loket.work()
    group = [m["text"] for m in seen(loket, "tg-kesra", KESRA_GROUP)]
    assert f"Tiket {number} sekarang Anda tangani." in group
    assert f"Balasan terkirim ke warga (tiket {number})." in group
    assert "Biaya itu tidak resmi; kami tindak." in seen(loket, "wa-kesra", session)[-1]["text"]


def test_an_officers_private_chat_answers_commands_there(loket):
    assert officer(loket, "Sari Wulandari", SARI, "/bantuan").status_code == 202
    loket.work()
    assert "/ambil" in seen(loket, "tg-kesra", SARI)[-1]["text"]


@pytest.mark.parametrize("body, error", [
    ({"session": "warga-12345678", "instance": "wa-nowhere", "text": "halo"}, "no such number"),
    ({"session": "warga-12345678", "instance": "wa-kesra", "text": "  "}, "empty message"),
])
def test_the_citizen_side_refuses_numbers_the_deployment_does_not_have(loket, body, error):
    response = loket.client.post("/simulator/api/send", json=body)
    assert response.status_code == 400 and error in response.get_json()["error"]


def test_an_officer_cannot_be_played_in_another_units_group_or_when_unknown(loket):
    sari = officers(loket)["Sari Wulandari"]["id"]
    response = loket.client.post("/simulator/api/officer/send", json={"officer": sari, "chat": BANGLI_GROUP, "text": "/tiket"})
    assert response.status_code == 400 and "not one of this officer's chats" in response.get_json()["error"]
    response = loket.client.post("/simulator/api/officer/send", json={"officer": 999, "chat": SARI, "text": "/tiket"})
    assert response.status_code == 400
    assert loket.client.get("/simulator/api/messages?instance=wa-nowhere&session=warga-12345678").status_code == 400
