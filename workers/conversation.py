"""Handle each chat's messages strictly in order: run the flow, apply effects, send replies."""
from __future__ import annotations

import functools
import logging
import time
from datetime import timedelta

from bot.ops import metrics
from bot.store.db import session_scope
from bot.store.chat_state import StateStore
from bot.store.inbound import load_inbound, mark_processed
from bot.store.states import load_state, save_state
from bot.store.turns import open_turn
from flows import Context, Message, step, wants_media
from workers import chat_lock, delivery, draining, effects, front_desk, media, officer_router
from bot.queues import Queues, kick_chat, kick_ready, queue, ready_key, redis_key
from workers.runtime import Runtime, runtime

log = logging.getLogger("loket.worker")


DRAIN_SECONDS = 20  # a drain job hands the rest of the ready list to a new job after this long
# A long-running worker's drain job waits this long for the next chat before it ends (workers/draining.py).
LINGER_SECONDS = 2.0


def drain_ready(chat: str | None = None) -> int:
    """Drain ``chat`` (if given), then chats from the ready list until it is empty; how many messages were handled.

    One job serves many chats under a burst (bot.queues.enqueue_inbound), and in a long-running worker
    it waits ``LINGER_SECONDS`` for the next one, so RQ's cost (3 ms a job) is paid per job and not per
    message. ``WORKER_THREADS`` chats are handled at once (workers/draining.py). A chat from the
    list that fails is handed to a job of its own, retried with RQ's back-off while this one goes on;
    ``chat`` itself failing fails this job, which RQ retries, after handing the list to another job so
    that no ready chat is left without one.
    """
    rt = runtime()
    q = queue(rt.redis, Queues.INBOUND, rt.settings.queue_prefix)
    ready = ready_key(q)
    handled = 0
    if chat is not None:
        try:
            handled += process_chat(chat)
        except Exception:
            if rt.redis.llen(ready):
                kick_ready(q)
            raise
    deadline = time.monotonic() + DRAIN_SECONDS
    handled += draining.drain(rt.redis, ready, process_chat, deadline, rt.settings.worker_threads,
                              on_failure=lambda failed: kick_chat(q, failed, after_seconds=5),
                              linger=LINGER_SECONDS if rt.lingers else 0.0,
                              others=tuple(queue(rt.redis, name, rt.settings.queue_prefix).key for name in Queues.ALL))
    if time.monotonic() > deadline and rt.redis.llen(ready):
        kick_ready(q)
    return handled


def process_chat(chat: str) -> int:
    """Drain ``chat``'s inbox in order under its lock; return how many messages were handled."""
    rt = runtime()
    redis = rt.redis
    inbox, processing = redis_key("inbox", chat), redis_key("processing", chat)
    lock_ttl = rt.settings.chat_lock_seconds
    handled = 0
    while True:
        # A worker the heartbeat watches holds it (HANDLED): it drains the inbox and looks again after
        # letting go, or its successor does if it dies; nothing to wait for. Any other holder: wait at
        # most one lock lifetime, within which a dead holder's lock expires and we take over.
        deadline = time.monotonic() + lock_ttl + 1
        while (taken := chat_lock.take(redis, chat, rt.worker_id, lock_ttl))[0] == chat_lock.BUSY:
            if time.monotonic() > deadline:
                _recheck_later(rt, chat, lock_ttl + 1)  # a holder that keeps renewing: look again later
                return handled
            with draining.waiting():  # the holder may be a turn of this process, waiting to compute
                time.sleep(0.05)
        state, held, first = taken
        if state in (chat_lock.NOTHING, chat_lock.HANDLED):
            return handled
        renewed = time.monotonic()
        try:
            # A message a killed worker was handling comes first, then the inbox in order.
            raw = first
            while raw is not None:
                # The turn's own last writes (its bookkeeping and metrics), done with the message and
                # the next one taken, in one round trip (the processing list is read from its head, so
                # one taken ahead of an unfinished one keeps its place).
                pipe = redis.pipeline(transaction=False)
                _handle_or_give_up(rt, int(raw), pipe)
                handled += 1
                pipe.lpop(processing)
                pipe.lindex(processing, 0)
                pipe.lmove(inbox, processing, "LEFT", "RIGHT")
                *_, unfinished, taken_next = pipe.execute()
                raw = unfinished or taken_next
                if time.monotonic() - renewed > lock_ttl / 4:
                    # Also between the heartbeat's renewals: raises if the lock was lost in a stall.
                    chat_lock.extend(redis, held)
                    renewed = time.monotonic()
        finally:
            ours, waiting = chat_lock.let_go(redis, held)
            if not ours:
                log.warning("chat lock expired while handling")
        if not waiting:
            return handled


MAX_ATTEMPTS = 5


def _handle_or_give_up(rt: Runtime, inbound_id: int, pipe=None) -> None:
    """Handle the message; after ``MAX_ATTEMPTS`` failures set it aside so one bad message cannot block its chat.

    Earlier failures re-raise: the job is retried and the chat waits, keeping its order.
    """
    try:
        handle_inbound(rt, inbound_id, pipe)
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
        q.enqueue_in(timedelta(seconds=seconds), "workers.conversation.drain_ready", chat, job_id=job_id,
                     result_ttl=0)


def handle_inbound(rt: Runtime, inbound_id: int, pipe=None) -> None:
    """Run one message through the flow. Safe to run again after a crash at any point.

    The turn's last Redis writes go on ``pipe`` when given, a pipeline the caller executes next (with
    its own), else in a round trip of their own.
    """
    started = time.monotonic()
    with session_scope(rt.sessions) as session:
        row = load_inbound(session, inbound_id)
        if row is None or row.processed_at is not None:
            return
        if (row.message or {}).get("erased"):
            # The citizen asked for erasure in this very message and a crash interrupted the turn.
            mark_processed(session, inbound_id)
            return
        msg = Message.from_dict(row.message)
        chat = row.chat_key
        # Most messages are a citizen's in a private chat: their turn's rows go in this same transaction.
        command = officer_router.command_of(msg)
        citizen = not msg.group and command is None
        opened = _open_turn(rt, session, msg) if citizen else None
    if msg.ack_token:
        _acknowledge(rt, msg)
    if not citizen and officer_router.route(rt, inbound_id, msg, command):
        _finish(rt, inbound_id, started, msg, pipe)
        return
    if msg.group:
        _finish(rt, inbound_id, started, msg, pipe)  # citizens talk to the bot in private chats only
        return
    store = StateStore(rt.redis, rt.settings.state_ttl_seconds)
    instance = rt.channels.by_id(msg.instance or msg.channel)
    if opened is None:  # a command-like text from someone who is no officer: a citizen after all
        with session_scope(rt.sessions) as session:
            opened = _open_turn(rt, session, msg)
    convo_id, citizen_id, agency = opened.conversation_id, opened.citizen_id, opened.agency_id

    def from_sql() -> dict | None:  # Redis lost it (a restart without persistence): the copy in SQL
        with rt.sessions() as session:
            return load_state(session, chat, rt.settings.state_ttl_seconds)
    # A first contact (most of a broadcast's messages) has no copy anywhere: nothing was ever saved.
    state = store.start_turn(chat, inbound_id, None if opened.created else from_sql)
    placed = front_desk.place_turn(rt, instance, state, msg, agency, convo_id)
    state, msg, agency = placed.state, placed.msg, placed.agency
    ctx = Context(pack=rt.pack_for(agency), now=msg.received_at, calendar=rt.calendar_for(agency),
                  media_limit_bytes=rt.settings.media_max_bytes)
    if msg.media and wants_media(state or {}, ctx):
        with draining.waiting():  # downloads, up to the media limit each
            msg = media.fetch_all(rt, msg, convo_id)
    if officer_router.waiting_reply(rt, msg, convo_id, state, opened.waiting_ticket_id):
        _finish(rt, inbound_id, started, msg, pipe)
        return
    result = placed.ask or step(state, msg, ctx)
    replies = list(result.replies)
    for effect in result.effects:
        replies += effects.apply(rt, effect, msg=msg, conversation_id=convo_id, citizen_id=citizen_id,
                                 state=result.state)
    store.put(chat, result.state)
    # From the instance the citizen wrote to: their agency's number or bot. The state's SQL copy goes
    # in the transaction that claims the replies, the inbound is marked done with the last one sent.
    delivery.send_replies(rt, msg.instance or msg.channel, msg.chat_id, convo_id, replies,
                          key_prefix=f"reply:{inbound_id}",
                          before=functools.partial(save_state, chat=chat, state=result.state),
                          after=functools.partial(mark_processed, inbound_id=inbound_id))
    _finish(rt, inbound_id, started, msg, pipe, marked=True)


def _open_turn(rt: Runtime, session, msg: Message):
    instance = rt.channels.by_id(msg.instance or msg.channel)
    return open_turn(session, channel=msg.channel, identity=msg.sender_id, display_name=msg.sender_name,
                     chat_id=msg.chat_id, instance=msg.instance or None,
                     agency_id=instance.agencies[0] if instance else rt.default_agency,
                     at=msg.received_at, kind=msg.kind, platform_id=msg.platform_id)


def _finish(rt: Runtime, inbound_id: int, started: float, msg: Message, pipe=None, marked: bool = False) -> None:
    """Mark the message done (unless its last reply did), forget its starting state, time it.

    Forgetting and timing may wait for the caller's ``pipe``: a turn whose DEL is lost with a crash only
    leaves its starting state to expire.
    """
    if not marked:
        with session_scope(rt.sessions) as session:
            mark_processed(session, inbound_id)
    own = pipe is None
    pipe = rt.redis.pipeline(transaction=False) if own else pipe
    StateStore(rt.redis, rt.settings.state_ttl_seconds).turn_done(inbound_id, pipe)
    metrics.observe_in(pipe, "job_seconds", time.monotonic() - started, channel=msg.channel)
    if own:
        pipe.execute()


def _acknowledge(rt: Runtime, msg: Message) -> None:
    try:
        rt.sender(msg.instance or msg.channel).acknowledge(msg.ack_token)
    except LookupError:
        pass
