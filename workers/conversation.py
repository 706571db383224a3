"""Handle each chat's messages strictly in order: run the flow, apply effects, send replies."""
from __future__ import annotations

import logging
import time
from datetime import timedelta

from redis.exceptions import LockError

from bot.ops import metrics
from bot.store.db import session_scope
from bot.store.chat_state import StateStore
from bot.store.citizens import get_or_create_citizen, get_or_create_conversation, touch_inbound
from bot.store.inbound import get_inbound, mark_processed
from bot.store.messages import record_inbound_message
from bot.store.states import load_state, save_state
from flows import Context, Message, step, wants_media
from workers import delivery, effects, front_desk, media, officer_router, recovery
from bot.queues import Queues, queue, redis_key
from workers.runtime import Runtime, runtime

log = logging.getLogger("loket.worker")


def process_chat(chat: str) -> int:
    """Drain ``chat``'s inbox in order under its lock; return how many messages were handled."""
    rt = runtime()
    redis = rt.redis
    inbox, processing = redis_key("inbox", chat), redis_key("processing", chat)
    lock_ttl = rt.settings.chat_lock_seconds
    handled = 0
    while True:
        # Wait at most one lock lifetime: a live holder drains the inbox (and looks again after
        # letting go); a dead holder's lock expires within that time and we take over.
        lock = redis.lock(redis_key("lock", chat), timeout=lock_ttl, blocking=True,
                          blocking_timeout=lock_ttl + 1, sleep=0.05)
        if not redis.llen(inbox) and not redis.llen(processing):
            return handled
        if not lock.acquire():
            _recheck_later(rt, chat, lock_ttl + 1)  # a holder that keeps renewing: look again later
            return handled
        # Known to the heartbeat thread: it renews the lock while we live, and another worker's
        # frees it and queues the chat within seconds if we die (workers/recovery.py).
        claimed = recovery.claim(redis, rt.worker_id, chat, lock.local.token) if rt.worker_id else None
        try:
            # A message a killed worker was handling comes first, then the inbox in order.
            while True:
                raw = redis.lindex(processing, 0) or redis.lmove(inbox, processing, "LEFT", "RIGHT")
                if raw is None:
                    break
                _handle_or_give_up(rt, int(raw))
                redis.lpop(processing)
                handled += 1
                lock.reacquire()
        finally:
            if claimed:
                recovery.unclaim(redis, chat, claimed)
            try:
                lock.release()
            except LockError:
                log.warning("chat lock expired while handling")
        if not redis.llen(inbox):
            return handled


MAX_ATTEMPTS = 5


def _handle_or_give_up(rt: Runtime, inbound_id: int) -> None:
    """Handle the message; after ``MAX_ATTEMPTS`` failures set it aside so one bad message cannot block its chat.

    Earlier failures re-raise: the job is retried and the chat waits, keeping its order.
    """
    try:
        handle_inbound(rt, inbound_id)
    except Exception:
        attempts = rt.redis.incr(f"loket:attempts:{inbound_id}")
        rt.redis.expire(f"loket:attempts:{inbound_id}", 7 * 24 * 3600)
        if attempts < MAX_ATTEMPTS:
            raise
        log.exception("inbound %s failed %d times; set aside", inbound_id, attempts)
        metrics.incr(rt.redis, "inbound_set_aside_total")
        with session_scope(rt.sessions) as session:
            mark_processed(session, inbound_id)


def _recheck_later(rt: Runtime, chat: str, seconds: int) -> None:
    job_id = "recheck-" + redis_key("chat", chat).rsplit(":", 1)[-1]
    q = queue(rt.redis, Queues.INBOUND, rt.settings.queue_prefix)
    if q.fetch_job(job_id) is None:  # one pending re-check per chat is enough
        q.enqueue_in(timedelta(seconds=seconds), "workers.conversation.process_chat", chat, job_id=job_id,
                     result_ttl=0)


def handle_inbound(rt: Runtime, inbound_id: int) -> None:
    """Run one message through the flow. Safe to run again after a crash at any point."""
    started = time.monotonic()
    with session_scope(rt.sessions) as session:
        row = get_inbound(session, inbound_id)
        if row is None or row.processed_at is not None:
            return
        if (row.message or {}).get("erased"):
            # The citizen asked for erasure in this very message and a crash interrupted the turn.
            mark_processed(session, inbound_id)
            return
        msg = Message.from_dict(row.message)
        chat = row.chat_key
    if msg.ack_token:
        _acknowledge(rt, msg)
    if officer_router.route(rt, inbound_id, msg):
        _finish(rt, inbound_id, started, msg)
        return
    if msg.group:
        _finish(rt, inbound_id, started, msg)  # citizens talk to the bot in private chats only
        return
    store = StateStore(rt.redis, rt.settings.state_ttl_seconds)
    instance = rt.channels.by_id(msg.instance or msg.channel)
    with session_scope(rt.sessions) as session:
        citizen = get_or_create_citizen(session, msg.channel, msg.sender_id, msg.sender_name)
        convo = get_or_create_conversation(session, citizen, msg.channel, msg.chat_id, instance=msg.instance or None,
                                           agency_id=instance.agencies[0] if instance else rt.default_agency)
        touch_inbound(session, convo, msg.received_at)
        record_inbound_message(session, convo.id, msg.kind, msg.platform_id)
        convo_id, citizen_id, agency = convo.id, citizen.id, convo.agency_id
    state = store.get(chat)
    if state is None:  # Redis lost it (a restart without persistence): the copy in SQL, as of the last turn
        with rt.sessions() as session:
            state = load_state(session, chat, rt.settings.state_ttl_seconds)
    state = store.before_turn(chat, inbound_id, state)
    placed = front_desk.place_turn(rt, instance, state, msg, agency, convo_id)
    state, msg, agency = placed.state, placed.msg, placed.agency
    ctx = Context(pack=rt.pack_for(agency), now=msg.received_at, calendar=rt.calendar_for(agency),
                  media_limit_bytes=rt.settings.media_max_bytes)
    if msg.media and wants_media(state or {}, ctx):
        msg = media.fetch_all(rt, msg, convo_id)
    if officer_router.waiting_reply(rt, msg, convo_id, state):
        _finish(rt, inbound_id, started, msg)
        return
    result = placed.ask or step(state, msg, ctx)
    replies = list(result.replies)
    for effect in result.effects:
        replies += effects.apply(rt, effect, msg=msg, conversation_id=convo_id, citizen_id=citizen_id,
                                 state=result.state)
    store.put(chat, result.state)
    with session_scope(rt.sessions) as session:
        save_state(session, chat, result.state)
    # From the instance the citizen wrote to: their agency's number or bot.
    delivery.send_replies(rt, msg.instance or msg.channel, msg.chat_id, convo_id, replies,
                          key_prefix=f"reply:{inbound_id}")
    _finish(rt, inbound_id, started, msg)


def _finish(rt: Runtime, inbound_id: int, started: float, msg: Message) -> None:
    with session_scope(rt.sessions) as session:
        mark_processed(session, inbound_id)
    StateStore(rt.redis, rt.settings.state_ttl_seconds).turn_done(inbound_id)
    metrics.observe(rt.redis, "job_seconds", time.monotonic() - started, channel=msg.channel)


def _acknowledge(rt: Runtime, msg: Message) -> None:
    try:
        rt.sender(msg.instance or msg.channel).acknowledge(msg.ack_token)
    except LookupError:
        pass
