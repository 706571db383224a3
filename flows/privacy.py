"""A citizen's rights over their personal data (UU 27/2022): see it ("data saya") and erase it ("hapus data saya")."""
from __future__ import annotations

from flows.common import goto, lang, menu, screen, t
from flows.text import yes_no
from flows.types import Context, Effect, Message, Reply, Result


def show_confirm(state: dict, ctx: Context) -> list[Reply]:
    return [menu(state, t(ctx, state, "erase_confirm"), [("1", t(ctx, state, "erase_yes")), ("2", t(ctx, state, "erase_no"))])]


@screen("erase_confirm", show_confirm)
def handle_confirm(state: dict, msg: Message, ctx: Context) -> Result | None:
    choice = (msg.text or "").strip()
    cmds = ctx.pack.intents.get("commands", {})
    answer = yes_no(choice, cmds.get("yes", []), cmds.get("no", []))
    if choice == "1" or answer is True:
        # Drafts hold personal data too: they go with the rest. The reply comes from the worker, after erasing.
        fresh = {"lang": lang(state), "screen": "main", "token": state.get("token", 0)}
        return Result(state=fresh, effects=[Effect("erase_data", {"lang": lang(state)})])
    if choice == "2" or answer is False:
        return goto(state, ctx, "main", Reply(t(ctx, state, "erase_kept")))
    return None
