"""Twilio webhooks, WhatsApp and SMS alike: inbound messages, routed by the number written to (``To``) and
parsed by that instance's provider (bot/channels/providers.py), and delivery status callbacks.

Each number is a channel instance (bot.tenancy) serving one agency or a front desk; a message to a number
no instance serves is answered 200 (Twilio must not retry it) and recorded as not routable, never handed
to another agency.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from urllib.parse import parse_qsl

from flask import Blueprint, Response, abort, request

from bot.ops import metrics
from bot.channels import clean
from bot.channels.base import Inbound
from bot.channels.providers import PROVIDERS, TWILIO
from bot.store.db import session_scope
from bot.channels.phone import mask
from bot.store.inbound import record_unroutable
from bot.store.messages import update_delivery
from bot.tenancy import ChannelInstance
from webhooks.services import services
from webhooks.intake import accept
from bot.queues import Queues, queue

bp = Blueprint("twilio", __name__)
log = logging.getLogger("loket.webhooks")
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
FORM_TYPE = "application/x-www-form-urlencoded"


def _form() -> dict[str, str]:
    """The request's form, each name's first value: what ``request.form.to_dict()`` gives.

    Twilio always posts a URL-encoded form. Its body goes to ``parse_qsl`` directly, the call
    Werkzeug's form parser makes, with the same error handling (a body that is not UTF-8 is an empty
    form), but without its stream wrappers and multi-dict: those were a tenth of the webhook's CPU.
    The body limit still holds (``get_data`` answers 413). Any other body goes Werkzeug's way.
    """
    if request.mimetype != FORM_TYPE:
        return request.form.to_dict()
    try:
        text = request.get_data(cache=True).decode()
    except UnicodeDecodeError:
        return {}
    form: dict[str, str] = {}
    for name, value in parse_qsl(text, keep_blank_values=True, errors="werkzeug.url_quote"):
        form.setdefault(name, value)
    return form


def _verify(instance: ChannelInstance | None = None, form: dict | None = None) -> None:
    """403 unless ``X-Twilio-Signature`` matches the public URL Twilio called and every parameter.

    Signed with the auth token of the instance's account (the settings' own without an instance).
    ``form`` is the request's form as a dict when the caller has already made it.
    """
    svc = services()
    token = svc.settings.twilio_auth_token
    if instance is not None and instance.auth_token_env:
        token = svc.settings.setting(instance.auth_token_env) or token
    inbound = Inbound(url=svc.settings.public_base_url + request.full_path.rstrip("?"), headers=request.headers,
                      form=_form() if form is None else form)
    if not PROVIDERS[instance.provider if instance is not None else "whatsapp"].verify(token or "", inbound):
        metrics.incr(svc.redis, "webhook_rejected_total", channel="whatsapp")
        log.warning("twilio signature rejected", extra={"path": request.path})
        abort(403)


@bp.post("/webhooks/twilio")
def inbound() -> Response:
    svc = services()
    form = _form()
    to = clean.text(form.get("To") or "", 64)
    instance = svc.channels.for_twilio(to)
    _verify(instance, form)
    if instance is None or instance.provider not in TWILIO:
        _not_routable(to, form)
        return Response(EMPTY_TWIML, mimetype="text/xml")
    try:
        message = PROVIDERS[instance.provider].parse(form)
    except clean.Unusable as exc:
        # No usable sender or id: Twilio must still get 200, or it delivers the same payload again.
        log.warning("twilio inbound set aside: %s", exc.reason)
        metrics.incr(svc.redis, "webhook_unusable_total", channel=instance.provider)
        return Response(EMPTY_TWIML, mimetype="text/xml")
    if not instance.default:
        message = replace(message, instance=instance.id)
    accept(svc, message, form)
    return Response(EMPTY_TWIML, mimetype="text/xml")


def _not_routable(to: str, form: dict) -> None:
    """A number no WhatsApp or SMS instance serves: recorded, never processed.

    The log names the receiving number masked (it is an agency's, but reads like anyone's) and nothing
    of the sender.
    """
    svc = services()
    sid = clean.text(form.get("MessageSid") or "", 64)
    metrics.incr(svc.redis, "webhook_unroutable_total", channel="whatsapp")
    log.warning("twilio inbound to a number no channel instance serves; not processed",
                extra={"to": mask(to) or "-"})
    if clean.ID_PATTERN.match(sid):
        with session_scope(svc.sessions) as session:
            record_unroutable(session, channel="whatsapp", platform_id=sid, address=to)


@bp.post("/webhooks/twilio/status")
def status() -> Response:
    # Signed with the account of the number the message went from (``From``): an instance may have its own.
    form = _form()
    _verify(services().channels.for_twilio(clean.text(form.get("From") or "", 64)), form)
    sid = form.get("MessageSid", "")
    state = clean.text(form.get("MessageStatus") or form.get("SmsStatus") or "", 20).lower()
    code = clean.optional_text(form.get("ErrorCode"), 20)
    svc = services()
    if not clean.ID_PATTERN.match(sid):
        log.warning("twilio status callback without a usable message id")
        return Response("", status=204)
    if state:
        with session_scope(svc.sessions) as session:
            update_delivery(session, sid, state, code)
        if state in ("failed", "undelivered"):
            channel = "whatsapp" if (form.get("To") or "").startswith("whatsapp:") else "sms"
            metrics.incr(svc.redis, "send_failures_total", channel=channel)
        if code == "63016":
            # Accepted, then refused for the 24-hour window: the update goes again as the approved template.
            queue(svc.redis, Queues.SEND, svc.settings.queue_prefix).enqueue(
                "workers.relay.resend_as_template", sid, job_id=f"template-{sid}")
    return Response("", status=204)
