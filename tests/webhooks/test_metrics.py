"""bot.ops.metrics.render: valid Prometheus text (checked with prometheus_client's own parser)."""
from __future__ import annotations

import math

from prometheus_client.parser import text_string_to_metric_families

from bot.ops import metrics

GAUGES = {'queue_depth{queue="loket-inbound"}': 2, 'queue_depth{queue="loket-send"}': 0,
          'queue_depth{queue="loket-scheduled"}': 1}


def parse(text: str) -> dict:
    return {f.name: f for f in text_string_to_metric_families(text)}


def test_each_family_has_one_help_and_type(redis):
    metrics.incr(redis, "inbound_messages_total", channel="whatsapp")
    metrics.incr(redis, "inbound_messages_total", 2, channel="telegram")
    metrics.observe(redis, "job_seconds", 0.3, channel="whatsapp")
    text = metrics.render(redis, GAUGES)
    type_lines = [line for line in text.splitlines() if line.startswith("# TYPE")]
    assert len(type_lines) == len({line.split()[2] for line in type_lines})
    assert text.count("# TYPE loket_queue_depth gauge") == 1
    assert text.count("# HELP loket_queue_depth ") == 1
    fams = parse(text)
    assert fams["loket_queue_depth"].type == "gauge"
    assert {s.labels["queue"]: s.value for s in fams["loket_queue_depth"].samples} == {
        "loket-inbound": 2, "loket-send": 0, "loket-scheduled": 1}
    assert {s.labels["channel"]: s.value for s in fams["loket_inbound_messages"].samples} == {
        "whatsapp": 1, "telegram": 2}


def test_histogram_buckets_are_complete_ordered_and_cumulative(redis):
    for seconds in (0.003, 0.3, 0.3, 2.0, 45.0):
        metrics.observe(redis, "job_seconds", seconds, channel="whatsapp")
    metrics.observe(redis, "job_seconds", 0.02, channel="telegram")
    fams = parse(metrics.render(redis, GAUGES))
    hist = fams["loket_job_seconds"]
    assert hist.type == "histogram"
    for channel, expected_count in (("whatsapp", 5), ("telegram", 1)):
        samples = [s for s in hist.samples if s.labels.get("channel") == channel]
        buckets = [s for s in samples if s.name.endswith("_bucket")]
        les = [float(s.labels["le"]) for s in buckets]
        assert les == sorted(les) and les[-1] == math.inf
        assert les[:-1] == [float(b) for b in metrics.BUCKETS]  # every bucket, hit or not
        counts = [s.value for s in buckets]
        assert counts == sorted(counts)  # cumulative
        count = next(s.value for s in samples if s.name.endswith("_count"))
        assert count == expected_count == counts[-1]
    wa = {s.labels["le"]: s.value for s in hist.samples
          if s.name.endswith("_bucket") and s.labels["channel"] == "whatsapp"}
    assert wa["0.005"] == 1
    assert wa["0.25"] == 1 and wa["0.5"] == 3 and wa["2.5"] == 4 and wa["30"] == 4 and wa["+Inf"] == 5
    total = next(s.value for s in hist.samples if s.name.endswith("_sum") and s.labels["channel"] == "whatsapp")
    assert math.isclose(total, 47.603)


def test_a_histogram_written_before_the_upgrade_still_adds_up(redis):
    """Earlier versions wrote every bucket at or above the value; those fields count along with the new ones."""
    for le in ("1", "2.5", "5", "10", "30", "+Inf"):  # one observation of 0.7 s, the earlier way
        redis.hincrby(metrics.KEY, f'job_seconds_bucket{{channel="whatsapp",le="{le}"}}', 1)
    redis.hincrbyfloat(metrics.KEY, 'job_seconds_sum{channel="whatsapp"}', 0.7)
    redis.hincrby(metrics.KEY, 'job_seconds_count{channel="whatsapp"}', 1)
    metrics.observe(redis, "job_seconds", 0.03, channel="whatsapp")
    assert len(redis.hkeys(metrics.KEY)) == 6 + 2 + 1  # the new observation wrote one bucket
    hist = parse(metrics.render(redis, {}))["loket_job_seconds"]
    wa = {s.labels["le"]: s.value for s in hist.samples if s.name.endswith("_bucket")}
    assert (wa["0.025"], wa["0.05"], wa["0.5"], wa["1"], wa["+Inf"]) == (0, 1, 1, 2, 2)


def test_empty_redis_renders_valid_text(redis):
    fams = parse(metrics.render(redis, {}))
    assert fams["loket_job_seconds"].samples == []
    assert "loket_queue_depth" not in fams


def test_render_output_is_accepted_by_prometheus_parser_with_everything(redis):
    for name in ("inbound_messages_total", "inbound_duplicates_total", "messages_sent_total",
                 "send_failures_total", "tickets_created_total"):
        metrics.incr(redis, name, channel="whatsapp")
    metrics.incr(redis, "webhook_rejected_total", channel="telegram")
    metrics.observe(redis, "job_seconds", 0.1, channel="simulator")
    fams = parse(metrics.render(redis, GAUGES))
    assert {"loket_inbound_messages", "loket_webhook_rejected", "loket_job_seconds",
            "loket_queue_depth"} <= set(fams)
