"""The simulator without channels.yaml: the simulator's own chat, and no officer it could play."""
from __future__ import annotations

from bot.store.db import session_scope
from bot.store.officers import add_officer


def test_without_channel_instances_the_page_is_one_chat_and_real_bots_officers_are_not_played(loket):
    with session_scope(loket.sessions) as session:
        add_officer(session, name="Budi Petugas", role="officer", units=["kesra"], telegram_user_id=9001)
    page = loket.client.get("/simulator").get_data(as_text=True)
    assert 'id="line"' not in page and "Kesra Setda Buleleng" in page
    # Budi reads the settings' own (real) bot: the page must not speak for him.
    assert loket.client.get("/simulator/api/officers").get_json() == {"officers": []}

    assert loket.client.post("/simulator/api/send", json={"session": "warga-12345678", "text": "halo"}).status_code == 202
    loket.work()
    messages = loket.client.get("/simulator/api/messages?session=warga-12345678&after=0").get_json()["messages"]
    assert "Selamat datang" in messages[0]["text"]
