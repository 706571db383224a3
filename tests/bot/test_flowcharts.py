"""Service flowcharts start where the document starts, whatever the node ids sort like."""
import json

from bot.content import load_pack
from bot.content.flowchart import build_graph, traversal_order
from bot.content.flowcharts import flow_of, service_flowchart
from bot.settings import PROJECT_ROOT


def test_bangli_chart_starts_with_the_citizen_and_loops_back():
    svc = load_pack(PROJECT_ROOT / "content" / "bangli-dpmptsp").service("pengaduan")
    flow = json.loads(json.dumps(flow_of(svc)))  # as cached
    assert traversal_order(flow)[0] == "M"
    source = build_graph(flow).source
    assert "HTPM -> M" in source and "dashed" in source.split("HTPM -> M", 1)[1].split("\n", 1)[0]
    assert service_flowchart(svc)[:8] == b"\x89PNG\r\n\x1a\n"
