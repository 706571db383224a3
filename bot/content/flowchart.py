"""Procedure flowcharts (from the agency's service standard) as PNG images for chat.

A service standard describes its procedure as a small mermaid ``graph LR``; the
content loader turns it into ``{"nodes": {id: label}, "edges": [[from, to], ...]}``.
Here that dict is drawn with Graphviz ``dot``, top to bottom: a phone screen is
tall and narrow, and a left-to-right chain of five boxes would shrink to
unreadable text once WhatsApp fits it to the screen width.

If ``dot`` is not installed, :class:`FlowchartUnavailable` tells the caller to
send :func:`flow_steps_text` instead.
"""
from __future__ import annotations

import shutil
import textwrap
from collections import deque
from collections.abc import Iterable, Mapping, Sequence

import graphviz

#: Characters per label line: about what fits a box at the font size below
#: while keeping the whole chart narrow enough for a phone.
LABEL_WIDTH = 22
#: Titles sit above the whole chart and may run a little wider than a box.
TITLE_WIDTH = 32
FONT = "DejaVu Sans"
#: Resolution of the PNG; 144 dpi gives a sharp image that chat apps shrink well.
DPI = "144"

Flow = Mapping[str, object]


class FlowchartUnavailable(RuntimeError):
    """The flowchart cannot be drawn here (no ``dot``, or it failed): fall back to text steps."""


def wrap_label(text: str, width: int = LABEL_WIDTH) -> list[str]:
    """Break a label into lines of at most ``width`` characters, at spaces, "/" or "-".

    Words are never cut in the middle, so a word longer than ``width`` keeps its line.
    """
    text = " ".join(str(text).split())
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=True)
    return lines or [""]


def _dot_label(text: str, width: int = LABEL_WIDTH) -> str:
    """A DOT label with each wrapped line escaped, so "\\", "<...>" and quotes stay literal text."""
    return graphviz.nohtml("\\n".join(graphviz.escape(line) for line in wrap_label(text, width)))


def _nodes(flow: Flow) -> dict[str, str]:
    """Node id -> label, adding edge endpoints that were never declared (mermaid allows that)."""
    nodes = {str(k): str(v) for k, v in dict(flow.get("nodes") or {}).items()}
    for source, target in _edges(flow):
        nodes.setdefault(source, source)
        nodes.setdefault(target, target)
    return nodes


def _edges(flow: Flow) -> list[tuple[str, str]]:
    """The edges as (from, to) string pairs; a malformed edge is a content error worth failing on."""
    edges = []
    for edge in flow.get("edges") or []:  # type: ignore[union-attr]
        if not isinstance(edge, Sequence) or isinstance(edge, str) or len(edge) != 2:
            raise ValueError(f"flow edge must be a [from, to] pair, got {edge!r}")
        edges.append((str(edge[0]), str(edge[1])))
    return edges


def traversal_order(flow: Flow) -> list[str]:
    """Node ids in reading order: breadth-first from the starting nodes, in declaration order.

    Starting nodes are those nothing points to; a flow that is one big cycle
    (result goes back to the citizen) starts at its first declared node.
    """
    nodes = _nodes(flow)
    edges = _edges(flow)
    successors: dict[str, list[str]] = {n: [] for n in nodes}
    for source, target in edges:
        successors[source].append(target)
    targets = {t for _, t in edges}
    starts = [n for n in nodes if n not in targets] or list(nodes)[:1]
    order: list[str] = []
    for start in starts + list(nodes):  # the tail catches parts unreachable from the starts
        if start in order:
            continue
        queue = deque([start])
        order.append(start)
        while queue:
            for nxt in successors[queue.popleft()]:
                if nxt not in order:
                    order.append(nxt)
                    queue.append(nxt)
    return order


def _back_edges(flow: Flow, order: list[str]) -> set[tuple[str, str]]:
    """Edges that point to an earlier step: the loops, drawn dashed so the main path reads downwards."""
    rank = {n: i for i, n in enumerate(order)}
    return {(s, t) for s, t in _edges(flow) if rank[t] <= rank[s]}


def build_graph(flow: Flow, title: str | None = None) -> graphviz.Digraph:
    """The Graphviz graph for ``flow``; separate from rendering so its DOT source can be checked."""
    order = traversal_order(flow)
    nodes = _nodes(flow)
    loops = _back_edges(flow, order)
    graph = graphviz.Digraph("alur", format="png")
    graph.attr(
        rankdir="TB", dpi=DPI, bgcolor="white", pad="0.3", nodesep="0.35", ranksep="0.45",
        fontname=FONT, fontsize="18", labelloc="t",
    )
    if title:
        graph.attr(label=_dot_label(title, TITLE_WIDTH))
    graph.attr(
        "node", shape="box", style="rounded,filled", fillcolor="#E8F1FB", color="#2B6CB0",
        penwidth="1.5", fontname=FONT, fontsize="14", margin="0.2,0.1",
    )
    graph.attr("edge", color="#2B6CB0", penwidth="1.3", arrowsize="0.8")
    for node_id in order:
        graph.node(node_id, _dot_label(nodes[node_id]))
    for source, target in _edges(flow):
        if (source, target) in loops:
            # constraint=false keeps the loop from pulling its target down a rank.
            graph.edge(source, target, style="dashed", constraint="false", color="#718096")
        else:
            graph.edge(source, target)
    return graph


def render_flow_png(flow: Flow, title: str | None = None) -> bytes:
    """Draw ``flow`` as PNG bytes, or raise :class:`FlowchartUnavailable` so the caller sends text steps."""
    if shutil.which("dot") is None:
        raise FlowchartUnavailable("Graphviz 'dot' is not installed")
    graph = build_graph(flow, title)
    try:
        return graph.pipe(format="png", quiet=True)
    except graphviz.ExecutableNotFound as exc:
        raise FlowchartUnavailable("Graphviz 'dot' is not installed") from exc
    except graphviz.CalledProcessError as exc:
        raise FlowchartUnavailable(f"Graphviz 'dot' failed: {exc}") from exc


def flow_steps_text(flow: Flow) -> list[str]:
    """Numbered steps ("1. ...") in reading order, noting branches and loops, for chats without images."""
    order = traversal_order(flow)
    nodes = _nodes(flow)
    number = {n: i + 1 for i, n in enumerate(order)}
    successors: dict[str, list[str]] = {n: [] for n in nodes}
    for source, target in _edges(flow):
        successors[source].append(target)
    return [f"{number[n]}. {_plain(nodes[n])}{_next_hint(number[n], successors[n], number)}" for n in order]


def _next_hint(step: int, successors: Iterable[str], number: Mapping[str, int]) -> str:
    """Say where a step leads when it is not simply the next number."""
    targets = sorted({number[t] for t in successors})
    if not targets or targets == [step + 1]:
        return ""
    backward = [t for t in targets if t <= step]
    forward = [t for t in targets if t > step]
    parts = []
    if forward and forward != [step + 1]:
        parts.append("lanjut ke langkah " + " atau ".join(map(str, forward)))
    if backward:
        parts.append("kembali ke langkah " + " atau ".join(map(str, backward)))
    return f" (→ {'; '.join(parts)})" if parts else ""


def _plain(label: str) -> str:
    """A label on one line, whitespace collapsed, as it reads in a chat message."""
    return " ".join(str(label).split())
