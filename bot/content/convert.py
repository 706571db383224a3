"""Turn an importer result (a Parsed service) into a service content file to edit by hand."""
from __future__ import annotations

import re
import unicodedata

import yaml

_STOP = {"pelayanan", "layanan", "standar", "dan", "atau", "yang", "di", "ke", "untuk"}


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP]
    return "-".join(words) or "layanan"


def service_yaml_from_parsed(parsed: dict) -> str:
    """A ``services/<id>.yaml`` text: the parsed fields plus id, unit and keywords to review."""
    name = parsed.get("name") or "Layanan"
    doc = {
        "id": slugify(name),
        "name": name,
        "unit": "TODO-unit-id",
        "keywords": sorted({w for w in re.findall(r"[a-z]+", name.lower()) if w not in _STOP}),
    }
    for key, value in parsed.items():
        if key not in doc:
            doc[key] = value
    header = ("# Made by `loket import-standard`. Check every fact against the document,\n"
              "# set `unit` to one of the agency's units, add keywords, then run `loket content check`.\n")
    return header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)
