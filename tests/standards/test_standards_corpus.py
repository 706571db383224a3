"""The importer's score on real published standards must not fall below what it reached.

Three corpora, scored by ``bench/importer_score.py`` (the rules of
shared/tools/score_importer.py, with each count check keeping its own number):
the development corpus in shared/standards/real (20 documents), the documents found
for this work and tuned on (holdout/tuned), and those kept aside and never tuned on
(holdout/aside). The floors are per document: the facts found when the floor was set.
A document may do better; if it does worse, the test names it and the facts it lost.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
REAL = ROOT / ".." / "shared" / "standards" / "real"

_spec = importlib.util.spec_from_file_location("importer_score", ROOT / "bench" / "importer_score.py")
importer_score = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(importer_score)  # type: ignore[union-attr]

#: facts found per document when the floor was set (development corpus: all of them)
FLOORS = {
    "tuned": {
        "dinsos-ciamis-rekomendasi-izin-operasional-lks.txt": 1,
        "disdukcapil-wonogiri-ktp-el-perubahan-hilang-rusak.txt": 4,
        "dukcapil-perubahan-status-kewarganegaraan-wni-wna.txt": 4,
        "kecamatan-balongbendo-izin-mendirikan-bangunan.txt": 4,
        "kecamatan-bunguran-tengah-surat-keterangan-domisili.txt": 5,
        "kecamatan-gerung-lombok-barat-standar-pelayanan.txt": 10,
        "rsud-loekmono-hadi-kudus-rawat-jalan.txt": 7,
        "rsud-mesuji-pelayanan-ponek.txt": 4,
        "rsud-sayang-cianjur-standar-pelayanan.txt": 11,
        "sippn-bps-penjualan-data-mikro.txt": 8,
        "sippn-kab-lumajang-pelayanan-pengaduan-online.txt": 8,
        "sippn-kec-balongbendo-sktm-online.txt": 12,
        "sippn-kab-malinau-penanganan-pengaduan.txt": 7,
        "sippn-kanwil-kemenkumham-banten-konseling-anak.txt": 6,
        "sippn-puskesmas-klaster-i-manajemen-pendaftaran.txt": 13,
    },
}
#: measured after tuning on the other two corpora (first: 35/47, then 37/47 after later general changes);
#: the importer was never changed for these documents
ASIDE_FLOORS = {
    "dinsos-mataram-rekomendasi-dtks-kip.txt": 2,  # was refused at the first measurement (0)
    "disdukcapil-sanggau-pencatatan-biodata-wni.txt": 7,
    "kecamatan-balongbendo-perekaman-ktp-pemula.txt": 7,
    "puskesmas-tirto-pekalongan-pendaftaran.txt": 4,
    "sippn-disdukcapil-sorong-perekaman-ktp-el.txt": 6,
    "sippn-kec-taman-surat-keterangan-domisili.txt": 11,
}


def _corpus(name: str) -> Path:
    return {"real": REAL, "tuned": HERE / "holdout" / "tuned", "aside": HERE / "holdout" / "aside"}[name]


def _cases() -> list:
    cases = []
    for name in ("real", "tuned", "aside"):
        folder = _corpus(name)
        if not folder.is_dir():
            continue
        for doc, exp in importer_score.documents(folder):
            cases.append(pytest.param(name, doc, exp, id=f"{name}/{doc.name}"))
    return cases


@pytest.mark.parametrize("corpus, doc, expected", _cases())
def test_document_keeps_its_score(corpus: str, doc: Path, expected: Path) -> None:
    found, total, missed, refused = importer_score.score_document(doc, expected)
    floor = total if corpus == "real" else {**FLOORS["tuned"], **ASIDE_FLOORS}.get(doc.name, 0)
    assert refused is None or floor == 0, refused
    assert found >= floor, f"{doc.name}: {found}/{total}, below {floor}; missed: {missed}"


@pytest.mark.skipif(not REAL.is_dir(), reason="the shared corpus is not beside this checkout")
def test_development_corpus_at_or_above_95_percent() -> None:
    found = total = 0
    for doc, exp in importer_score.documents(REAL):
        ok, n, _, _ = importer_score.score_document(doc, exp)
        found, total = found + ok, total + n
    assert total >= 170 and found / total >= 0.95
