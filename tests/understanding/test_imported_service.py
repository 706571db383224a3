"""A service imported with ``loket import-standard`` is answerable for every fact, with no keywords.

Bangli's pack has only its complaint service. Before the import, "syarat pembinaan masyarakat" is not served
there; after importing Buleleng's *Fasilitasi Pembinaan Masyarakat* standard (keywords removed, so only the
document's own text can be found), each fact kind asked the way citizens ask finds the document's words.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.calendar.agency import calendar_for
from bot.content import load_pack
from bot.settings import PROJECT_ROOT
from flows import Context
from tests.flows.conftest import NOW, Chat

DOC = PROJECT_ROOT / "tests" / "standards" / "documents" / "buleleng-kesra-pembinaan-masyarakat.txt"

#: (what a citizen types, what the answer must contain: the document's own words)
QUESTIONS = [
    ("syarat pembinaan masyarakat apa aja?", "Surat permohonan pembinaan masyarakat"),
    ("gmn prosedur pembinaan masyarakat", "Surat diunjuk ke atasan"),
    ("pembinaan masyarakat brp lama?", "Maksimal 3 hari"),
    ("biaya pembinaan masyarakat", "Gratis"),
    ("produk pembinaan masyarakat apa", "Pembinaan Masyarakat"),
    ("dasar hukum pembinaan masyarakat", "Peraturan Bupati Buleleng nomor 9 tahun 2021"),
    ("fasilitas pembinaan masyarakat", "ruang rapat"),
    ("kompetensi pelaksana pembinaan masyarakat", "fasilitasi pembinaan rapat"),
    ("pengawasan pembinaan masyarakat", "APIP"),
    ("jumlah petugas pembinaan masyarakat", "2- 5 Orang"),
    ("jaminan pelayanan pembinaan masyarakat", "teguran lisan"),
    ("keamanan pembinaan masyarakat", "dijamin keabsahannya"),
    ("survei kepuasan pembinaan masyarakat", "Survei Kepuasan Masyarakat dilakukan minimal 1 kali dalam 1 tahun"),
    ("pengaduan pembinaan masyarakat berapa lama ditanggapi", "Pengaduan ringan"),
    ("email pengaduan pembinaan masyarakat", "kesrasetdakabupatenbuleleng@gmail.com"),
    ("nomor telepon pembinaan masyarakat", "0362 21985"),
    ("pembinaan masyarakat lewat lapor bisa?", "www.lapor.go.id"),
]


def _pack_dir(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content" / "_defaults", content / "_defaults")
    shutil.copytree(PROJECT_ROOT / "content" / "bangli-dpmptsp", content / "bangli-dpmptsp")
    return content / "bangli-dpmptsp"


def _chat(pack_dir: Path) -> Chat:
    pack = load_pack(pack_dir)
    chat = Chat(Context(pack=pack, now=NOW, calendar=calendar_for(pack)))
    chat.say("menu")
    return chat


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    pack_dir = _pack_dir(tmp_path_factory.mktemp("import"))
    out = pack_dir / "services" / "pembinaan.yaml"
    done = subprocess.run([sys.executable, "-m", "cli.main", "import-standard", str(DOC), "-o", str(out)],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, check=False)
    assert done.returncode == 0, done.stderr
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    data.update(unit="pengaduan", keywords=[])  # what staff must set; no words written for the bot
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return pack_dir


def test_before_the_import_the_service_is_not_served_here(tmp_path):
    chat = _chat(_pack_dir(tmp_path))
    chat.say("syarat pembinaan masyarakat")
    assert "tidak dilayani di sini" in chat.text and "• Pelayanan Pengaduan Masyarakat" in chat.text


@pytest.mark.parametrize("question, fact", QUESTIONS)
def test_every_fact_of_the_imported_service_is_answered(imported, question, fact):
    chat = _chat(imported)
    chat.say(question)
    assert fact in chat.text
    assert chat.state.get("service") == "fasilitasi-pembinaan-masyarakat"


def test_the_old_service_is_still_answered_for_its_own_facts(imported):
    chat = _chat(imported)
    chat.say("nomor wa pengaduan masyarakat")
    assert "08123866945" in chat.text
