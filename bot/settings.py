"""One settings object, built once from the environment at each entry point.

Nothing else in the code reads ``os.environ``: the web app factory, the worker
entry point and the CLI build a ``Settings`` and pass it (or what it holds) in.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHANNEL_SETTING_PREFIXES = ("TWILIO_", "TELEGRAM_")


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"setting {name} must be a whole number, got {raw!r}") from exc


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"setting {name} must be a number, got {raw!r}") from exc


def _hosts(raw: str | None) -> tuple[str, ...]:
    return tuple(h.strip().lower() for h in (raw or "").split(",") if h.strip())


# Published defaults: a link signed with one of these can be forged by anyone who read the code.
KNOWN_SECRETS = frozenset({"dev-only-secret", "changeme", "secret"})


class MissingSetting(ValueError):
    """A setting the system cannot run without is missing; the message names it."""


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'instance' / 'loket.db'}"
    redis_url: str = "redis://127.0.0.1:6379/0"
    content_dir: Path = PROJECT_ROOT / "content"
    content_pack: str = "buleleng-kesra"
    public_base_url: str = "http://127.0.0.1:5000"
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_whatsapp_from: str = ""
    twilio_api_base_url: str = ""
    telegram_bot_token: str = ""
    telegram_webhook_secret: str = ""
    telegram_api_base_url: str = "https://api.telegram.org"
    agency_timezone: str = ""
    port: int = 5000
    media_dir: Path = PROJECT_ROOT / "instance" / "media"
    media_max_bytes: int = 10 * 1024 * 1024
    state_ttl_seconds: int = 24 * 3600
    secret_key: str = ""  # required outside the tests: see require_secret
    queue_prefix: str = ""
    simulator_enabled: bool = False
    telegram_chat_interval: float = 1.0
    telegram_group_interval: float = 3.0  # Telegram allows about 20 messages a minute in a group
    chat_lock_seconds: int = 30
    agencies: str = ""  # AGENCIES: comma-separated pack ids or "all"; empty means CONTENT_PACK alone
    #: Every TWILIO_* and TELEGRAM_* variable, so that channels.yaml can name a channel's secrets by setting.
    channel_settings: tuple[tuple[str, str], ...] = ()
    # Hosts Twilio media may be fetched from (``*.`` for any sub-domain). The Basic credentials go
    # only to Twilio's API host (or TWILIO_API_BASE_URL's); redirects go on without them.
    twilio_media_hosts: tuple[str, ...] = ("api.twilio.com", "*.twiliocdn.com")
    # Messages a second each Twilio sender (number) is allowed; Twilio queues the excess (FACTS: 80 by
    # default, more can be bought), so a number with more throughput sets its own.
    twilio_sender_mps: int = 80
    send_timeout_seconds: float = 15.0  # read timeout of one Twilio/Telegram call; a later answer is reconciled
    db_timeout_seconds: float = 5.0  # connect and statement timeout of every database call
    metrics_token: str = ""  # when set, GET /metrics needs "Authorization: Bearer <token>"
    heartbeat_seconds: float = 2.0  # a worker silent for 3 beats is dead; its chats are taken over
    sweep_after_seconds: int = 20  # recorded inbound still unprocessed after this is queued again
    # Chats one worker process has in turns at once (workers/draining.py): a turn mostly waits for the
    # platform's answer, so a process answers about this many times more chats a second than with one.
    worker_threads: int = 16

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        """Read every setting the system knows from ``env`` (default: the process environment)."""
        env = os.environ if env is None else env
        base = cls()
        content_dir = Path(env.get("CONTENT_DIR") or base.content_dir)
        if not content_dir.is_absolute():
            content_dir = (PROJECT_ROOT / content_dir).resolve()
        database_url = env.get("DATABASE_URL") or base.database_url
        if database_url.startswith("sqlite:///") and not database_url.startswith("sqlite:////"):
            rel = database_url[len("sqlite:///"):]
            if rel and rel != ":memory:":
                database_url = f"sqlite:///{(PROJECT_ROOT / rel).resolve()}"
        media_dir = Path(env.get("MEDIA_DIR") or base.media_dir)
        return cls(
            database_url=database_url,
            redis_url=env.get("REDIS_URL") or base.redis_url,
            content_dir=content_dir,
            content_pack=env.get("CONTENT_PACK") or base.content_pack,
            public_base_url=(env.get("PUBLIC_BASE_URL") or base.public_base_url).rstrip("/"),
            twilio_account_sid=env.get("TWILIO_ACCOUNT_SID", ""),
            twilio_auth_token=env.get("TWILIO_AUTH_TOKEN", ""),
            twilio_whatsapp_from=env.get("TWILIO_WHATSAPP_FROM", ""),
            twilio_api_base_url=env.get("TWILIO_API_BASE_URL", "").rstrip("/"),
            telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN", ""),
            telegram_webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET", ""),
            telegram_api_base_url=(env.get("TELEGRAM_API_BASE_URL") or base.telegram_api_base_url).rstrip("/"),
            agency_timezone=env.get("AGENCY_TIMEZONE", ""),
            port=_int(env, "PORT", base.port),
            media_dir=media_dir if media_dir.is_absolute() else (PROJECT_ROOT / media_dir).resolve(),
            media_max_bytes=_int(env, "MEDIA_MAX_BYTES", base.media_max_bytes),
            state_ttl_seconds=_int(env, "STATE_TTL_SECONDS", base.state_ttl_seconds),
            secret_key=env.get("SECRET_KEY", ""),
            queue_prefix=env.get("LOKET_QUEUE_PREFIX", ""),
            simulator_enabled=env.get("LOKET_SIMULATOR", "") in ("1", "true", "yes"),
            telegram_chat_interval=float(env.get("TELEGRAM_CHAT_INTERVAL") or base.telegram_chat_interval),
            telegram_group_interval=float(env.get("TELEGRAM_GROUP_INTERVAL") or base.telegram_group_interval),
            chat_lock_seconds=_int(env, "CHAT_LOCK_SECONDS", base.chat_lock_seconds),
            agencies=env.get("AGENCIES", "").strip(),
            channel_settings=tuple(sorted((k, v) for k, v in env.items() if k.startswith(CHANNEL_SETTING_PREFIXES))),
            twilio_media_hosts=_hosts(env.get("TWILIO_MEDIA_HOSTS")) or base.twilio_media_hosts,
            twilio_sender_mps=_int(env, "TWILIO_SENDER_MPS", base.twilio_sender_mps),
            send_timeout_seconds=_float(env, "SEND_TIMEOUT_SECONDS", base.send_timeout_seconds),
            db_timeout_seconds=_float(env, "DB_TIMEOUT_SECONDS", base.db_timeout_seconds),
            metrics_token=env.get("METRICS_TOKEN", ""),
            heartbeat_seconds=_float(env, "HEARTBEAT_SECONDS", base.heartbeat_seconds),
            sweep_after_seconds=_int(env, "SWEEP_AFTER_SECONDS", base.sweep_after_seconds),
            worker_threads=max(1, _int(env, "WORKER_THREADS", base.worker_threads)),
        )

    def to_env(self) -> dict[str, str]:
        """These settings as environment variables, for child processes (workers, the demo)."""
        return {
            "DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url, "CONTENT_DIR": str(self.content_dir),
            "CONTENT_PACK": self.content_pack, "PUBLIC_BASE_URL": self.public_base_url,
            "TWILIO_ACCOUNT_SID": self.twilio_account_sid, "TWILIO_AUTH_TOKEN": self.twilio_auth_token,
            "TWILIO_WHATSAPP_FROM": self.twilio_whatsapp_from, "TWILIO_API_BASE_URL": self.twilio_api_base_url,
            "TELEGRAM_BOT_TOKEN": self.telegram_bot_token, "TELEGRAM_WEBHOOK_SECRET": self.telegram_webhook_secret,
            "TELEGRAM_API_BASE_URL": self.telegram_api_base_url, "AGENCY_TIMEZONE": self.agency_timezone,
            "PORT": str(self.port), "MEDIA_DIR": str(self.media_dir), "MEDIA_MAX_BYTES": str(self.media_max_bytes),
            "STATE_TTL_SECONDS": str(self.state_ttl_seconds), "SECRET_KEY": self.secret_key,
            "LOKET_QUEUE_PREFIX": self.queue_prefix, "LOKET_SIMULATOR": "1" if self.simulator_enabled else "",
            "TELEGRAM_CHAT_INTERVAL": str(self.telegram_chat_interval),
            "TELEGRAM_GROUP_INTERVAL": str(self.telegram_group_interval),
            "CHAT_LOCK_SECONDS": str(self.chat_lock_seconds), "AGENCIES": self.agencies,
            "TWILIO_MEDIA_HOSTS": ",".join(self.twilio_media_hosts),
            "TWILIO_SENDER_MPS": str(self.twilio_sender_mps),
            "SEND_TIMEOUT_SECONDS": str(self.send_timeout_seconds), "DB_TIMEOUT_SECONDS": str(self.db_timeout_seconds),
            "METRICS_TOKEN": self.metrics_token, "HEARTBEAT_SECONDS": str(self.heartbeat_seconds),
            "SWEEP_AFTER_SECONDS": str(self.sweep_after_seconds), "WORKER_THREADS": str(self.worker_threads),
        } | {k: v for k, v in self.channel_settings if k not in self._OWN_ENV}

    _OWN_ENV = frozenset({
        "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_FROM", "TWILIO_API_BASE_URL",
        "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_API_BASE_URL", "TELEGRAM_CHAT_INTERVAL",
        "TELEGRAM_GROUP_INTERVAL", "TWILIO_MEDIA_HOSTS"})

    def setting(self, name: str) -> str:
        """The value of the setting ``name`` (a channel's secret named in channels.yaml), or ""."""
        own = {"TWILIO_ACCOUNT_SID": self.twilio_account_sid, "TWILIO_AUTH_TOKEN": self.twilio_auth_token,
               "TELEGRAM_BOT_TOKEN": self.telegram_bot_token, "TELEGRAM_WEBHOOK_SECRET": self.telegram_webhook_secret}
        if name in own:
            return own[name]
        return dict(self.channel_settings).get(name, "")

    def require_secret(self) -> "Settings":
        """Refuse to run without SECRET_KEY: evidence links signed with a known key could be forged."""
        if not self.secret_key or self.secret_key in KNOWN_SECRETS:
            raise MissingSetting("SECRET_KEY is not set (or is a published example): it signs evidence "
                                 "links; set it to a long random value, e.g. `python -c 'import secrets; "
                                 "print(secrets.token_urlsafe(32))'`")
        return self

    @property
    def pack_dir(self) -> Path:
        """The folder of the chosen agency pack: CONTENT_DIR itself if it is a pack, else CONTENT_DIR/CONTENT_PACK."""
        if (self.content_dir / "agency.yaml").exists():
            return self.content_dir
        return self.content_dir / self.content_pack

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)
