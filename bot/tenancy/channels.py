"""Channel instances: which number or bot reaches which agencies, read from ``CONTENT_DIR/channels.yaml``.

Twilio names the number a message was sent to in ``To``, so a WhatsApp or SMS instance is found by its
address (as GOV.UK Notify routes inbound SMS by the receiving number); a Telegram bot has a webhook path
of its own. Credentials are referenced by setting name, never written in the file, so the file can be
reviewed and versioned like the rest of the content.

Without a ``channels.yaml`` the deployment's single WhatsApp sender and Telegram bot serve every agency
(a front desk when there are several), which is how a one-agency deployment has always run.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.channels.providers import INSTANCE_PROVIDERS
from bot.channels.providers import PROVIDERS as PROVIDER_MODULES
from bot.content import Problem
from bot.settings import Settings

PROVIDERS = INSTANCE_PROVIDERS
FILE_NAME = "channels.yaml"
_SETTING = re.compile(r"[A-Z][A-Z0-9_]*")


class ChannelsError(Exception):
    """A ``channels.yaml`` that cannot be used; ``problems`` names file, field and reason for each."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    name: str | None = Field(default=None, min_length=1, max_length=80)  # what people know it as
    provider: str = Field(min_length=1, max_length=40)
    address: str | None = None
    agencies: list[str] = Field(min_length=1)
    token_env: str | None = Field(default=None, pattern=_SETTING.pattern)
    secret_env: str | None = Field(default=None, pattern=_SETTING.pattern)
    account_sid_env: str | None = Field(default=None, pattern=_SETTING.pattern)
    auth_token_env: str | None = Field(default=None, pattern=_SETTING.pattern)


def _entry_problems(entry: _Entry) -> list[tuple[str, str]]:
    """(field, reason) for what the schema alone cannot say: what each provider needs (its module says)."""
    if entry.provider not in PROVIDER_MODULES:
        return [("provider", f"{entry.provider!r} is not one of {', '.join(PROVIDERS)}")]
    return PROVIDER_MODULES[entry.provider].instance_problems(entry)


@dataclass(frozen=True)
class ChannelInstance:
    """One number or bot, the agencies it serves, and the names of the settings holding its secrets."""

    id: str
    provider: str
    address: str | None
    agencies: tuple[str, ...]
    token_env: str | None = None
    secret_env: str | None = None
    account_sid_env: str | None = None
    auth_token_env: str | None = None
    default: bool = False  # made from the single-sender settings, not from channels.yaml
    name: str | None = None  # what people know it as ("Mal Pelayanan Publik"); optional

    @property
    def front_desk(self) -> bool:
        """Whether the citizen may have to be asked which agency they mean."""
        return len(self.agencies) > 1

    def setting_names(self) -> list[str]:
        return [n for n in (self.token_env, self.secret_env, self.account_sid_env, self.auth_token_env) if n]


class ChannelRegistry:
    """The deployment's channel instances, looked up the way inbound traffic names them."""

    def __init__(self, instances: list[ChannelInstance]):
        self.instances = list(instances)
        self._by_id = {i.id: i for i in self.instances}
        self._by_address = {i.address: i for i in self.instances if i.address}

    def by_id(self, instance_id: str) -> ChannelInstance | None:
        return self._by_id.get(instance_id)

    def for_twilio(self, to: str) -> ChannelInstance | None:
        """The WhatsApp or SMS instance Twilio delivered to (``To``); ``None`` when no instance serves it."""
        found = self._by_address.get((to or "").strip())
        if found is not None:
            return found
        if not (to or "").startswith("whatsapp:"):
            return None
        # A default WhatsApp instance with no configured sender takes any WhatsApp number: the demo and a
        # deployment that has not yet set TWILIO_WHATSAPP_FROM keep working as before.
        return next((i for i in self.instances if i.default and i.provider == "whatsapp" and not i.address), None)

    def default_telegram(self) -> ChannelInstance | None:
        """The instance behind ``/webhooks/telegram`` (the settings' own bot)."""
        return next((i for i in self.instances if i.provider == "telegram" and i.default), None) or next(
            (i for i in self.instances if i.provider == "telegram"), None)

    def serving(self, agency_id: str) -> list[ChannelInstance]:
        return [i for i in self.instances if agency_id in i.agencies]

    def for_officers(self, agency_id: str, provider: str) -> ChannelInstance | None:
        """The instance the agency's officers hear the bot on: one of the agency's own (serving it
        alone) first, else one it shares; ``None`` when no ``provider`` instance serves the agency."""
        serving = [i for i in self.serving(agency_id) if i.provider == provider]
        return next((i for i in serving if not i.front_desk), None) or next(iter(serving), None)


def chat_key(channel: str, chat_id: str, instance: str | None = None) -> str:
    """The key of one chat with one instance: its inbox, lock, state and inbound rows go by it.

    A chat with the channel's default instance keeps the key it has always had (``whatsapp:+62…``); with
    another instance the instance is part of it, so one phone writing to two agencies' numbers has two
    chats, two states and two orders of messages.
    """
    if not instance or instance == channel:
        return f"{channel}:{chat_id}"
    return f"{channel}/{instance}:{chat_id}"


def _default_instances(settings: Settings, agencies: list[str]) -> list[ChannelInstance]:
    served = tuple(agencies)
    return [
        ChannelInstance("whatsapp", "whatsapp", settings.twilio_whatsapp_from or None, served,
                        account_sid_env="TWILIO_ACCOUNT_SID", auth_token_env="TWILIO_AUTH_TOKEN", default=True),
        ChannelInstance("telegram", "telegram", None, served, token_env="TELEGRAM_BOT_TOKEN",
                        secret_env="TELEGRAM_WEBHOOK_SECRET", default=True),
    ]


def _read(path: Path) -> tuple[list, list[Problem]]:
    rel = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(rel, "-", f"cannot be read: {exc}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], [Problem(rel, f"line {mark.line + 1}" if mark else "-",
                            f"not valid YAML: {getattr(exc, 'problem', exc)}")]
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [Problem(rel, "-", "must be a list of channel instances (- id: …)")]
    return data, []


def _parse(path: Path, agencies: list[str]) -> tuple[list[ChannelInstance], list[Problem]]:
    rel = path.name
    raw, problems = _read(path)
    instances: list[ChannelInstance] = []
    seen_ids: set[str] = set()
    seen_addresses: set[str] = set()
    for n, item in enumerate(raw):
        if not isinstance(item, dict):
            problems.append(Problem(rel, str(n), "must be a mapping (id, provider, address, agencies)"))
            continue
        try:
            entry = _Entry.model_validate(item)
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"])
                problems.append(Problem(rel, f"{n}.{loc}" if loc else str(n), err["msg"]))
            continue
        problems += [Problem(rel, f"{n}.{field}", reason) for field, reason in _entry_problems(entry)]
        if entry.id in seen_ids:
            problems.append(Problem(rel, f"{n}.id", f"duplicate channel id {entry.id!r}"))
        if entry.address and entry.address in seen_addresses:
            problems.append(Problem(rel, f"{n}.address", f"{entry.address!r} is already another instance's"))
        for agency_id in entry.agencies:
            if agency_id not in agencies:
                problems.append(Problem(rel, f"{n}.agencies", f"agency {agency_id!r} is not an agency served here (AGENCIES, pack folders)"))
        seen_ids.add(entry.id)
        if entry.address:
            seen_addresses.add(entry.address)
        instances.append(ChannelInstance(
            entry.id, entry.provider, entry.address, tuple(entry.agencies), entry.token_env, entry.secret_env,
            entry.account_sid_env or ("TWILIO_ACCOUNT_SID" if entry.provider != "telegram" else None),
            entry.auth_token_env or ("TWILIO_AUTH_TOKEN" if entry.provider != "telegram" else None),
            name=entry.name))
    return instances, problems


def load_channels(settings: Settings, agencies: list[str]) -> ChannelRegistry:
    """The channel instances of ``CONTENT_DIR/channels.yaml``, or the single-sender default without one."""
    path = settings.content_dir / FILE_NAME
    if not path.exists():
        return ChannelRegistry(_default_instances(settings, agencies))
    instances, problems = _parse(path, agencies)
    if problems:
        raise ChannelsError(problems)
    return ChannelRegistry(instances)


def check_channels_file(path: Path, agencies: list[str]) -> list[Problem]:
    """Every problem of one ``channels.yaml`` (empty when it is usable or absent)."""
    if not path.exists():
        return []
    return _parse(path, agencies)[1]
