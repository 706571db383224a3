"""A citizen sees what the service holds about them and has it erased (UU 27/2022)."""
import re

from sqlalchemy import select

from bot.store.models import Citizen, InboundEvent, Message, Ticket


def file_named_complaint(loket):
    for text in ("halo", "2", "1", "Petugas tidak ramah di loket informasi", "Singaraja", "kemarin", "3",
                 "lewati", "1", "Budi Santoso", "1"):
        loket.whatsapp(text)
    loket.work()
    return re.search(r"\*(ADU-\d{4}-\d{4})\*", loket.last_whatsapp()).group(1)


def test_data_saya_lists_what_is_held(loket):
    number = file_named_complaint(loket)
    loket.whatsapp("data saya")
    loket.work()
    text = loket.last_whatsapp()
    assert text.startswith("Data Anda di layanan ini:")
    assert "Persetujuan pemrosesan data: " in text and "belum ada" not in text
    assert f"{number} (pengaduan, diterima)" in text and "identitas: Budi Santoso" in text


def test_hapus_data_saya_erases_after_confirmation(loket):
    number = file_named_complaint(loket)
    loket.whatsapp("hapus data saya")
    loket.work()
    assert "Hapus data pribadi Anda" in loket.last_whatsapp()
    loket.whatsapp("1")
    loket.work()
    assert loket.last_whatsapp().startswith("Data pribadi Anda sudah dihapus.")
    with loket.sessions() as s:
        ticket = s.scalars(select(Ticket)).one()
        assert ticket.number == number and ticket.reporter_name is None  # the record stays, the name goes
        citizen = s.scalars(select(Citizen)).one()
        assert citizen.erased_at is not None and citizen.consent_at is None
        assert all(e.message == {"erased": True} for e in s.scalars(select(InboundEvent)))
        assert all(m.body == "" for m in s.scalars(select(Message).where(Message.direction == "in")))
    loket.whatsapp(f"status {number}")
    loket.work()
    assert f"Tiket *{number}*" in loket.last_whatsapp()  # the chat can still follow its ticket


def test_erasure_can_be_called_off(loket):
    file_named_complaint(loket)
    for text in ("hapus data saya", "2"):
        loket.whatsapp(text)
    loket.work()
    assert "data Anda tidak dihapus" in loket.whatsapp_bodies()[-2]
    with loket.sessions() as s:
        assert s.scalars(select(Citizen)).one().erased_at is None
