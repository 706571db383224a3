"""A real content pack and calendar, and a chat that runs the pure engine turn by turn."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.calendar.agency import calendar_for
from bot.content import load_pack
from bot.settings import PROJECT_ROOT
from flows import Context, Media, Message, Result, step

#: Monday 23 November 2026, 10:00 WITA: a working day, so "tomorrow" is one too.
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def pack():
    return load_pack(PROJECT_ROOT / "content" / "buleleng-kesra")


@pytest.fixture(scope="session")
def calendar(pack):
    return calendar_for(pack)


@pytest.fixture
def ctx(pack, calendar) -> Context:
    return Context(pack=pack, now=NOW, calendar=calendar)


def make_message(text: str = "", kind: str = "text", **kw) -> Message:
    return Message(channel="whatsapp", chat_id="+6281234567890", sender_id="+6281234567890", kind=kind, text=text,
                   received_at=NOW, **kw)


def document(evidence_id: int | None = 41, refused: str | None = None, **detail) -> Message:
    """A file as the worker hands it to the flow: stored (evidence id) or refused (reason)."""
    media = Media(ref="https://media.example/1", content_type="application/pdf", evidence_id=evidence_id,
                  refused=refused, detail=detail)
    return make_message(kind="media", media=(media,))


class Chat:
    """One citizen's conversation: ``chat.say("halo")`` runs a turn and keeps the state."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.state: dict | None = None
        self.last: Result | None = None

    def send(self, msg: Message) -> Result:
        self.last = step(self.state, msg, self.ctx)
        self.state = self.last.state
        return self.last

    def say(self, *texts: str) -> Result:
        for text in texts:
            self.send(make_message(text))
        return self.last

    def press(self, key: str, token: int | None = None) -> Result:
        token = self.state["token"] if token is None else token
        return self.send(make_message(kind="callback", callback_data=f"t{token}:{key}"))

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.last.replies]

    @property
    def text(self) -> str:
        """Every reply of the last turn, joined."""
        return "\n".join(self.texts)

    @property
    def options(self) -> list[str]:
        return [o.label for r in self.last.replies for o in r.options]

    @property
    def screen(self) -> str | None:
        return self.state.get("screen")


@pytest.fixture
def chat(ctx) -> Chat:
    return Chat(ctx)
