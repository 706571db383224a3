"""Telegram webhook: check the secret token, normalise the update, queue it."""
from __future__ import annotations

import hmac
import logging

from flask import Blueprint, Response, abort, request

from bot import metrics
from bot.channels import clean
from bot.channels.telegram import parse_update
from webhooks.app import services
from webhooks.intake import accept

bp = Blueprint("telegram", __name__)
log = logging.getLogger("loket.webhooks")


@bp.post("/webhooks/telegram")
def update() -> Response:
    svc = services()
    secret = svc.settings.telegram_webhook_secret
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        metrics.incr(svc.redis, "webhook_rejected_total", channel="telegram")
        abort(403)
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or "update_id" not in data:
        # Not an update at all; answering 200 stops Telegram from retrying garbage forever.
        log.warning("telegram webhook without an update")
        return Response("", status=200)
    try:
        message = parse_update(data)
    except clean.Unusable as exc:
        log.warning("telegram update set aside: %s", exc.reason)
        metrics.incr(svc.redis, "webhook_unusable_total", channel="telegram")
        return Response("", status=200)
    if message is not None:
        accept(svc, message, data)
    return Response("", status=200)
