"""A chat simulator in the browser: a third channel through the very same pipeline.

Enabled by ``LOKET_SIMULATOR=1`` (``loket demo`` sets it); off in production. The citizen picks one of
the deployment's numbers or bots (its channel instances), and the page plays that instance: messages go
in through the one intake, and the worker's replies to an instance without credentials land in a list
the page reads (bot/channels/simulator.py ``Sender``). Beside the citizen, an officer registered for the
agency reads the agency's bot as Telegram would show it: the unit's group with its notices and buttons,
and the private chat; what the officer types goes in as that officer's Telegram message, so officer
commands run exactly as they do from Telegram. Anyone who can open the page can act as any officer:
that is why it is for the demo only.
"""
from __future__ import annotations

import json
import re
import uuid
from dataclasses import replace
from datetime import datetime, timezone

from flask import Blueprint, abort, jsonify, render_template, request

from bot.channels import simulator
from bot.content import ContentError
from bot.store.officers import get_officer, list_officers
from bot.tenancy import ChannelInstance, load_agencies
from bot.types import Message
from webhooks.services import services
from webhooks.intake import accept

bp = Blueprint("simulator", __name__, template_folder="templates")
SESSION = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
CHAT = re.compile(r"^-?\d{1,20}$")
MAX_TEXT = 4000


def _enabled() -> None:
    if not services().settings.simulator_enabled:
        abort(404)


def _agency(agency_id: str):
    """The agency's ``agency.yaml`` as loaded, or None if its pack does not load."""
    try:
        return load_agencies(services().settings)[agency_id].agency
    except (ContentError, OSError, KeyError):
        return None


def _short_name(agency_id: str) -> str:
    agency = _agency(agency_id)
    return agency.short_name if agency is not None else agency_id


def _played() -> list[ChannelInstance]:
    """The channel instances the page plays (channels.yaml's); none: the simulator's own chat."""
    return [i for i in services().channels.instances if not i.default]


def _instance(instance_id: str) -> ChannelInstance | None:
    return next((i for i in _played() if i.id == instance_id), None)


def _line(inst: ChannelInstance) -> dict:
    agencies = [_short_name(a) for a in inst.agencies]
    return {"id": inst.id, "name": inst.name or " / ".join(agencies), "named": inst.name is not None,
            "provider": inst.provider,
            "number": (inst.address or "").removeprefix("whatsapp:"), "front_desk": inst.front_desk,
            "agencies": agencies}


def _officer_bot(agency_id: str) -> ChannelInstance | None:
    """The played Telegram bot the agency's officers read (the one their notices go from)."""
    inst = services().channels.for_officers(agency_id, "telegram")
    return inst if inst is not None and not inst.default else None


def _officer_view(officer) -> dict | None:
    """An officer the page can act as: their bot, their units' groups and their private chat."""
    bot, agency = _officer_bot(officer.agency_id), _agency(officer.agency_id)
    if bot is None or agency is None or not officer.telegram_user_id:
        return None
    units = [agency.unit(u) for u in officer.units or []]
    chats = [{"chat": str(u.telegram_chat_id), "unit": u.name, "group": True}
             for u in units if u is not None and u.telegram_chat_id]
    chats.append({"chat": str(officer.telegram_user_id), "unit": None, "group": False})
    return {"id": officer.id, "name": officer.name, "role": officer.role, "agency": agency.short_name,
            "instance": bot.id, "telegram": str(officer.telegram_user_id), "chats": chats}


@bp.get("/simulator")
def page():
    _enabled()
    lines = [_line(i) for i in _played()]
    title = lines[0]["name"] if lines else _short_name(services().settings.content_pack)
    return render_template("simulator.html", agency=title, lines=lines)


def _message(**fields) -> Message:
    return Message(received_at=datetime.now(timezone.utc), platform_id=uuid.uuid4().hex, **fields)


def _text_or_callback(data: dict) -> tuple[str, str | None] | None:
    text = str(data.get("text", ""))[:MAX_TEXT]
    callback = data.get("callback")
    if not text.strip() and not callback:
        return None
    return ("", str(callback)[:64]) if callback else (text, None)


@bp.post("/simulator/api/send")
def send():
    """A citizen's message to the chosen number or bot (``instance``; none: the simulator's own chat)."""
    _enabled()
    data = request.get_json(silent=True) or {}
    session = str(data.get("session", ""))
    if not SESSION.match(session):
        return jsonify(error="session must be 8-64 letters, digits, - or _"), 400
    instance_id = str(data.get("instance") or "")
    if instance_id and _instance(instance_id) is None:
        return jsonify(error="no such number or bot in this deployment"), 400
    said = _text_or_callback(data)
    if said is None:
        return jsonify(error="empty message"), 400
    text, callback = said
    msg = _message(channel="simulator", chat_id=session, sender_id=session, instance=instance_id,
                   kind="callback" if callback else "text", text=text, callback_data=callback)
    accept(services(), msg, {"session": session, "text": text, "callback": callback, "instance": instance_id})
    return jsonify(ok=True), 202


@bp.get("/simulator/api/officers")
def officers():
    """The registered officers the page can act as, with their chats."""
    _enabled()
    with services().sessions() as session:
        views = [_officer_view(o) for o in list_officers(session)]
    return jsonify(officers=[v for v in views if v is not None])


@bp.post("/simulator/api/officer/send")
def officer_send():
    """What an officer types (or presses) in their unit's group or their private chat with the bot."""
    _enabled()
    data = request.get_json(silent=True) or {}
    officer_id = data.get("officer")
    with services().sessions() as session:
        officer = get_officer(session, officer_id) if isinstance(officer_id, int) else None
        view = _officer_view(officer) if officer is not None and officer.active else None
    if view is None:
        return jsonify(error="no such officer in this demo"), 400
    chat = next((c for c in view["chats"] if c["chat"] == str(data.get("chat", ""))), None)
    if chat is None:
        return jsonify(error="not one of this officer's chats"), 400
    said = _text_or_callback(data)
    if said is None:
        return jsonify(error="empty message"), 400
    text, callback = said
    msg = _message(channel="telegram", chat_id=chat["chat"], sender_id=view["telegram"],
                   group=chat["group"], instance=view["instance"], sender_name=view["name"],
                   kind="callback" if callback else "text", text=text, callback_data=callback)
    msg = replace(msg, platform_id=f"{view['instance']}:sim-{msg.platform_id}")
    accept(services(), msg, {"officer": view["id"], "chat": chat["chat"], "text": text, "callback": callback})
    return jsonify(ok=True), 202


@bp.get("/simulator/api/messages")
def messages():
    """What went to a citizen's session (``session``) or an officer's chat (``chat``), after ``after``."""
    _enabled()
    instance_id = request.args.get("instance", "")
    if instance_id and _instance(instance_id) is None:
        return jsonify(error="no such number or bot"), 400
    chat = request.args.get("chat") or request.args.get("session", "")
    if not (SESSION.match(chat) or (instance_id and CHAT.match(chat))):
        return jsonify(error="bad session"), 400
    after = request.args.get("after", "0")
    start = int(after) if after.isdigit() else 0
    raw = services().redis.lrange(simulator.Sender.list_key(instance_id or None, chat), start, start + 100)
    return jsonify(messages=[json.loads(r) for r in raw], next=start + len(raw))
