"""Reach officers: a unit's Telegram group, each officer on Telegram, or WhatsApp for those who use it."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.exceptions import SendFailed
from bot.snapshots import OfficerSnapshot
from bot.types import Reply
from workers import window
from workers.delivery import send_one
from workers.runtime import Runtime
from workers.senders import Outgoing

log = logging.getLogger("loket.officers")


@dataclass(frozen=True)
class Target:
    channel: str  # the provider: "telegram" or "whatsapp"
    chat_id: str
    officer_id: int | None = None  # None for a unit's group
    role: str | None = None
    agency_id: str | None = None  # whose channel instance it goes from (None: the default agency's)

    @property
    def label(self) -> str:
        return f"{self.channel}:{'group' if self.officer_id is None else self.officer_id}"


def officer_target(officer: OfficerSnapshot) -> Target | None:
    """Where ``officer`` reads the bot: Telegram first, else WhatsApp."""
    if officer.telegram_user_id:
        return Target("telegram", str(officer.telegram_user_id), officer.id, officer.role, officer.agency_id)
    if officer.whatsapp:
        return Target("whatsapp", officer.whatsapp, officer.id, officer.role, officer.agency_id)
    return None


def targets_in_unit(rt: Runtime, officers, unit: str, agency_id: str, include_group: bool = True) -> list[Target]:
    """The places a message for the agency's ``unit`` goes: its group (if any) plus those of ``officers``
    (rows or snapshots, e.g. ``list_unit_officers``) the group does not reach."""
    targets: list[Target] = []
    unit_spec = rt.pack_for(agency_id).agency.unit(unit)
    group = unit_spec.telegram_chat_id if unit_spec else None
    if include_group and group:
        targets.append(Target("telegram", str(group), agency_id=agency_id))
    for officer in officers:
        target = officer_target(officer)
        if target is None or (group and include_group and target.channel == "telegram"):
            continue  # Telegram users of the unit read the group
        targets.append(target)
    return targets


def sender_for(rt: Runtime, target: Target) -> str | None:
    """The sender a target is reached by: its agency's own bot or number (channels.yaml), else the
    settings' default one; None when neither is configured."""
    instance = rt.channels.for_officers(target.agency_id or rt.default_agency, target.channel)
    if instance is not None and instance.id in rt.senders:
        return instance.id
    return target.channel if target.channel in rt.senders else None


def send_to_targets(rt: Runtime, targets: list[Target], reply: Reply, key: str, image_png: bytes | None = None,
                    agency_id: str | None = None) -> int:
    """Send ``reply`` to each target once (idempotent on ``key``); return how many got it.

    One officer who cannot be reached does not stop the others; a transient
    failure is raised after all were tried, so the job is retried (the ones
    already sent are skipped by their keys).
    """
    sent, transient = 0, None
    first, _, rest = reply.text.partition("\n")
    fallback = window.template(rt, "ticket_update", {"number": first[:60], "text": rest or first}, agency_id)
    for target in targets:
        sender = sender_for(rt, target)
        if sender is None:
            log.warning("no sender for %s; officer message skipped", target.channel)
            continue
        key_ = f"{key}:{target.label}"
        try:
            if image_png is not None and target.channel == "telegram":
                sent += send_one(rt, sender, target.chat_id, None, Outgoing(reply, image_png=image_png), key_)
            elif window.deliver(rt, sender, target.chat_id, None, reply, key_, fallback) != "failed":
                sent += 1  # officers' last messages are not tracked: free-form first, the template on 63016
        except SendFailed as exc:
            log.warning("officer message failed: %s", exc)
            if not exc.permanent:
                transient = transient or exc
    if transient is not None:
        raise transient
    return sent
