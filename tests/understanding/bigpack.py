"""A pack of 300 services made from the importer's output, to measure the answering layer at scale.

``bench/data/imported-services.json`` holds what ``loket import-standard FILE --json`` printed for each
document in ``shared/standards/real/`` and the four seed standards (the documents it could parse). Each
service is repeated under region names (``Akta Kelahiran Kabupaten Badung``, ``... Kota Malang``) until
there are 300: facts as imported, no keywords, so services are told apart by their names alone.
Where the importer could not read a document's title, the name a person read from the document
(``<doc>.expected.json``) is used.

To regenerate the data after an importer change: ``.venv/bin/python bench/make_imported_services.py``.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from bot.content import Pack, Service, load_pack
from bot.settings import PROJECT_ROOT

DATA = PROJECT_ROOT / "bench" / "data" / "imported-services.json"
REAL = PROJECT_ROOT.parent / "shared" / "standards" / "real"
REGIONS = ["Kabupaten Badung", "Kota Denpasar", "Kabupaten Gianyar", "Kabupaten Tabanan", "Kabupaten Jembrana",
           "Kabupaten Karangasem", "Kabupaten Klungkung", "Kota Mataram", "Kabupaten Lombok Timur", "Kota Kupang",
           "Kabupaten Sikka", "Kota Pontianak", "Kabupaten Sambas", "Kabupaten Ketapang", "Kota Singkawang",
           "Kabupaten Sintang", "Kota Malang", "Kabupaten Sidoarjo", "Kota Surabaya"]
FIELDS = set(Service.model_fields) - {"id", "unit", "keywords", "name_en"}


def _usable(name: str | None) -> bool:
    return bool(name) and len(name) <= 60 and not re.search(r"halaman|print|\||:", name, re.I)


def base_services() -> list[dict]:
    """The imported services, with a readable name (the importer's, else the one read from the document)."""
    out = []
    for parsed in json.loads(DATA.read_text(encoding="utf-8")):
        name = parsed.get("name")
        if not _usable(name):
            stem = parsed["source_file"].rsplit(".", 1)[0]
            expected = REAL / f"{stem}.expected.json"
            if expected.exists():
                name = json.loads(expected.read_text(encoding="utf-8")).get("name") or name
        name = re.sub(r"^(standar\s+)?pelayanan\s+", "", name or "Layanan", flags=re.I).strip()
        out.append({**parsed, "name": name})
    return out


def service_from(parsed: dict, sid: str, name: str, unit: str) -> Service:
    data = {k: v for k, v in parsed.items() if k in FIELDS}
    data["completion_time"] = {**(parsed.get("completion_time") or {}), "text": (parsed.get("completion_time") or {}).get("text") or ""}
    data["fee"] = {**(parsed.get("fee") or {}), "text": (parsed.get("fee") or {}).get("text") or ""}
    data.update(id=sid, name=name, unit=unit, keywords=[])
    return Service.model_validate(data)


def big_pack(size: int = 300) -> Pack:
    """A Buleleng-shaped pack (its agency and wording) with ``size`` imported services."""
    base = load_pack(PROJECT_ROOT / "content" / "buleleng-kesra")
    unit = base.agency.units[0].id
    services: list[Service] = []
    seeds = base_services()
    for region in [""] + REGIONS:
        for i, parsed in enumerate(seeds):
            if len(services) >= size:
                break
            name = f"{parsed['name']} {region}".strip()
            services.append(service_from(parsed, f"s{len(services):03d}-{i}", name, unit))
    return base.model_copy(update={"services": services})


def path() -> Path:
    return DATA
