"""Rendered flowcharts per service, cached: content changes rarely and ``dot`` costs ~100 ms."""
from __future__ import annotations

import json
from functools import lru_cache

from bot.content import Service
from bot.flowchart import render_flow_png


def service_flowchart(service: Service) -> bytes:
    """PNG of the service's procedure flow; raises ``FlowchartUnavailable`` when it cannot be drawn."""
    flow = service.flow.model_dump(mode="json")
    return _render(json.dumps(flow, sort_keys=True), service.name)


@lru_cache(maxsize=64)
def _render(flow_json: str, title: str) -> bytes:
    return render_flow_png(json.loads(flow_json), title=f"Alur {title}")
