"""Assemble the "Parsed service" object (see shared/INTERFACE.md) from a document.

The pipeline: :mod:`.prepare` removes page chrome and repairs flattened layouts,
:mod:`.markup` reduces any format to clean lines, :mod:`.services` cuts a
multi-service document into services, :mod:`.sections` groups each service's
lines under known headings (:mod:`.headless` gives headings back to a SIPPN page
that lost them, :mod:`.soup` gives values back to labels printed before them),
:mod:`.lists` reads the items of each section, and small field readers
(:mod:`.timing`, :mod:`.fees`, :mod:`.components`, :mod:`.channels`,
:mod:`.deadlines`, :mod:`.names`) turn texts into values. Whatever cannot be
placed is reported in ``warnings`` rather than dropped.
"""
from __future__ import annotations

import re

from . import lists, soup
from .channels import channels_in
from .components import read_complaints, read_procedure
from .fees import parse_fee
from .headless import assign_fields, assign_tail
from .markup import Line, to_lines
from .names import find_agency, find_title_agency, letterhead_agency, service_name
from .prepare import Prepared, prepare
from .sections import DISPLAY, OTHER, Document, Section, split_sections
from .services import split_services
from .timing import read_completion

LIST_FIELDS = {
    "requirements": "requirements", "products": "products", "legal_basis": "legal_basis",
    "facilities": "facilities", "competencies": "competencies", "supervision": "supervision",
    "guarantees": "guarantees", "safety": "safety", "evaluation": "evaluation",
}
KEYS = ("name", "agency", "requirements", "procedure", "flow", "completion_time", "fee", "products",
        "complaint_channels", "complaint_deadlines", "legal_basis", "facilities", "competencies",
        "supervision", "guarantees", "safety", "evaluation", "staff", "warnings", "complaint_flow")

_SHORT = 160


def empty_result() -> dict:
    """A Parsed service with every key and nothing found."""
    return {
        "name": None, "agency": None, "requirements": [], "procedure": [], "flow": None,
        "completion_time": {"text": None, "minutes": None, "working_days": None},
        "fee": {"text": None, "amount_idr": None, "kind": None, "items": []}, "products": [], "complaint_channels": [],
        "complaint_deadlines": [], "legal_basis": [], "facilities": [], "competencies": [],
        "supervision": [], "guarantees": [], "safety": [], "evaluation": [], "staff": None,
        "warnings": [], "complaint_flow": None,
    }


def _short(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= _SHORT else text[:_SHORT - 1] + "…"


def _items(section: Section) -> list[str]:
    result = lists.items_from_lines(section.lines)
    return lists.render(lists.build_tree(result.items), final_period=False)


def _scalar(section: Section) -> str | None:
    """A section's text as one string: its items joined with "; "."""
    result = lists.items_from_lines(section.lines)
    texts = lists.render(lists.build_tree(result.items), final_period=False)
    return "; ".join(texts) if texts else None


def parse_services(text: str) -> list[tuple[dict, int]]:
    """Parse every service of a document; each with how many known sections it has."""
    prep = prepare(text)
    lines, flows = to_lines(prep.text)
    chunks, preamble = split_services(lines)
    return [_parse_lines(chunk, flows, prep, preamble if i == 0 else []) for i, chunk in enumerate(chunks)]


def parse_document(text: str) -> tuple[dict, int]:
    """Parse ``text`` (its first service); also return how many known sections were found."""
    services = parse_services(text)
    result, found = services[0]
    if len(services) > 1:
        result["warnings"].append(f"the document holds {len(services)} services; this is the first "
                                  "(loket import-standard FILE --all reads every one)")
    return result, found


def _sippn_tail(lines: list[Line], doc: Document) -> tuple[list[Line], Document] | None:
    """A SIPPN page whose first components carry labels and the rest not: read the rest by the order."""
    known = sorted((s for s in doc.sections if s.key not in (None, OTHER)), key=lambda s: s.first)
    keys = {s.key for s in known}
    if {"completion_time", "fee", "products"} & keys:
        return None
    labelled = [s for s in known if s.key in ("requirements", "procedure")]
    if not labelled:
        return None
    last = labelled[-1]
    later = [s.first for s in doc.sections if s.first > last.first]
    start, end = last.first + 1, min(later, default=len(lines))
    tail = assign_tail(lines[start:end], last.key)
    if len(tail) == end - start:
        return None
    new_lines = lines[:start] + tail + lines[end:]
    return new_lines, split_sections(new_lines)


def _headless(lines: list[Line], doc: Document, prep: Prepared) -> tuple[list[Line], Document] | None:
    """Re-read a document without headings by the registry's field order (see :mod:`.headless`)."""
    known = [s for s in doc.sections if s.key not in (None, OTHER)]
    if len(known) >= 2:
        return _sippn_tail(lines, doc) if prep.sippn_footer else None
    def bare(section: Section) -> bool:  # a heading line of its own, not "1. Prosedur Layanan Uji …"
        text = lines[section.first].text if section.first < len(lines) else ""
        return lines[section.first].table_heading or len(text.split()) <= len(section.heading.split()) + 1

    first = min((s.first for s in known if bare(s)), default=len(lines))
    head = [l for l in lines[:first] if l.flow is None]
    if len(head) < 3:
        return None
    assigned, title = assign_fields(head)
    if assigned is head:
        return None
    new_lines = ([Line(title)] if title else []) + assigned + lines[first:]
    new_doc = split_sections(new_lines)
    if sum(1 for s in new_doc.sections if s.key not in (None, OTHER)) <= len(known):
        return None
    return new_lines, new_doc


def _parse_lines(lines: list[Line], flows: list, prep: Prepared, preamble: list[str]) -> tuple[dict, int]:
    result = empty_result()
    warnings: list[str] = result["warnings"]
    doc = split_sections(lines)
    reread = _headless(lines, doc, prep)
    if reread is not None:
        lines, doc = reread
        warnings.append("components without headings were read in the SIPPN order (Persyaratan, "
                        "Prosedur, Waktu, Biaya, Produk, Pengaduan); check each field")
    doc.outside[:0] = preamble
    warnings.extend(doc.warnings)
    warnings.extend(soup.repair(doc.sections))

    known = [s for s in doc.sections if s.key not in (None, OTHER)]
    by_key = {s.key: s for s in known}

    def flow_at(index: int) -> dict | None:
        return flows[index] if 0 <= index < len(flows) else None

    for key, field in LIST_FIELDS.items():
        section = by_key.get(key)
        if section is None:
            continue
        res = lists.items_from_lines(section.lines)
        render = lists.render_leaves if key == "requirements" else lists.render
        result[field] = render(lists.build_tree(res.items))
        for text_ in res.unsure:
            warnings.append(f"{DISPLAY[key]}: list without markers kept as one item: '{_short(text_)}'")
        for _ in res.flows:
            warnings.append(f"{DISPLAY[key]}: a flowchart here was not used")

    read_procedure(by_key.get("procedure"), result, flow_at, warnings)
    if "completion_time" in by_key:
        items = _items(by_key["completion_time"])
        if items:
            result["completion_time"], notes, steps = read_completion(items)
            warnings.extend(notes)
            if steps and len(result["procedure"]) <= 1:
                result["procedure"] = steps
                warnings.append("procedure: the timed steps of the completion-time field are used as the steps")
        else:
            warnings.append(f"{DISPLAY['completion_time']}: section is empty")
    for key, field, reader in (("fee", "fee", parse_fee),):
        section = by_key.get(key)
        if section is None:
            continue
        value = _scalar(section)
        if value is not None:
            result[field] = reader(value)
        else:
            warnings.append(f"{DISPLAY[key]}: section is empty")
    if result["completion_time"]["text"] and result["completion_time"]["minutes"] is None \
            and result["completion_time"]["working_days"] is None:
        warnings.append(f"{DISPLAY['completion_time']}: no duration understood in "
                        f"'{_short(result['completion_time']['text'])}'")
    if result["fee"]["text"] and result["fee"]["amount_idr"] is None:
        warnings.append(f"{DISPLAY['fee']}: amount unclear in '{_short(result['fee']['text'])}'")
    if "staff" in by_key:
        result["staff"] = _scalar(by_key["staff"])

    directory = []
    for section in known:
        if section.key not in ("complaints", "legal_basis"):
            res = lists.items_from_lines(section.lines)
            for t in lists.flat_texts(res.items):
                directory.extend(channels_in(t))
    read_complaints(by_key.get("complaints"), result, flow_at, directory, warnings)
    if prep.sippn_footer and not any(c["kind"] == "lapor" for c in result["complaint_channels"]):
        result["complaint_channels"].append({"kind": "lapor", "value": None})
        warnings.append("complaint channels: LAPOR! taken from the SIPPN page footer")

    for section in doc.sections:
        if section.key in (None, OTHER):
            body = " ".join(l.text for l in section.lines if l.text)
            warnings.append(f"unknown section '{_short(section.heading)}'"
                            + (f": {_short(body)}" if body else ""))
    agency_line = next((t for t in [doc.title or "", *doc.outside] if find_title_agency(t)), None)
    for text_ in doc.outside:
        if text_ != agency_line:
            warnings.append(f"text outside any section: '{_short(text_)}'")
    for _ in doc.outside_flows:
        warnings.append("a flowchart outside any section was not used")

    name, title_agency = service_name(doc.title) if doc.title else (None, None)
    result["name"] = name
    if not result["name"]:
        if result["products"]:
            result["name"] = result["products"][0]
            warnings.append("name: no title found; the product name is used")
        else:
            warnings.append("name: no title found")
    agency_texts = [doc.title or ""] + doc.outside + [
        " ".join(l.text for l in s.lines if l.text) for s in known if s.key != "legal_basis"]
    result["agency"] = title_agency or (find_title_agency(agency_line) if agency_line else None) \
        or letterhead_agency(prep.letterhead or preamble or doc.outside) or find_agency(agency_texts)

    for key, label in DISPLAY.items():
        if key not in by_key:
            warnings.append(f"missing section: {label}")
    return result, len(known)
