"""A whole complaint with a name, a phone number and a NIK leaves none of them in the logs."""
import logging

from tests.privacy_plugin import as_line, offending


def test_complaint_with_personal_data_logs_none_of_it(loket, caplog):
    caplog.set_level(logging.INFO)
    for text in ("halo", "pengaduan", "1",
                 "Saya Budi Santoso, NIK 5108012345670001, HP 081234567890, dimintai uang oleh petugas",
                 "Singaraja", "kemarin", "4", "lewati", "1", "Budi Santoso", "1"):
        loket.whatsapp(text)
    loket.work()
    assert "tercatat dengan nomor" in loket.last_whatsapp()
    lines = [as_line(r) for r in caplog.records]
    assert len(lines) > 20  # the run did log: inbound, jobs, sends
    assert offending(lines) == []


def test_offending_finds_each_kind():
    assert offending(["from +6281234567890", "nik 5108012345670001", "name Budi Santoso", "ticket ADU-2611-0001"]) \
        == ["from +6281234567890", "nik 5108012345670001", "name Budi Santoso"]
