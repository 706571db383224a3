"""``loket channels list``: the channel instances and the agencies each serves, for the operator."""
from __future__ import annotations

from typing import TextIO

from bot.content import ContentError
from bot.settings import Settings
from bot.tenancy.agencies import agency_ids
from bot.tenancy.channels import ChannelsError, load_channels


def list_channels(settings: Settings, out: TextIO, err: TextIO) -> int:
    """Print one line per instance; a credential setting is shown by name with whether it is set."""
    try:
        registry = load_channels(settings, agency_ids(settings))
    except (ChannelsError, ContentError) as exc:
        for problem in exc.problems:
            print(problem, file=err)
        return 1
    rows = [("id", "provider", "address", "agencies", "settings")]
    for inst in registry.instances:
        address = inst.address or (f"/webhooks/telegram/{inst.id}" if inst.provider == "telegram" and not inst.default
                                   else "/webhooks/telegram" if inst.provider == "telegram" else "(any)")
        names = ", ".join(f"{n} {'set' if settings.setting(n) else 'MISSING'}" for n in inst.setting_names())
        rows.append((inst.id, inst.provider, address, ", ".join(inst.agencies), names or "-"))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(row)).rstrip(), file=out)
    if registry.instances and registry.instances[0].default:
        out.write("(no channels.yaml: the settings' WhatsApp sender and Telegram bot serve every agency)\n")
    return 0
