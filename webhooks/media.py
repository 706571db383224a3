"""Files the chat sends: public flowcharts; evidence and report PDFs only through signed, expiring links."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, request, send_file

from bot.content.flowchart import FlowchartUnavailable
from bot.content.flowcharts import service_flowchart
from bot.channels.images import strip_metadata
from bot.ops.links import verify, verify_report
from bot.reports.chat_files import report_path
from bot.store.evidence import get_evidence
from bot.store.tickets import get_ticket
from bot.tenancy import load_agencies
from webhooks.services import services

bp = Blueprint("media", __name__)


@bp.get("/media/flowchart/<service_id>.png")
def flowchart(service_id: str):
    # Any served agency's service of that id (a front desk links the flowcharts of several packs).
    packs = load_agencies(services().settings).values()
    svc = next((p.service(service_id) for p in packs if p.service(service_id) is not None), None)
    if svc is None or svc.flow is None:
        abort(404)
    try:
        png = service_flowchart(svc)
    except FlowchartUnavailable:
        abort(404)
    return Response(png, mimetype="image/png", headers={"Cache-Control": "public, max-age=3600"})


@bp.get("/media/evidence/<int:evidence_id>")
def evidence(evidence_id: int):
    svc = services()
    if not verify(svc.settings.secret_key, evidence_id, request.args.get("exp", ""), request.args.get("sig", "")):
        abort(403)
    with svc.sessions() as session:
        ev = get_evidence(session, evidence_id)
        if ev is None:
            abort(404)
        path, mime = Path(ev.stored_path), ev.mime
        ticket = get_ticket(session, ev.ticket_id) if ev.ticket_id else None
        protect = ticket is None or ticket.identity_mode != "named"
    if not path.exists():
        abort(404)
    if protect and mime.startswith("image/"):
        # Anonymous and confidential reporters: no GPS or device data in what officers see.
        return Response(strip_metadata(path.read_bytes(), mime), mimetype=mime,
                        headers={"Cache-Control": "private, no-store"})
    return send_file(path, mimetype=mime, max_age=0)


@bp.get("/media/report/<name>")
def report(name: str):
    """A supervisor's report PDF, for Twilio to fetch while the link is valid (the agency's figures, not public)."""
    svc = services()
    if not verify_report(svc.settings.secret_key, name, request.args.get("exp", ""), request.args.get("sig", "")):
        abort(403)
    path = report_path(svc.settings.media_dir, name)
    if not path.exists():
        abort(404)
    return Response(path.read_bytes(), mimetype="application/pdf",
                    headers={"Cache-Control": "private, no-store", "Content-Disposition": f'inline; filename="{name}"'})
