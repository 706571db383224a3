"""The SMS provider's pure parts: Twilio's plain-number form -> ``Message``; ``Reply`` -> plain bodies."""
from __future__ import annotations

import pytest

from bot.channels import clean, sms
from bot.channels.providers import PROVIDERS, TWILIO
from bot.types import Option, Reply
from tests.fakes.twilio_api import make_sms_inbound, sms_segments


def test_an_sms_form_becomes_a_text_message_of_channel_sms():
    form = make_sms_inbound("syarat konsultasi", from_="+6281234567890", to="+14155550100")
    assert "ProfileName" not in form and "WaId" not in form
    msg = sms.parse_inbound(form)
    assert (msg.channel, msg.chat_id, msg.sender_id, msg.kind, msg.text) == (
        "sms", "+6281234567890", "+6281234567890", "text", "syarat konsultasi")
    assert msg.sender_name is None and msg.platform_id == form["MessageSid"]


def test_an_sms_with_media_is_an_mms_whose_content_is_not_taken():
    form = make_sms_inbound("fotonya", media=[("https://example.org/x.jpg", "image/jpeg")])
    msg = sms.parse_inbound(form)
    assert (msg.kind, msg.text, msg.media) == ("mms", "", ())


@pytest.mark.parametrize("change", [{"From": ""}, {"From": "bukan nomor"}, {"MessageSid": None}])
def test_an_unusable_form_is_set_aside(change):
    with pytest.raises(clean.Unusable):
        sms.parse_inbound(make_sms_inbound("halo", **change))  # None drops the field


def test_replies_are_plain_text_with_numbered_options():
    reply = Reply("Ketik *menu* untuk kembali.", options=(Option("1", "Informasi layanan"), Option("2", "Pengaduan"),
                                                         Option("o:take:ADU-2612-0001", "Ambil")))
    assert sms.render(reply) == ["Ketik menu untuk kembali.\n\n1. Informasi layanan\n2. Pengaduan"]


def test_a_long_reply_is_cut_at_twilios_1600_characters():
    reply = Reply("\n".join(f"Baris {i}: " + "kata " * 20 for i in range(40)))
    bodies = sms.render(reply)
    assert len(bodies) > 1 and all(len(b) <= 1600 for b in bodies)
    assert " ".join(" ".join(bodies).split()) == " ".join(reply.text.split())


def test_sms_is_registered_as_a_twilio_provider():
    assert PROVIDERS["sms"] is sms and "sms" in TWILIO


def test_the_fake_counts_segments_as_twilio_bills_them():
    assert [sms_segments("a" * 160), sms_segments("a" * 161), sms_segments("é" * 70), sms_segments("é" * 71)] == [1, 2, 1, 2]
