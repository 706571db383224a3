"""Helpers every flow uses: wording lookup, menus with tokens, screen changes."""
from __future__ import annotations

from typing import Callable, Iterable

from flows.types import Context, Message, Option, Reply, Result

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
    return Reply(text=text, options=tuple(Option(k, label) for k, label in options), menu_token=state["token"])


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
