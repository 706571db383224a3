"""Open a flow in a citizen's conversation from an event, in order with the chat's own messages.

``start_flow`` is the one way Loket starts talking first (the survey after a
ticket is served today; a reminder about a half-done form could be next). It
takes the chat's lock as the inbound path does (``workers/conversation.py``),
so it never runs between a message and its reply; loads the state (Redis,
else the SQL copy); runs a pure entry of ``flows/events.py``; saves the state;
and sends through the outbox, so a re-run sends nothing twice. Inside
WhatsApp's 24-hour window (and always on Telegram) the flow starts at once;
outside it the approved template goes (``workers/window.py``) and the flow
starts when the citizen answers it.
"""
from __future__ import annotations

import logging

from redis.exceptions import LockError

from bot.exceptions import OutsideWindow
from bot.store.models import utcnow
from bot.store.chat_state import StateStore
from bot.store.citizen_desk import get_conversation_snapshot, read_chat_state, write_chat_state
from flows import events
from bot.types import Reply
from flows.types import Context
from workers import delivery, window
from bot.queues import chat_key, redis_key
from workers.runtime import Runtime, runtime

log = logging.getLogger("loket.worker")


class ChatLocked(Exception):
    """Another worker holds the chat for longer than a lock lifetime; the job is retried."""


def start_flow(conversation_id: int, flow: str, args: dict, key: str, template: str, values: dict,
               lang: str = "id") -> str:
    """Open ``flow`` with ``args`` in the conversation; return "free", "template", "busy" or why not.

    "busy": the citizen is in the middle of a form and is not interrupted; the caller tries again later.
    """
    rt = runtime()
    convo = get_conversation_snapshot(rt.sessions, conversation_id)
    if convo is None:
        return "no conversation"
    channel, chat_id, last_in = convo.channel, convo.chat_id, convo.last_inbound_at
    instance, agency = convo.instance, convo.agency_id
    if instance not in rt.senders:
        return "no sender"
    chat = chat_key(channel, chat_id, instance)
    ttl = rt.settings.chat_lock_seconds
    lock = rt.redis.lock(redis_key("lock", chat), timeout=ttl, blocking=True, blocking_timeout=ttl + 1, sleep=0.05)
    if not lock.acquire():
        raise ChatLocked(f"chat of conversation {conversation_id} stayed locked")
    turn = f"event:{key}"
    store = StateStore(rt.redis, rt.settings.state_ttl_seconds)
    try:
        state = store.get(chat)
        if state is None:
            state = read_chat_state(rt.sessions, chat, rt.settings.state_ttl_seconds)
        # A re-run after a failed send starts from the state before the first run (and the outbox
        # sends only what did not go); the snapshot is dropped once the turn is complete.
        state = store.before_turn(chat, turn, state)
        if events.busy(state):
            store.turn_done(turn)
            return "busy"
        ctx = Context(pack=rt.pack_for(agency), now=utcnow(), calendar=rt.calendar_for(agency))
        how = _open(rt, store, chat, (instance, chat_id, conversation_id, agency), state, ctx, flow, args, key,
                    template, values, lang, window.window_open(channel, last_in))
        store.turn_done(turn)
    finally:
        try:
            lock.release()
        except LockError:
            log.warning("chat lock expired while opening a flow")
    log.info("flow %s opened by an event: %s", flow, how, extra={"channel": channel})
    return how


def _open(rt: Runtime, store: StateStore, chat: str, where: tuple, state: dict | None, ctx: Context, flow: str,
          args: dict, key: str, template: str, values: dict, lang: str, window_open: bool) -> str:
    channel, chat_id, conversation_id, agency = where  # channel: the sender (the instance written to)
    if window_open:
        result = events.open_flow(state, ctx, flow, args, lang)
        _save(rt, store, chat, result.state)
        try:
            delivery.send_replies(rt, channel, chat_id, conversation_id, result.replies, key_prefix=f"event:{key}")
            return "free"
        except OutsideWindow:
            pass  # WhatsApp says the window is shut after all: the invitation goes as the template
    fallback = window.template(rt, template, values, agency)
    if fallback is None:
        log.warning("no %s template in the pack; the invitation cannot go outside the window", template)
        return "no template"
    result = events.invite(state, ctx, flow, args, lang)
    _save(rt, store, chat, result.state)
    text = events.invitation_text(ctx, result.state, flow, values.get("number", ""))
    return window.deliver(rt, channel, chat_id, conversation_id, Reply(text), f"event:{key}:invite", fallback,
                          known_closed=True)


def _save(rt: Runtime, store: StateStore, chat: str, state: dict) -> None:
    store.put(chat, state)
    write_chat_state(rt.sessions, chat, state)
