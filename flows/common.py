"""Helpers every flow uses: wording lookup, menus with tokens, screen changes, a form's named states."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable, Union

from flows.text import is_exactly
from flows.types import Context, Message, Option, Reply, Result

#: What an answer handler returns to follow its state's ``next`` (a state name names the state to go to).
NEXT = "->next"


@dataclass(frozen=True)
class State:
    """One named state of a form: the question, what an answer does, and where the form goes from there.

    ``answer(state, msg, ctx, text)`` returns a ``Result`` when it answers the turn
    itself (a hint, leaving, submitting) or the name of the state to go to
    (``NEXT``: this state's ``next``). ``next`` and ``back`` are a state name or
    a function of the draft; ``back`` None leaves the form. ``kind`` says what
    a message may be besides an answer: at a ``choice`` a word is a command or
    a question, at ``free_text`` only a question, at ``files`` the handler decides.
    """
    prompt: Callable[[dict, Context], list[Reply]]
    answer: Callable[[dict, Message, Context, str], Union[Result, str]]
    next: Union[str, Callable[[dict], str], None] = None
    back: Union[str, Callable[[dict], str], None] = None
    kind: str = "choice"
    yes_no: bool = False  # "ya" / "tidak" answer this question


def follow(target: Union[str, Callable[[dict], str], None], draft: dict) -> str | None:
    """The state ``target`` names for ``draft`` (a name, or a function of the draft)."""
    return target(draft) if callable(target) else target


#: screen name -> (show, handle). Filled by the flow modules at import.
SCREENS: dict[str, tuple[Callable, Callable]] = {}


def screen(name: str, show: Callable[[dict, Context], list[Reply]]):
    """Register ``handle`` as the handler of screen ``name`` shown by ``show``."""
    def register(handle: Callable[[dict, Message, Context], Result | None]):
        SCREENS[name] = (show, handle)
        return handle
    return register


def lang(state: dict) -> str:
    return state.get("lang", "id")


def t(ctx: Context, state: dict, key: str, **values) -> str:
    return ctx.pack.text(key, lang(state), **values)


def menu(state: dict, text: str, options: Iterable[tuple[str, str]]) -> Reply:
    """A reply offering numbered options; bumps the menu token so old buttons can be recognised."""
    state["token"] = int(state.get("token", 0)) + 1
    options = tuple(Option(k, label) for k, label in options)
    # Kept so that a label typed in words ("rahasia", "kirim") is read as its option (flows/engine.py).
    state["offered"] = [[o.key, o.label] for o in options if not o.key.startswith("o:")]
    return Reply(text=text, options=options, menu_token=state["token"])


def with_hint(text: str, hint: Reply) -> Reply:
    """An answer with its closing hint ("Ada pertanyaan lain?") below it, in one message.

    One message, not two: each WhatsApp message is billed and buzzes the phone, and the hint is a
    footer to the answer, not news of its own.
    """
    return Reply(text=f"{text}\n\n{hint.text}", options=hint.options, menu_token=hint.menu_token)


def headed(text: str, replies: list[Reply]) -> list[Reply]:
    """``replies`` with ``text`` (a greeting) on top of the first, in one message as with ``with_hint``.

    A picture or file keeps its caption to itself, and the greeting goes before it on its own.
    """
    if not replies:
        return [Reply(text)]
    first, *rest = replies
    if first.image or first.document:
        return [Reply(text), *replies]
    return [replace(first, text=f"{text}\n\n{first.text}"), *rest]


def goto(state: dict, ctx: Context, name: str, *before: Reply) -> Result:
    """Switch to screen ``name`` and show it, after the replies in ``before``."""
    state["screen"] = name
    show, _ = SCREENS[name]
    return Result(state=state, replies=[*before, *show(state, ctx)])


def show_current(state: dict, ctx: Context) -> list[Reply]:
    show, _ = SCREENS.get(state.get("screen") or "main", SCREENS["main"])
    return show(state, ctx)


def choice(text: str, n: int) -> int | None:
    """The option number typed (1..n), or None."""
    text = text.strip().rstrip(".")
    if text.isdigit() and 1 <= int(text) <= n:
        return int(text)
    return None


def switch_language(state: dict, ctx: Context, text: str) -> Reply | None:
    """Change the language when ``text`` asks for it (forms call this where it cannot be an answer)."""
    for language, name in (("en", "english"), ("id", "indonesian")):
        if is_exactly(text, ctx.pack.intents.get("commands", {}).get(name, [])):
            state["lang"] = language
            return Reply(t(ctx, state, "language_set"))
    return None


def draft_key(ctx: Context) -> str:
    """A key that names this draft for good: a re-run of the same message makes the same key."""
    return ctx.now.strftime("%Y%m%dT%H%M%S.%f")
