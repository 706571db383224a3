"""Mermaid flowcharts (``graph LR`` / ``graph TD``) found in service standards.

Agencies paste the flowchart of a procedure as mermaid source, usually inside
``<pre>`` (sometimes with ``--&gt;`` for the arrows, sometimes all on one line),
sometimes in a Markdown ```` ```mermaid ```` fence. :func:`extract_flows` cuts
those blocks out of the document and leaves a placeholder where each one stood,
so the section finder knows which section a chart belongs to; :func:`parse_mermaid`
turns one block into ``{"nodes": {id: label}, "edges": [[from, to], ...]}``.
"""
from __future__ import annotations

import html
import re
from collections import deque

#: Private-use characters wrapping a placeholder ``\ue000<n>\ue001``; any such
#: characters already present in a document are removed before extraction.
PLACEHOLDER_OPEN = "\ue000"
PLACEHOLDER_CLOSE = "\ue001"
PLACEHOLDER_RE = re.compile(PLACEHOLDER_OPEN + r"(\d+)" + PLACEHOLDER_CLOSE)

_HEADER_RE = re.compile(r"^\s*(?:graph|flowchart)\b\s*(?:LR|RL|TD|TB|BT)?\b;?", re.I)
# A <pre> block that holds mermaid; it ends at </pre> or, when a truncated or
# sloppy document forgets to close it, at the next block tag or blank line.
_PRE_RE = re.compile(
    r"<pre\b[^>]*>(?P<body>\s*(?:graph|flowchart)\b.*?)"
    r"(?:</pre\s*>|(?=</div\b|<p\b|<ol\b|<ul\b|<li\b|</li\b|\n[ \t]*\n)|\Z)",
    re.I | re.S,
)
_FENCE_RE = re.compile(r"```[ \t]*mermaid[^\n]*\n(?P<body>.*?)(?:```|\Z)", re.I | re.S)
_DIV_RE = re.compile(
    r"<div\b[^>]*class=[\"'][^\"']*mermaid[^\"']*[\"'][^>]*>(?P<body>.*?)(?:</div\s*>|\Z)",
    re.I | re.S,
)
# A bare "graph LR" line outside any markup, followed by statement lines.
_BARE_START_RE = re.compile(r"^[ \t]*(?:graph|flowchart)[ \t]+(?:LR|RL|TD|TB|BT)\b.*$", re.I | re.M)
_STATEMENT_LINE_RE = re.compile(r"-->|---|==>|-\.->|^\s*[A-Za-z0-9_]+\s*[\[\(\{>]")

_ARROW = (
    r"(?:--|==|-\.)\s+[^\n;\[\]]*?\s+(?:-->|==>|\.->)"  # A -- text --> B
    r"|<?(?:-{2,}|={2,})[>xo]?"  # --> --- ==> <-->
    r"|<?-\.+->?"  # -.-> -.-
)
_SHAPE = (
    r"\(\[.*?\]\)|\[\[.*?\]\]|\[\(.*?\)\]|\(\(.*?\)\)|\{\{.*?\}\}"
    r"|\[.*?\]|\(.*?\)|\{.*?\}|>.*?\]"
)
_TOKEN_RE = re.compile(
    rf"(?P<arrow>(?:{_ARROW})(?:\s*\|[^|\n]*\|)?)"
    rf"|(?P<node>[A-Za-z0-9_]+)[ \t]*(?P<shape>{_SHAPE})?"
    r"|(?P<amp>&)"
    r"|(?P<sep>[;\n])",
    re.S,
)
_KEYWORDS = {"graph", "flowchart", "subgraph", "end", "style", "classdef", "class",
             "linkstyle", "click", "direction"}
_TAG_RE = re.compile(r"<[^>]*>")


def extract_flows(text: str) -> tuple[str, list[dict | None]]:
    """Replace every mermaid block by a placeholder and parse it.

    Returns the text with ``\\ue000<n>\\ue001`` placeholders and the list of parsed
    flows (``None`` for a block that held no node at all).
    """
    flows: list[dict | None] = []

    def keep(match: re.Match[str]) -> str:
        flows.append(parse_mermaid(match.group("body")))
        return f" {PLACEHOLDER_OPEN}{len(flows) - 1}{PLACEHOLDER_CLOSE} "

    text = _FENCE_RE.sub(keep, text)
    text = _DIV_RE.sub(keep, text)
    text = _PRE_RE.sub(keep, text)
    return _extract_bare(text, flows), flows


def _extract_bare(text: str, flows: list[dict | None]) -> str:
    """Cut out "graph LR" blocks written as plain lines (no <pre>, no fence)."""
    if not _BARE_START_RE.search(text):
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if _BARE_START_RE.match(lines[i]):
            body = [lines[i]]
            i += 1
            while i < len(lines) and lines[i].strip() and _STATEMENT_LINE_RE.search(lines[i]):
                body.append(lines[i])
                i += 1
            flows.append(parse_mermaid("\n".join(body)))
            out.append(f"{PLACEHOLDER_OPEN}{len(flows) - 1}{PLACEHOLDER_CLOSE}")
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def _clean_label(shape: str) -> str:
    """Strip the brackets of a node shape, quotes, tags and entities from its label."""
    s = shape.strip()
    opener = re.match(r"^[\[\(\{>]+", s)
    closer = re.search(r"[\]\)\}]+$", s)
    start = opener.end() if opener else 0
    end = closer.start() if closer and closer.start() >= start else len(s)
    s = s[start:end].strip()
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'`":
        s = s[1:-1]
    s = re.sub(r"<br\s*/?>", " ", s, flags=re.I)
    s = html.unescape(_TAG_RE.sub("", s))
    return re.sub(r"\s+", " ", s).strip()


def parse_mermaid(source: str) -> dict | None:
    """Parse one mermaid flowchart into ``{"nodes": {...}, "edges": [...]}``.

    Tolerates everything on one line, ``--&gt;`` arrows, ``&`` groups, edge
    texts (``-->|ya|``, ``-- ya -->``) and unknown statements (skipped). A node
    referenced without a label is labelled with its id. Returns ``None`` when
    no node is found.
    """
    body = html.unescape(_TAG_RE.sub(" ", source))
    body = _HEADER_RE.sub(" ", body, count=1)
    nodes: dict[str, str] = {}
    labelled: set[str] = set()
    edges: list[list[str]] = []
    group: list[str] = []
    src: list[str] = []
    pending = joining = skip_next = False
    for m in _TOKEN_RE.finditer(body):
        if m.group("sep") is not None:
            group, src, pending, joining, skip_next = [], [], False, False, False
        elif m.group("amp") is not None:
            joining = True
        elif m.group("arrow") is not None:
            if group:
                src, group, pending = group, [], True
        else:
            node = m.group("node")
            if node.lower() in _KEYWORDS:
                skip_next = node.lower() not in {"end", "graph", "flowchart"}
                group, pending, joining = [], False, False
                continue
            if skip_next:
                skip_next = False
                continue
            shape = m.group("shape")
            label = _clean_label(shape) if shape else ""
            if node not in nodes or (label and node not in labelled):
                nodes[node] = label or nodes.get(node) or node
                if label:
                    labelled.add(node)
            if pending or joining:
                group.append(node)
                if pending or src:
                    for s in src:
                        if [s, node] not in edges:
                            edges.append([s, node])
            else:
                group, src = [node], []
            pending = joining = False
    if not nodes:
        return None
    return {"nodes": nodes, "edges": edges}


def traversal_labels(flow: dict) -> list[str]:
    """Node labels in reading order: breadth-first from the start node(s).

    Start nodes are those without incoming edges (in declaration order); a
    chart that is a cycle starts at its first declared node. Nodes the walk
    never reaches are appended in declaration order, so none is lost.
    """
    nodes: dict[str, str] = flow.get("nodes") or {}
    edges: list[list[str]] = flow.get("edges") or []
    targets = {b for _, b in edges}
    starts = [n for n in nodes if n not in targets] or list(nodes)[:1]
    seen: list[str] = []
    queue: deque[str] = deque(starts)
    while queue:
        node = queue.popleft()
        if node in seen:
            continue
        seen.append(node)
        queue.extend(b for a, b in edges if a == node and b not in seen)
    seen.extend(n for n in nodes if n not in seen)
    return [nodes[n] for n in seen if n in nodes]
