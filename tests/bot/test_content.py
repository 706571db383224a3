"""Content packs: every pack loads, its facts match its document, and `loket content check` names problems."""
import shutil
from pathlib import Path

import pytest
import yaml

from cli.main import main
from bot.content import check_content_dir, load_pack
from bot.settings import PROJECT_ROOT
from bot.standards import parse_file

CONTENT = PROJECT_ROOT / "content"
DOCS = PROJECT_ROOT / "tests" / "standards" / "documents"
SOURCES = [
    ("buleleng-kesra", "konsultasi", "buleleng-kesra-konsultasi.txt"),
    ("buleleng-kesra", "pembinaan-masyarakat", "buleleng-kesra-pembinaan-masyarakat.txt"),
    ("kalbar-kesra", "konsultasi", "kalbar-kesra-konsultasi.md"),
    ("bangli-dpmptsp", "pengaduan", "bangli-dpmptsp-pengaduan.md"),
]
FACTS = ["requirements", "flow", "completion_time", "fee", "products", "complaint_channels", "complaint_deadlines",
         "legal_basis", "facilities", "competencies", "supervision", "guarantees", "safety", "evaluation", "staff"]


def test_shipped_content_is_valid():
    assert check_content_dir(CONTENT) == []


@pytest.mark.parametrize("pack,service,doc", SOURCES)
@pytest.mark.parametrize("field", FACTS)
def test_service_facts_match_the_document(pack, service, doc, field):
    svc = load_pack(CONTENT / pack).service(service)
    parsed = parse_file(DOCS / doc)
    ours = svc.model_dump(mode="json", by_alias=True)[field]
    theirs = parsed[field]
    if field == "flow" and theirs is not None:
        theirs = {"nodes": theirs["nodes"], "edges": [list(e) for e in theirs["edges"]]}
    # Hand-checked files may drop a list separator's final full stop; the words must be the document's.
    norm = lambda v: [x.rstrip(".") for x in v] if isinstance(v, list) and v and isinstance(v[0], str) else v  # noqa: E731
    assert norm(ours) == norm(theirs)


def _copy_pack(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def _edit(path: Path, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def _check(folder: Path, capsys) -> tuple[int, str]:
    code = main(["content", "check", str(folder)])
    return code, capsys.readouterr().err


def test_missing_field_is_named(tmp_path, capsys):
    folder = _copy_pack(tmp_path)
    _edit(folder / "kalbar-kesra/services/konsultasi.yaml", lambda d: d.pop("fee"))
    code, err = _check(folder, capsys)
    assert code == 1
    assert "kalbar-kesra/services/konsultasi.yaml: fee: Field required" in err


def test_wrong_type_is_named(tmp_path, capsys):
    folder = _copy_pack(tmp_path)
    _edit(folder / "buleleng-kesra/services/konsultasi.yaml", lambda d: d["fee"].update(amount_idr="gratis"))
    code, err = _check(folder, capsys)
    assert code == 1
    assert "buleleng-kesra/services/konsultasi.yaml: fee.amount_idr: Input should be a valid integer" in err


def test_duplicate_service_id_is_named(tmp_path, capsys):
    folder = _copy_pack(tmp_path)
    _edit(folder / "buleleng-kesra/services/pembinaan-masyarakat.yaml", lambda d: d.update(id="konsultasi"))
    code, err = _check(folder, capsys)
    assert code == 1
    assert "buleleng-kesra/services/pembinaan-masyarakat.yaml: id: duplicate service id 'konsultasi'" in err


def test_unknown_unit_is_named(tmp_path, capsys):
    folder = _copy_pack(tmp_path)
    _edit(folder / "bangli-dpmptsp/services/pengaduan.yaml", lambda d: d.update(unit="perizinan"))
    code, err = _check(folder, capsys)
    assert code == 1
    assert "bangli-dpmptsp/services/pengaduan.yaml: unit: unknown unit 'perizinan'" in err


def test_broken_yaml_names_the_line(tmp_path, capsys):
    folder = _copy_pack(tmp_path)
    (folder / "kalbar-kesra/messages.yaml").write_text("id:\n  greeting: [unclosed\n")
    code, err = _check(folder, capsys)
    assert code == 1 and "kalbar-kesra/messages.yaml: line" in err


def test_unknown_category_unit_and_class(tmp_path, capsys):
    folder = _copy_pack(tmp_path)
    def change(d):
        d["complaint_categories"][0].update(unit="nowhere", sla_class="kilat")
    _edit(folder / "buleleng-kesra/agency.yaml", change)
    code, err = _check(folder, capsys)
    assert "buleleng-kesra/agency.yaml: complaint_categories.0.unit: unknown unit 'nowhere'" in err
    assert "buleleng-kesra/agency.yaml: complaint_categories.0.sla_class: unknown SLA class 'kilat'" in err


def test_every_message_key_used_by_the_flows_exists():
    """Each wording key the code asks for is in the wording files, in both languages."""
    import re
    defaults = load_pack(CONTENT / "buleleng-kesra").messages
    used = set()
    for path in list((PROJECT_ROOT / "flows").glob("*.py")) + list((PROJECT_ROOT / "workers").glob("*.py")):
        used |= set(re.findall(r"""\b(?:t\(ctx, state, |pack\.text\()["']([a-z_]*[a-z])["']""", path.read_text()))
    assert used, "the scan found no keys"
    for lang in ("id", "en"):
        assert used - set(defaults[lang]) == set(), lang
