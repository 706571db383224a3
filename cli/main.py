"""The ``loket`` command line. Each sub-command is a thin wrapper over a module that does the work."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.settings import Settings


def _content_check(args, settings: Settings) -> int:
    from bot.content import check_content_dir
    from bot.content.loader import pack_dirs
    from bot.tenancy import check_channels_file
    folder = Path(args.dir) if args.dir else settings.content_dir
    problems = check_content_dir(folder)
    if folder.is_dir():
        problems += check_channels_file(folder / "channels.yaml", [d.name for d in pack_dirs(folder)])
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {folder}", file=sys.stderr)
        return 1
    print(f"content OK: {folder}")
    return 0


def _import_standard(args, settings: Settings) -> int:
    from bot.standards.command import import_standard_command
    return import_standard_command(args.file, args.json, args.output, sys.stdout, sys.stderr,
                                   all_services=args.all, show_review=args.review)


def _db_upgrade(args, settings: Settings) -> int:
    from bot.store.db import upgrade
    from bot.tenancy import default_agency
    upgrade(settings.database_url, agency=default_agency(settings))
    print("database is up to date")
    return 0


def _officers(args, settings: Settings) -> int:
    from cli.officers import run
    return run(args, settings)


def _telegram(args, settings: Settings) -> int:
    from cli.telegram_setup import set_webhook
    return set_webhook(settings, args.url)


def _digest(args, settings: Settings) -> int:
    from workers.digest import digest_command
    return digest_command(settings, send=args.now)


def _channels(args, settings: Settings) -> int:
    from bot.tenancy.listing import list_channels
    return list_channels(settings, sys.stdout, sys.stderr)


def _report(args, settings: Settings) -> int:
    from bot.reports.command import report_command
    return report_command(settings, args.month, args.semester, args.agency, args.format, args.output, args.json,
                          sys.stdout, sys.stderr)


def _demo(args, settings: Settings) -> int:
    from cli.demo import run_demo
    return run_demo(settings)


def _worker(args, settings: Settings) -> int:
    from workers.entry import run_worker
    return run_worker(settings, burst=args.burst, fork=args.fork)


def _scheduler(args, settings: Settings) -> int:
    from workers.entry import run_scheduler
    return run_scheduler(settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="loket", description="WhatsApp and Telegram service counter")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="run web, worker and scheduler locally with the chat simulator").set_defaults(fn=_demo)
    p = sub.add_parser("import-standard", help="parse a service-standard document into a content file")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print the parsed service as JSON")
    p.add_argument("-o", "--output", help="write a service content file (YAML); with --all, a folder")
    p.add_argument("--all", action="store_true", help="every service of a multi-service document")
    p.add_argument("--review", action="store_true", help="print each fact beside its source lines")
    p.set_defaults(fn=_import_standard)
    p = sub.add_parser("content", help="content pack tools")
    csub = p.add_subparsers(dest="content_command", required=True)
    c = csub.add_parser("check", help="validate a content folder")
    c.add_argument("dir", nargs="?")
    c.set_defaults(fn=_content_check)
    p = sub.add_parser("db", help="database tools")
    dsub = p.add_subparsers(dest="db_command", required=True)
    dsub.add_parser("upgrade", help="apply migrations").set_defaults(fn=_db_upgrade)
    p = sub.add_parser("officers", help="manage officers")
    osub = p.add_subparsers(dest="officers_command", required=True)
    a = osub.add_parser("add")
    a.add_argument("--name", required=True)
    a.add_argument("--role", default="officer", choices=["officer", "supervisor", "admin"])
    a.add_argument("--unit", action="append", dest="units", required=True, help="unit id (repeatable)")
    a.add_argument("--telegram", type=int, help="Telegram user id")
    a.add_argument("--whatsapp", help="WhatsApp number, e.g. +6281234567890")
    a.add_argument("--agency", help="the officer's agency (pack id; default: the first of AGENCIES)")
    osub.add_parser("list")
    r = osub.add_parser("remove")
    r.add_argument("officer", help="officer id or exact name")
    p.set_defaults(fn=_officers)
    p = sub.add_parser("telegram", help="Telegram tools")
    tsub = p.add_subparsers(dest="telegram_command", required=True)
    w = tsub.add_parser("set-webhook")
    w.add_argument("url")
    w.set_defaults(fn=_telegram)
    p = sub.add_parser("channels", help="channel instances (numbers and bots) and the agencies they serve")
    chsub = p.add_subparsers(dest="channels_command", required=True)
    chsub.add_parser("list").set_defaults(fn=_channels)
    p = sub.add_parser("digest", help="build the daily digest (and send it with --now)")
    p.add_argument("--now", action="store_true")
    p.set_defaults(fn=_digest)
    p = sub.add_parser("report", help="the period's report per agency (CSV, XLSX, PDF) or its figures as JSON")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--month", help="YYYY-MM, e.g. 2026-11")
    when.add_argument("--semester", help="YYYY-1 or YYYY-2")
    p.add_argument("--agency", help="pack id (default: CONTENT_PACK)")
    p.add_argument("--format", default="csv,xlsx,pdf", help="comma-separated: csv, xlsx, pdf")
    p.add_argument("-o", "--output", default=".", help="folder for the files (default: the current one)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON instead of writing files")
    p.set_defaults(fn=_report)
    p = sub.add_parser("worker", help="run an RQ worker (with the scheduler) for Loket's queues")
    p.add_argument("--burst", action="store_true", help="stop when the queues are empty")
    p.add_argument("--fork", action="store_true", help="run each job in a forked child (RQ's default Worker)")
    p.set_defaults(fn=_worker)
    sub.add_parser("scheduler", help="run the SLA watch and digest scheduler").set_defaults(fn=_scheduler)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        print(f"loket: {exc}", file=sys.stderr)
        return 2
    return args.fn(args, settings)


if __name__ == "__main__":
    sys.exit(main())
