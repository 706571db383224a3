"""``loket report`` run through ``cli.main.main``: JSON figures on stdout, or files named <agency>-<period>.<ext>."""
from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from cli.main import main
from bot.store.db import make_engine, make_session_factory, upgrade
from bot.settings import Settings
from tests.reports.conftest import EXPECTED, seed


@pytest.fixture
def env(monkeypatch, tmp_path):
    """The settings of a deployment whose database holds the seeded November."""
    for name in Settings().to_env():
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'loket.db'}"
    engine = make_engine(url)
    upgrade(engine)
    seed(make_session_factory(engine))
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CONTENT_PACK", "buleleng-kesra")
    return tmp_path


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_prints_the_figures(env, capsys):
    code, out, err = run(capsys, "report", "--month", "2026-11", "--json")
    assert code == 0, err
    assert json.loads(out) == EXPECTED


def test_files_land_in_the_folder_and_their_paths_are_printed(env, capsys):
    code, out, err = run(capsys, "report", "--semester", "2026-2", "--format", "xlsx,pdf", "-o", str(env / "out"))
    assert code == 0, err
    assert out.split() == [str(env / "out" / "buleleng-kesra-2026-2.xlsx"), str(env / "out" / "buleleng-kesra-2026-2.pdf")]
    book = load_workbook(env / "out" / "buleleng-kesra-2026-2.xlsx")
    assert book["ringkasan"]["A3"].value == "Periode: Semester II 2026"


def test_agency_names_the_pack(env, capsys):
    code, out, err = run(capsys, "report", "--month", "2026-11", "--agency", "buleleng-kesra", "--json")
    assert code == 0 and json.loads(out)["agency"] == "buleleng-kesra"
    code, out, err = run(capsys, "report", "--month", "2026-11", "--agency", "no-such-agency", "--json")
    assert code == 2 and "no-such-agency" in err


@pytest.mark.parametrize("argv, message", [
    (["--month", "2026-13"], "month must be YYYY-MM"),
    (["--semester", "2026-3"], "semester must be YYYY-1 or YYYY-2"),
    (["--month", "2026-11", "--format", "docx"], "--format takes csv, xlsx, pdf"),
])
def test_bad_arguments_say_what_is_wrong(env, capsys, argv, message):
    code, out, err = run(capsys, "report", *argv)
    assert code == 2 and message in err


def test_month_and_semester_exclude_each_other(env, capsys):
    with pytest.raises(SystemExit):
        main(["report", "--month", "2026-11", "--semester", "2026-2"])
    capsys.readouterr()
