"""Regenerate ``bench/data/imported-services.json``: the importer's output on the shared real standards and seeds.

``tests/understanding/bigpack.py`` repeats these services under region names to make the 300-service pack
that ``bench/understanding.py`` measures. Run it again after an importer change:

    .venv/bin/python bench/make_imported_services.py
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "standards"
OUT = ROOT / "bench" / "data" / "imported-services.json"


def main() -> int:
    documents = sorted([*SHARED.glob("real/*.txt"), *SHARED.glob("real/*.html"), *SHARED.glob("*.md"),
                        *SHARED.glob("*.txt")])
    services, skipped = [], []
    for doc in documents:
        run = subprocess.run([str(ROOT / ".venv" / "bin" / "loket"), "import-standard", str(doc), "--all", "--json"],
                             capture_output=True, text=True)
        if run.returncode != 0 or not run.stdout.strip():
            skipped.append(doc.name)
            continue
        for parsed in json.loads(run.stdout):
            parsed.pop("sources", None)
            services.append({**parsed, "source_file": doc.name})
    OUT.write_text(json.dumps(services, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(services)} services from {len(documents) - len(skipped)} of {len(documents)} documents -> {OUT}")
    for name in skipped:
        print(f"  not imported: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
