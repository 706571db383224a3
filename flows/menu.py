"""Main menu, the list of services, one service's topics, and free-text questions."""
from __future__ import annotations

from flows import answers, questions
from flows.topics import topic_reply, topics_for
from flows.common import choice, goto, lang, menu, screen, t
from flows.status import parse_ticket_number
from flows.text import best_match, is_exactly, phrase_in, words
from flows.types import Context, Effect, Message, Reply, Result

MAIN_OPTIONS = ("services", "complaint", "request", "status", "language")


def show_main(state: dict, ctx: Context) -> list[Reply]:
    opts = [(str(i), t(ctx, state, f"menu_{k}")) for i, k in enumerate(MAIN_OPTIONS, 1)]
    text = f"{t(ctx, state, 'main_menu')}\n\n{t(ctx, state, 'menu_hint')}"
    return [menu(state, text, opts)]


def show_services(state: dict, ctx: Context) -> list[Reply]:
    opts = [(str(i), answers.service_name(s, lang(state))) for i, s in enumerate(ctx.pack.services, 1)]
    return [menu(state, f"{t(ctx, state, 'services_title')}\n{t(ctx, state, 'services_hint')}", opts)]


def show_service(state: dict, ctx: Context) -> list[Reply]:
    svc = ctx.pack.service(state.get("service") or "")
    if svc is None:
        return show_services(state, ctx)
    opts = [(str(i), t(ctx, state, f"topic_{k}")) for i, k in enumerate(topics_for(svc), 1)]
    opts.append(("0", t(ctx, state, "back_option")))
    return [menu(state, t(ctx, state, "service_title", service=answers.service_name(svc, lang(state))), opts)]


def not_understood(state: dict, ctx: Context, text: str) -> Result:
    """Nothing matched: say what the bot can answer and how to reach a person, and stay where we were."""
    return Result(state=state, replies=[Reply(questions.nothing_text(state, ctx))])


def main_action(state: dict, ctx: Context, key: str) -> Result:
    if key == "services":
        return goto(state, ctx, "services")
    if key == "complaint":
        from flows.complaint import start_complaint
        return start_complaint(state, ctx)
    if key == "request":
        from flows.request_choose import choose_request
        return choose_request(state, ctx)
    if key == "status":
        return goto(state, ctx, "status")
    if key == "survey":
        # Which served transaction to rate is in the database: the worker finds it and opens the survey.
        return Result(state=state, effects=[Effect("offer_survey", {"lang": lang(state)})])
    state["lang"] = "en" if lang(state) == "id" else "id"
    return goto(state, ctx, "main", Reply(t(ctx, state, "language_set")))


@screen("main", show_main)
def handle_main(state: dict, msg: Message, ctx: Context) -> Result | None:
    n = choice(msg.text, len(MAIN_OPTIONS))
    if n:
        return main_action(state, ctx, MAIN_OPTIONS[n - 1])
    return free_text(state, msg, ctx)


def free_text(state: dict, msg: Message, ctx: Context) -> Result | None:
    """A wish to complain or to request first; a question about a fact; then words naming a main-menu
    action; then a weaker reading."""
    commands = ctx.pack.intents.get("commands", {})
    tw = words(msg.text)
    wish = wants(tw, msg.text, commands)
    if wish == "complaint":  # a complaint about anything, a permit this agency does not issue included
        return main_action(state, ctx, wish)
    u = questions.read(state, ctx, msg.text)
    if wish == "request" and u.intent != "not_served":  # "mau daftar bansos": not a request we take
        return main_action(state, ctx, wish)
    if u.confident and u.intent in ("fact", "clarify", "not_served"):
        return questions.answer(state, ctx, u, msg.text)
    # Wanting to complain or to request outranks a word such as "layanan" in the same sentence.
    action = best_match(tw, {k: commands.get(k, []) for k in ("complaint", "request")}) or \
        best_match(tw, {"survey": survey_phrases(commands, msg.text)}) or \
        best_match(tw, {k: commands.get(k, []) for k in ("services", "status")})
    if action:
        return main_action(state, ctx, action)
    return questions.answer(state, ctx, u, msg.text)


def wants(tw: list[str], text: str, commands: dict) -> str | None:
    """"complaint" or "request" when the message says the citizen wants one ("sy mau ngadu", "ingin
    menyampaikan keluhan", "mau buat janji"), told as a wish and not asked as a question ("mau ngadu
    lewat mana?" asks for the channels). The wish outranks what the story mentions (an office, a permit)."""
    if "?" in text or any(phrase_in(tw, p) for p in commands.get("asking", [])):
        return None
    for i, word in enumerate(tw):
        if any(is_exactly(word, [w]) for w in commands.get("want", [])):
            rest = tw[i + 1:i + 5]
            for action in ("complaint", "request"):
                if any(phrase_in(rest, p) for p in commands.get(action, []) + commands.get(f"{action}_verbs", [])):
                    return action
    return None


def survey_phrases(commands: dict, text: str) -> list[str]:
    """The survey's words that count inside a sentence ("mau isi survey dong"): phrases, never in a question.

    "apakah ada survei kepuasan?" asks about the standard's evaluation; it is not a wish to take the survey.
    """
    if "?" in text:
        return []
    return [p for p in commands.get("survey", []) if len(words(p)) > 1]


@screen("services", show_services)
def handle_services(state: dict, msg: Message, ctx: Context) -> Result | None:
    n = choice(msg.text, len(ctx.pack.services))
    if n:
        svc = ctx.pack.services[n - 1]
        state["service"] = svc.id
        pending = state.pop("pending_topic", None)
        if pending:
            return topic_reply(state, ctx, svc, pending)
        return goto(state, ctx, "service")
    return free_text(state, msg, ctx)


@screen("service", show_service)
def handle_service(state: dict, msg: Message, ctx: Context) -> Result | None:
    svc = ctx.pack.service(state.get("service") or "")
    if svc is None:
        return goto(state, ctx, "services")
    keys = topics_for(svc)
    n = choice(msg.text, len(keys))
    if n:
        return topic_reply(state, ctx, svc, keys[n - 1])
    return free_text(state, msg, ctx)


def show_status(state: dict, ctx: Context) -> list[Reply]:
    return [menu(state, t(ctx, state, "status_ask"), [])]  # a new token: older buttons are now stale


@screen("status", show_status)
def handle_status(state: dict, msg: Message, ctx: Context) -> Result | None:
    number = parse_ticket_number(msg.text)
    if number is None:
        return free_text(state, msg, ctx)
    state["screen"] = "main"
    return Result(state=state, effects=[Effect("check_status", {"number": number, "lang": lang(state)})])
