"""``loket officers add/list/remove``: who may use officer commands, in which units."""
from __future__ import annotations

import sys

from bot.content import ContentError
from bot.store.db import make_engine, make_session_factory, session_scope, upgrade
from bot.channels.phone import mask
from bot.settings import Settings
from bot.store.exceptions import StoreError
from bot.store.officers import add_officer, list_officers, remove_officer
from bot.tenancy import default_agency, load_agencies


def run(args, settings: Settings) -> int:
    upgrade(settings.database_url, agency=default_agency(settings))
    engine = make_engine(settings.database_url)
    try:
        sessions = make_session_factory(engine)
        if args.officers_command == "add":
            agency = args.agency or default_agency(settings)
            try:
                pack = load_agencies(settings).get(agency)
            except ContentError as exc:
                print(f"loket officers: {exc}", file=sys.stderr)
                return 2
            if pack is None:
                print(f"loket officers: agency {agency!r} is not served here (AGENCIES)", file=sys.stderr)
                return 2
            known = {u.id for u in pack.agency.units}
            unknown = [u for u in args.units if u not in known]
            if unknown:
                print(f"loket officers: unknown unit(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}",
                      file=sys.stderr)
                return 2
            if not args.telegram and not args.whatsapp:
                print("loket officers: give --telegram USER_ID and/or --whatsapp NUMBER", file=sys.stderr)
                return 2
            try:
                with session_scope(sessions) as session:
                    officer = add_officer(session, name=args.name, role=args.role, units=args.units,
                                          telegram_user_id=args.telegram, whatsapp=args.whatsapp, agency_id=agency)
                    print(f"added officer {officer.id}: {officer.name} ({officer.role}; {agency}: "
                          f"{', '.join(officer.units)})")
            except (StoreError, ValueError) as exc:
                print(f"loket officers: {exc}", file=sys.stderr)
                return 2
            return 0
        if args.officers_command == "list":
            with session_scope(sessions) as session:
                for o in list_officers(session):
                    contact = ", ".join(x for x in (f"telegram {o.telegram_user_id}" if o.telegram_user_id else "",
                                                    f"whatsapp {mask(o.whatsapp)}" if o.whatsapp else "") if x)
                    print(f"{o.id}\t{o.name}\t{o.role}\t{o.agency_id}\t{','.join(o.units)}\t{contact}")
            return 0
        try:
            with session_scope(sessions) as session:
                officer = remove_officer(session, int(args.officer) if args.officer.isdigit() else args.officer)
                print(f"removed officer {officer.id}: {officer.name}")
        except StoreError as exc:
            print(f"loket officers: {exc}", file=sys.stderr)
            return 1
        return 0
    finally:
        engine.dispose()
