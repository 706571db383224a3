"""From a PDF annex of three standards to the bot answering a citizen about each.

What an agency's staff do: ``loket import-standard annex.pdf --all -o services/``, set
each file's unit, ``loket content check``, deploy. The pack here is a copy of the
buleleng-kesra pack whose services are only the three imported ones; the whole system
(web app, real RQ worker, real Redis, fake WhatsApp) then answers from them.
"""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
import yaml

from cli.main import main as loket_cli
from bot.standards.command import import_standard_command
from tests.conftest import PROJECT_ROOT, make_settings
from tests.system import Loket, split_hints

ANNEX = Path(__file__).parent / "fixtures" / "three-services.pdf"


def import_annex(services_dir: Path) -> list[Path]:
    out, err = io.StringIO(), io.StringIO()
    code = import_standard_command(str(ANNEX), False, str(services_dir), out, err, all_services=True)
    assert code == 0, err.getvalue()
    files = sorted(services_dir.glob("*.yaml"))
    for f in files:  # the reviewer's step: give each service its unit
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        data["unit"] = "kesra"
        f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return files


@pytest.fixture
def content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    services = content / "buleleng-kesra" / "services"
    shutil.rmtree(services)
    services.mkdir()
    assert len(import_annex(services)) == 3
    return content


@pytest.fixture
def loket(content, database_url, redis, redis_url, tmp_path, fake_twilio, fake_telegram):
    system = Loket(make_settings(database_url, redis_url, tmp_path, fake_twilio, fake_telegram, content_dir=content),
                   redis, fake_twilio, fake_telegram)
    yield system
    system.close()


def test_imported_services_pass_content_check(content: Path, capsys) -> None:
    assert loket_cli(["content", "check", str(content)]) == 0
    assert "content OK" in capsys.readouterr().out


def answer(loket, text: str) -> str:
    """What the bot answered to ``text`` (the line of next steps that closes it left out)."""
    before = len(loket.whatsapp_bodies())
    loket.whatsapp(text)
    loket.work()
    new = split_hints(loket.whatsapp_bodies()[before:])
    return next(b for b in new if b.startswith("*"))


def test_the_bot_answers_each_imported_service(loket) -> None:
    reply = answer(loket, "syarat surat keterangan tidak mampu")
    assert reply == ("*Persyaratan Standar Pelayanan Penerbitan Surat Keterangan Tidak Mampu:*\n"
                     "• Surat pengantar/Keterangan dari kepala desa/kelurahan\n"
                     "• Foto copy Kartu Tanda Penduduk/Kartu Keluarga")

    reply = answer(loket, "biaya izin reklame insidentil")
    assert reply.startswith("*Biaya Standar Pelayanan Penerbitan Izin Reklame Insidentil:*\nGratis")

    reply = answer(loket, "syarat kartu anggota perpustakaan")
    assert reply.startswith("*Persyaratan Standar Pelayanan Pengurusan Kartu Anggota Perpustakaan:*")
    assert reply.endswith("• Melampirkan Foto Copy KTP Peminjam")
