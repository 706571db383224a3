"""Fetch, check and store attachments, in the worker (never in the webhook).

Each provider fetches its own (``fetch_media`` in bot/channels/): Twilio media URLs need the
account's credentials, Telegram files need getFile. The real type is sniffed from the bytes, not taken from the claim,
so an executable renamed ``.jpg`` is refused. Stored files are named by
their sha256 under ``MEDIA_DIR``.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
from pathlib import Path

import filetype

from bot.channels.providers import PROVIDERS
from bot.store.db import session_scope
from bot.exceptions import MediaRefused
from bot.store.evidence import create_evidence
from bot.types import Media, Message
from workers.runtime import Runtime

log = logging.getLogger("loket.media")
ALLOWED = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}


def human_size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def _limit_error(rt: Runtime, size: int) -> MediaRefused:
    return MediaRefused("size", size=human_size(size), limit=human_size(rt.settings.media_max_bytes))


def check(content: bytes, claimed: str | None, limit: int) -> str:
    """The sniffed MIME type of ``content`` if it is acceptable; else raise ``MediaRefused``."""
    if len(content) > limit:
        raise MediaRefused("size", size=human_size(len(content)), limit=human_size(limit))
    kind = filetype.guess(content)
    mime = kind.mime if kind else None
    if mime in ALLOWED:
        return mime
    if (claimed or "") in ALLOWED:
        raise MediaRefused("mismatch")
    raise MediaRefused("type", mime=claimed or mime or "?")


def store(rt: Runtime, content: bytes, mime: str) -> tuple[Path, str]:
    digest = hashlib.sha256(content).hexdigest()
    folder = Path(rt.settings.media_dir) / digest[:2]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest}.{ALLOWED[mime]}"
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.write_bytes(content)
        tmp.replace(path)
    return path, digest


def fetch_one(rt: Runtime, msg: Message, media: Media, conversation_id: int) -> Media:
    claimed = media.content_type
    try:
        if claimed and claimed.split("/")[0] in ("video", "audio"):
            # Refuse before downloading: a 30 MB video is not evidence we can take.
            if media.size and media.size > rt.settings.media_max_bytes:
                raise _limit_error(rt, media.size)
            raise MediaRefused("type", mime=claimed)
        module = PROVIDERS.get(msg.channel)
        if module is None:
            raise MediaRefused("download")
        # The sender of the instance it came in on: a Telegram file_id is only good with the bot that
        # received it, and a Twilio MediaUrl only with the account of the number it was sent to.
        sender = rt.senders.get(msg.instance or msg.channel)
        content = module.fetch_media(media, sender, rt.settings, rt.settings.media_max_bytes,
                                     lambda size: _limit_error(rt, size))
        mime = check(content, claimed, rt.settings.media_max_bytes)
    except MediaRefused as exc:
        log.info("attachment refused: %s", exc.reason, extra={"channel": msg.channel})
        return dataclasses.replace(media, refused=exc.reason, detail=exc.detail)
    path, digest = store(rt, content, mime)
    with session_scope(rt.sessions) as session:
        ev = create_evidence(session, conversation_id=conversation_id, origin=msg.channel, origin_ref=media.ref,
                             stored_path=str(path), mime=mime, size=len(content), sha256=digest,
                             file_name=media.file_name)
        evidence_id = ev.id
    return dataclasses.replace(media, evidence_id=evidence_id, content_type=mime, size=len(content))


def fetch_all(rt: Runtime, msg: Message, conversation_id: int) -> Message:
    """``msg`` with each attachment either stored (evidence id) or refused (reason)."""
    return dataclasses.replace(msg, media=tuple(fetch_one(rt, msg, m, conversation_id) for m in msg.media))
