"""A chat simulator in the browser: a third channel through the very same pipeline.

Enabled by ``LOKET_SIMULATOR=1`` (``loket demo`` sets it); off in production.
"""
from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timezone

from flask import Blueprint, abort, jsonify, render_template, request

from bot.content import ContentError
from bot.content.cache import current_pack
from bot.types import Message
from webhooks.app import services
from webhooks.intake import accept

bp = Blueprint("simulator", __name__, template_folder="templates")
SESSION = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_TEXT = 4000


def _enabled() -> None:
    if not services().settings.simulator_enabled:
        abort(404)


def _agency_name() -> str:
    """The agency's short name for the page header; the pack id if the pack does not load."""
    settings = services().settings
    try:
        return current_pack(settings).agency.short_name
    except (ContentError, OSError):
        return settings.content_pack


@bp.get("/simulator")
def page():
    _enabled()
    return render_template("simulator.html", agency=_agency_name())


@bp.post("/simulator/api/send")
def send():
    _enabled()
    data = request.get_json(silent=True) or {}
    session = str(data.get("session", ""))
    if not SESSION.match(session):
        return jsonify(error="session must be 8-64 letters, digits, - or _"), 400
    text = str(data.get("text", ""))[:MAX_TEXT]
    callback = data.get("callback")
    if not text.strip() and not callback:
        return jsonify(error="empty message"), 400
    msg = Message(channel="simulator", chat_id=session, sender_id=session,
                  kind="callback" if callback else "text", text="" if callback else text,
                  callback_data=str(callback) if callback else None, sender_name=None,
                  received_at=datetime.now(timezone.utc), platform_id=uuid.uuid4().hex)
    accept(services(), msg, {"session": session, "text": text, "callback": callback})
    return jsonify(ok=True), 202


@bp.get("/simulator/api/messages")
def messages():
    _enabled()
    session = request.args.get("session", "")
    if not SESSION.match(session):
        return jsonify(error="bad session"), 400
    after = request.args.get("after", "0")
    start = int(after) if after.isdigit() else 0
    raw = services().redis.lrange(f"loket:sim:{session}", start, start + 100)
    return jsonify(messages=[json.loads(r) for r in raw], next=start + len(raw))
