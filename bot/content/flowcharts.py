"""Rendered flowcharts per service, cached: content changes rarely and ``dot`` costs ~100 ms."""
from __future__ import annotations

import json
from functools import lru_cache

from bot.content import Service
from bot.content.flowchart import render_flow_png


def flow_of(service: Service) -> dict:
    """The service's flow as the renderer takes it, in the document's node order.

    The order matters: the first node starts the chart, and an edge back to
    an earlier node is drawn as the loop (Bangli's result back to the citizen).
    """
    return service.flow.model_dump(mode="json")


def service_flowchart(service: Service) -> bytes:
    """PNG of the service's procedure flow; raises ``FlowchartUnavailable`` when it cannot be drawn."""
    return _render(json.dumps(flow_of(service)), service.name)


@lru_cache(maxsize=64)
def _render(flow_json: str, title: str) -> bytes:
    return render_flow_png(json.loads(flow_json), title=f"Alur {title}")
