"""``loket import-standard``: exit codes, messages, --json and -o."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from bot.standards.command import import_standard_command, summary

DOC = Path(__file__).parent / "documents" / "kalbar-kesra-konsultasi.md"


def run(path, as_json=False, out=None) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = import_standard_command(str(path), as_json, out, stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty"),
        (b"   \n\n\t  \n", "empty"),
        (b"\x00\x01\x02binary\x00\xff" * 50, "binary"),
        (bytes(range(256)) * 8, "binary"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "broken PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "binary"),
        (b"Hello, this is a shopping list.\nEggs\nMilk\n", "no known section"),
        ("# Resep Nasi Goreng\n\n1. Nasi\n2. Bawang\n".encode(), "no known section"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    code, out, err = run(path)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and reason in err and str(path) in err
    assert "Traceback" not in err


def test_missing_file_exits_2(tmp_path: Path) -> None:
    code, out, err = run(tmp_path / "nope.md")
    assert code == 2 and "no such file" in err and err.count("\n") == 1


def test_directory_exits_2(tmp_path: Path) -> None:
    code, _, err = run(tmp_path)
    assert code == 2 and err.count("\n") == 1


def test_json_output_is_valid_json_with_warnings_on_stderr() -> None:
    code, out, err = run(DOC, as_json=True)
    assert code == 0
    data = json.loads(out)
    assert data["name"] == "Pelayanan Konsultasi"
    assert "Pelayanan Konsultasi" in out  # ensure_ascii=False keeps text readable
    assert all(line.startswith("warning: ") for line in err.splitlines())
    assert len(err.splitlines()) == len(data["warnings"])


def test_summary_without_flags() -> None:
    code, out, _ = run(DOC)
    assert code == 0
    assert "name: Pelayanan Konsultasi" in out
    assert "requirements: 3" in out and "complaint channels: 7" in out


def test_output_yaml_is_written(tmp_path: Path) -> None:
    target = tmp_path / "service.yaml"
    code, out, _ = run(DOC, out=str(target))
    assert code == 0 and target.is_file()
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    assert "wrote" in out


def test_yaml_fallback_when_content_converter_is_absent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def fake_import(name, globals=None, locals=None, fromlist=(), level=0):
        if name == "bot.content" and fromlist and "service_yaml_from_parsed" in fromlist:
            raise ImportError("not there")
        return real_import(name, globals, locals, fromlist, level)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    target = tmp_path / "service.yaml"
    code, _, _ = run(DOC, out=str(target))
    assert code == 0
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["name"] == "Pelayanan Konsultasi" and data["fee"]["amount_idr"] == 0


def test_json_and_output_together(tmp_path: Path) -> None:
    target = tmp_path / "s.yaml"
    code, out, _ = run(DOC, as_json=True, out=str(target))
    assert code == 0 and json.loads(out)["staff"] == "5 (lima) orang" and target.is_file()


def test_unwritable_output_exits_1(tmp_path: Path) -> None:
    code, _, err = run(DOC, out=str(tmp_path / "no" / "such" / "dir.yaml"))
    assert code == 1 and "cannot write" in err and "Traceback" not in err


def test_latin1_file_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes("PELAYANAN CAF\xc9\n\n1. Persyaratan a. KTP b. KK\n2. Biaya/Tarif Gratis\n".encode("latin-1"))
    code, out, _ = run(path, as_json=True)
    assert code == 0
    data = json.loads(out)
    assert data["name"] == "Pelayanan Café" and data["requirements"] == ["KTP", "KK"]


def test_summary_of_empty_result() -> None:
    from bot.standards.parse import empty_result

    assert "name: -" in summary(empty_result())
