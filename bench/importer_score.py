"""Score the importer on a corpus of real standards: facts found per document and in total.

Usage: .venv/bin/python bench/importer_score.py CORPUS_DIR [CORPUS_DIR ...] [--verbose] [--json]

Each document ``X.ext`` with ``X.expected.json`` beside it is parsed in-process
(``bot.standards.parse_file``, what ``loket import-standard X.ext --json`` prints) and
its expected facts are checked with the rules of ``shared/tools/score_importer.py``:
name, requirement count and samples, procedure steps (or flow edges + 1), completion
minutes and working days, free or not, product samples, each complaint channel (kind,
and the value's last six digits or its address), legal-basis count. A null expected
value is not scored; a refused document scores zero.

One difference from the reference script, on purpose: there, the count checks
(requirements, procedure, legal basis) are lambdas that read the variable ``n`` when
they run, so all three compare with the last count assigned (the legal-basis count,
else the procedure count). Here each check keeps its own number.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def norm(s) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(s or "").lower()).strip()


def digits(s) -> str:
    return "".join(c for c in str(s or "") if c.isdigit())


def channel_found(got: list[dict], want: dict) -> bool:
    for c in got:
        if c.get("kind") != want["kind"]:
            continue
        if want.get("value") is None:
            return True
        wv, gv = str(want["value"]).lower(), str(c.get("value") or "").lower()
        wd = digits(wv)
        if len(wd) >= 6 and wd[-6:] in digits(gv):
            return True
        w = norm(wv).replace("https ", "").replace("http ", "")
        if w and w in norm(gv):
            return True
    return False


def facts(exp: dict) -> list[tuple[str, object]]:
    """(label, predicate over a parsed service) for every scored fact of an expected file."""
    out: list[tuple[str, object]] = []
    name = norm(exp.get("name"))
    if name:
        out.append((f"name {exp['name']!r}", lambda d: bool(norm(d.get("name"))) and (
            name[:25] in norm(d.get("name")) or norm(d.get("name"))[:25] in name)))
    if exp.get("requirements_count") is not None:
        n_req = exp["requirements_count"]
        out.append((f"{n_req} requirements", lambda d: len(d.get("requirements") or []) == n_req))
    for s in exp.get("requirements_sample") or []:
        out.append((f"requirement {s[:40]!r}",
                    lambda d, s=s: norm(s)[:30] in norm(" ".join(d.get("requirements") or []))))
    if exp.get("procedure_steps") is not None:
        n_proc = exp["procedure_steps"]
        out.append((f"{n_proc} procedure steps", lambda d: len(d.get("procedure") or []) == n_proc or (
            bool((d.get("flow") or {}).get("edges")) and len((d.get("flow") or {})["edges"]) + 1 == n_proc)))
    comp = exp.get("completion") or {}
    if comp.get("minutes") is not None:
        out.append((f"{comp['minutes']} minutes",
                    lambda d: (d.get("completion_time") or {}).get("minutes") == comp["minutes"]))
    if comp.get("working_days") is not None:
        out.append((f"{comp['working_days']} working days",
                    lambda d: (d.get("completion_time") or {}).get("working_days") == comp["working_days"]))
    if exp.get("fee_free") is True:
        out.append(("free", lambda d: (d.get("fee") or {}).get("amount_idr") == 0))
    elif exp.get("fee_free") is False:
        out.append(("not free", lambda d: (d.get("fee") or {}).get("amount_idr") != 0))
    for s in exp.get("products_sample") or []:
        out.append((f"product {s[:40]!r}", lambda d, s=s: norm(s)[:25] in norm(" ".join(d.get("products") or []))))
    for ch in exp.get("complaint_channels") or []:
        out.append((f"channel {ch['kind']} {ch.get('value')}",
                    lambda d, ch=ch: channel_found(d.get("complaint_channels") or [], ch)))
    if exp.get("legal_basis_count") is not None:
        n_legal = exp["legal_basis_count"]
        out.append((f"{n_legal} legal basis items", lambda d: len(d.get("legal_basis") or []) == n_legal))
    return out


def documents(corpus: Path) -> list[tuple[Path, Path]]:
    """(document, expected file) pairs of a corpus folder."""
    pairs = []
    for f in sorted(corpus.iterdir()):
        if f.name.endswith(".json") or f.name.lower() == "readme.md" or not f.is_file():
            continue
        exp = corpus / (re.sub(r"\.[A-Za-z]+$", "", f.name) + ".expected.json")
        if exp.exists():
            pairs.append((f, exp))
    return pairs


def score_document(doc: Path, expected: Path) -> tuple[int, int, list[str], str | None]:
    """(facts found, facts scored, labels missed, refusal reason or None)."""
    from bot.standards import NotAStandard, parse_file

    checks = facts(json.loads(expected.read_text(encoding="utf-8")))
    try:
        parsed = parse_file(doc)
        refused = None
    except NotAStandard as exc:
        parsed, refused = {}, exc.reason
    missed = [label for label, pred in checks if not pred(parsed)]  # type: ignore[operator]
    return len(checks) - len(missed), len(checks), missed, refused


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", nargs="+", type=Path)
    ap.add_argument("--verbose", action="store_true", help="list the facts missed")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    report = {}
    total_ok = total = 0
    for corpus in args.corpus:
        for doc, exp in documents(corpus):
            ok, n, missed, refused = score_document(doc, exp)
            total_ok += ok
            total += n
            report[str(doc)] = {"found": ok, "facts": n, "missed": missed, "refused": refused}
            if not args.json:
                line = f"{doc.name}: {ok}/{n}"
                if refused:
                    line += f"  refused: {refused}"
                elif missed and args.verbose:
                    line += "  missed: " + "; ".join(missed)
                print(line)
    pct = 100.0 * total_ok / max(total, 1)
    if args.json:
        print(json.dumps({"documents": report, "found": total_ok, "facts": total, "percent": round(pct, 1)},
                         ensure_ascii=False, indent=2))
    else:
        print(f"total: {total_ok}/{total} facts = {pct:.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
