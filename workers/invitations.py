"""Invite the citizen to the survey once their ticket (complaint, consultation or request) is served.

Skipped when the ticket has no conversation, its citizen's data was erased,
or the transaction was rated already (one response per served transaction).
The invitation is an event-started conversation (``workers/events.py``).
"""
from __future__ import annotations

from datetime import timedelta

from rq import Retry

from bot.store.survey_invites import invitation_for_ticket
from bot.store.citizen_desk import closed_ticket_id
from workers import events
from bot.queues import Queues, queue
from workers.runtime import Runtime, runtime

#: A citizen in the middle of a form is not interrupted: look again this much later, this many times.
BUSY_RETRY = timedelta(minutes=15)
BUSY_ATTEMPTS = 16


def after_close(rt: Runtime, number: str) -> None:
    """Queue the survey invitation for the ticket just closed (whether it may be rated is checked in the job)."""
    ticket_id = closed_ticket_id(rt.sessions, number)
    if ticket_id is not None:
        queue(rt.redis, Queues.SEND, rt.settings.queue_prefix).enqueue(
            "workers.invitations.invite_to_survey", ticket_id, job_id=f"survey-invite-{ticket_id}",
            retry=Retry(max=5, interval=[5, 30, 60, 300, 900]), failure_ttl=7 * 24 * 3600)


def invite_to_survey(ticket_id: int, attempt: int = 0) -> str:
    """The job: open the survey in the ticket's conversation, if the ticket may still be rated."""
    rt = runtime()
    invitation = invitation_for_ticket(rt.sessions, ticket_id)
    if invitation is None:
        return "skipped"
    how = events.start_flow(invitation.conversation_id, "survey", invitation.survey_args(),
                            key=f"survey-{invitation.number}", template="survey_invite",
                            values={"number": invitation.number}, lang=invitation.lang)
    if how == "busy" and attempt + 1 < BUSY_ATTEMPTS:
        # Checked again then: the citizen may have rated it by typing "isi survei" meanwhile.
        queue(rt.redis, Queues.SEND, rt.settings.queue_prefix).enqueue_in(
            BUSY_RETRY, "workers.invitations.invite_to_survey", ticket_id, attempt + 1,
            job_id=f"survey-invite-{ticket_id}-{attempt + 1}", failure_ttl=7 * 24 * 3600)
    return how
