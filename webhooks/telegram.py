"""Telegram webhooks: one path per bot, each checked against its own secret token; normalise, queue.

``/webhooks/telegram`` is the settings' own bot (the default instance); ``/webhooks/telegram/<id>`` is
the bot of channel instance ``id`` in ``channels.yaml``, so each bot's updates are routed by the path
Telegram was told to call, never guessed from the update.
"""
from __future__ import annotations

import logging
from dataclasses import replace

from flask import Blueprint, Response, abort, request

from bot.ops import metrics
from bot.channels import clean
from bot.channels import telegram
from bot.channels.base import Inbound
from bot.tenancy import ChannelInstance
from webhooks.services import services
from webhooks.intake import accept

bp = Blueprint("telegram", __name__)
log = logging.getLogger("loket.webhooks")


@bp.post("/webhooks/telegram")
def update() -> Response:
    return _handle(services().channels.default_telegram())


@bp.post("/webhooks/telegram/<instance_id>")
def instance_update(instance_id: str) -> Response:
    instance = services().channels.by_id(instance_id)
    if instance is None or instance.provider != "telegram":
        # No bot of ours is behind this path: answered 200 so nothing retries it, and never processed.
        metrics.incr(services().redis, "webhook_unroutable_total", channel="telegram")
        log.warning("telegram update for a bot no channel instance serves; not processed",
                    extra={"path": request.path[:80]})
        return Response("", status=200)
    return _handle(instance)


def _handle(instance: ChannelInstance | None) -> Response:
    """403 unless the update carries the instance's own secret token; then record and queue it."""
    svc = services()
    secret = svc.settings.setting(instance.secret_env) if instance is not None and instance.secret_env else ""
    if not telegram.verify(secret, Inbound(url=request.url, headers=request.headers)):
        metrics.incr(svc.redis, "webhook_rejected_total", channel="telegram")
        abort(403)
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or "update_id" not in data:
        # Not an update at all; answering 200 stops Telegram from retrying garbage forever.
        log.warning("telegram webhook without an update")
        return Response("", status=200)
    try:
        message = telegram.parse(data)
    except clean.Unusable as exc:
        log.warning("telegram update set aside: %s", exc.reason)
        metrics.incr(svc.redis, "webhook_unusable_total", channel="telegram")
        return Response("", status=200)
    if message is not None:
        if not instance.default:
            # Update ids are counted per bot: two bots' update 7 are two deliveries.
            message = replace(message, instance=instance.id, platform_id=f"{instance.id}:{message.platform_id}")
        accept(svc, message, data)
    return Response("", status=200)
