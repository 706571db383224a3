"""Twilio WhatsApp webhooks: inbound messages and delivery status callbacks."""
from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, request
from twilio.request_validator import RequestValidator

from bot import metrics
from bot.channels import clean
from bot.channels.whatsapp import parse_inbound
from bot.db import session_scope
from bot.store.messages import update_delivery
from webhooks.app import services
from webhooks.intake import accept
from workers.queues import Queues, queue

bp = Blueprint("twilio", __name__)
log = logging.getLogger("loket.webhooks")
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _verify() -> None:
    """403 unless ``X-Twilio-Signature`` matches the public URL Twilio called and every parameter."""
    svc = services()
    token = svc.settings.twilio_auth_token
    signature = request.headers.get("X-Twilio-Signature", "")
    url = svc.settings.public_base_url + request.full_path.rstrip("?")
    if not token or not signature or not RequestValidator(token).validate(url, request.form.to_dict(), signature):
        metrics.incr(svc.redis, "webhook_rejected_total", channel="whatsapp")
        log.warning("twilio signature rejected", extra={"path": request.path})
        abort(403)


@bp.post("/webhooks/twilio")
def inbound() -> Response:
    _verify()
    form = request.form.to_dict()
    try:
        message = parse_inbound(form)
    except clean.Unusable as exc:
        # No usable sender or id: Twilio must still get 200, or it delivers the same payload again.
        log.warning("twilio inbound set aside: %s", exc.reason)
        metrics.incr(services().redis, "webhook_unusable_total", channel="whatsapp")
        return Response(EMPTY_TWIML, mimetype="text/xml")
    accept(services(), message, form)
    return Response(EMPTY_TWIML, mimetype="text/xml")


@bp.post("/webhooks/twilio/status")
def status() -> Response:
    _verify()
    sid = request.form.get("MessageSid", "")
    state = clean.text(request.form.get("MessageStatus") or request.form.get("SmsStatus") or "", 20).lower()
    code = clean.optional_text(request.form.get("ErrorCode"), 20)
    svc = services()
    if not clean.ID_PATTERN.match(sid):
        log.warning("twilio status callback without a usable message id")
        return Response("", status=204)
    if state:
        with session_scope(svc.sessions) as session:
            update_delivery(session, sid, state, code)
        if state in ("failed", "undelivered"):
            metrics.incr(svc.redis, "send_failures_total", channel="whatsapp")
        if code == "63016":
            # Accepted, then refused for the 24-hour window: the update goes again as the approved template.
            queue(svc.redis, Queues.SEND, svc.settings.queue_prefix).enqueue(
                "workers.relay.resend_as_template", sid, job_id=f"template-{sid}")
    return Response("", status=204)
