"""Tell a unit's officers about a new ticket (filled in with the officer tools)."""
from __future__ import annotations


def notify_new_ticket(ticket_id: int) -> None:
    """Notify the unit's officers of ticket ``ticket_id``."""
    return None
