"""A local fake of the slice of Twilio's REST API that Loket uses.

Why a fake server rather than mocks: tests run the *real*
``twilio.rest.Client`` (pointed here with
``bot.channels.twilio.http.BaseUrlHttpClient``), so form encoding, Basic
auth, response parsing and ``TwilioRestException`` mapping are all
exercised exactly as in production. The fake therefore mirrors Twilio's wire
format: paths, form fields, the Message resource JSON, and the legacy error
JSON ``{"code", "message", "more_info", "status"}``.

It also builds what Twilio *sends to us*: inbound WhatsApp webhook forms,
status callbacks, and their ``X-Twilio-Signature``.
"""

from __future__ import annotations

import email.utils
import json
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Sequence

from twilio.request_validator import RequestValidator
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .server import FakeServer, Served

API_VERSION = "2010-04-01"
DEFAULT_ACCOUNT_SID = "AC" + "7e57" * 8  # "AC" + 32 hex chars ("test")
DEFAULT_AUTH_TOKEN = "test-auth-token"
DEFAULT_WHATSAPP_SENDER = "whatsapp:+14155238886"  # Twilio's WhatsApp sandbox number
DEFAULT_CITIZEN = "whatsapp:+6281234567890"

# Twilio error codes we emulate: code -> (HTTP status, message as Twilio words it).
KNOWN_ERRORS: dict[int, tuple[int, str]] = {
    20003: (401, "Authenticate"),
    20404: (404, "The requested resource was not found"),
    20429: (429, "Too Many Requests"),
    20500: (500, "Internal Server Error"),
    20503: (503, "Service Unavailable"),
    21211: (400, "Invalid 'To' Phone Number"),
    21603: (400, "The source 'From' phone number is required to send an SMS"),
    21604: (400, "A 'To' phone number is required."),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    21617: (400, "The concatenated message body exceeds the 1600 character limit."),
    21619: (400, "A text message body or media urls must be specified."),
    21655: (400, "The ContentSid is Invalid."),
    21656: (400, "The ContentVariables Parameter is invalid."),
    63007: (400, "Twilio could not find a Channel with the specified From address"),
    63016: (
        400,
        "Failed to send freeform message because you are outside the allowed window. "
        "If you are using WhatsApp, please use a Message Template.",
    ),
    63018: (429, "Rate limit exceeded for Channel"),
}
_DEFAULT_CODE_FOR_STATUS = {401: 20003, 404: 20404, 429: 20429, 500: 20500, 503: 20503}

BODY_LIMIT = 1600


def new_sid(prefix: str) -> str:
    """A Twilio-style SID: two-letter prefix + 32 lowercase hex chars."""
    return prefix + secrets.token_hex(16)


def rfc2822(dt: datetime | None = None) -> str:
    """Twilio's date format, e.g. ``Thu, 24 Aug 2023 05:01:45 +0000``."""
    return email.utils.format_datetime(dt or datetime.now(timezone.utc))


@dataclass(frozen=True)
class TwilioError:
    """An error the fake answers with.

    ``deferred=True`` models how WhatsApp errors such as 63016 usually
    surface in reality: the create call succeeds (201, ``queued``) and the
    failure arrives later in the status callback. The fake records the
    message with ``status="failed"`` and queues a status callback form in
    ``FakeTwilio.status_callbacks``.
    """

    status: int
    code: int | None
    message: str
    retry_after: int | None = None
    deferred: bool = False

    def body(self) -> dict[str, Any]:
        more_info = f"https://www.twilio.com/docs/errors/{self.code}" if self.code else None
        return {"code": self.code, "message": self.message, "more_info": more_info, "status": self.status}


def twilio_error(
    code: int | None = None,
    message: str | None = None,
    status: int | None = None,
    *,
    retry_after: int | None = None,
    deferred: bool = False,
) -> TwilioError:
    """Build a :class:`TwilioError`, filling status/message from ``KNOWN_ERRORS``."""
    if code is None:
        code = _DEFAULT_CODE_FOR_STATUS.get(status or 400, 20500 if (status or 0) >= 500 else None)
    known_status, known_message = KNOWN_ERRORS.get(code or -1, (400, "Bad Request"))
    return TwilioError(
        status=status or known_status,
        code=code,
        message=message or known_message,
        retry_after=retry_after,
        deferred=deferred,
    )


ErrorLike = TwilioError | int | tuple | dict | None


def _coerce_error(value: ErrorLike) -> TwilioError | None:
    """Accept the shorthand a ``fail_when`` rule may return."""
    if value is None or isinstance(value, TwilioError):
        return value
    if isinstance(value, int):
        return twilio_error(value)
    if isinstance(value, tuple):  # (status, code[, message])
        return twilio_error(value[1], value[2] if len(value) > 2 else None, value[0])
    if isinstance(value, dict):
        return twilio_error(value.get("code"), value.get("message"), value.get("status"))
    raise TypeError(f"cannot interpret {value!r} as a Twilio error")


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json", headers=headers)


@dataclass
class _Media:
    content: bytes
    content_type: str
    cdn_token: str


class FakeTwilio(Served):
    """WSGI app + recorder for ``/2010-04-01/Accounts/{sid}/Messages.json``.

    Start it (``start()``/``stop()``/``with``) to get ``.url``; point the SDK
    at it with ``Client(sid, token, http_client=BaseUrlHttpClient(fake.url))``.

    Recorded state (all guarded by one condition variable):

    * ``sent``: accepted messages, each the create form as a dict (Twilio's
      capitalised field names; repeated keys, and ``MediaUrl`` always, as
      lists) plus lowercase ``sid``, ``status`` and ``error_code`` added by
      the fake.
    * ``attempts``: every create call, accepted or not, with the
      answered ``http_status`` (and ``error_code``) -- for asserting retries.
    * ``status_callbacks``: ``(url, form)`` pairs for deferred failures.
    * ``media_fetches``: paths of media downloads that passed auth.
    * ``most_in_flight``: the most sends that were being answered at once.

    ``latency`` (seconds) answers each accepted send that much later, as the real API does from
    across an ocean; the message counts as received when it arrives, before the wait.
    """

    def __init__(
        self,
        account_sid: str = DEFAULT_ACCOUNT_SID,
        auth_token: str = DEFAULT_AUTH_TOKEN,
        *,
        media_auth: bool = True,
        media_redirect: bool = True,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.media_auth = media_auth
        self.media_redirect = media_redirect
        self.sent: list[dict[str, Any]] = []
        self.attempts: list[dict[str, Any]] = []
        self.status_callbacks: list[tuple[str | None, dict[str, str]]] = []
        self.media_fetches: list[str] = []
        self.latency = 0.0
        self.in_flight = self.most_in_flight = 0
        self._messages: dict[str, dict[str, Any]] = {}  # sid -> resource JSON
        self._media: dict[str, _Media] = {}  # path -> media
        self._cdn: dict[str, _Media] = {}  # token -> media
        self._fail_queue: deque[TwilioError] = deque()
        self._rules: list[Callable[[dict[str, Any]], ErrorLike]] = []
        self._cond = threading.Condition()
        self._server = FakeServer(self)
        self._url_map = Map(
            [
                Rule("/2010-04-01/Accounts/<account>/Messages.json", endpoint="messages", methods=["POST", "GET"]),
                Rule("/2010-04-01/Accounts/<account>/Messages/<sid>.json", endpoint="message", methods=["GET"]),
                Rule(
                    "/2010-04-01/Accounts/<account>/Messages/<msid>/Media/<mesid>",
                    endpoint="media",
                    methods=["GET"],
                ),
                Rule("/cdn/<token>", endpoint="cdn", methods=["GET"]),
            ],
            strict_slashes=False,
        )

    # ------------------------------------------------------------ lifecycle
    # ----------------------------------------------------- failure programming
    def fail_next(
        self,
        status: int = 400,
        code: int | None = None,
        message: str | None = None,
        times: int = 1,
        retry_after: int | None = None,
        *,
        deferred: bool = False,
    ) -> None:
        """Make the next ``times`` create calls fail with Twilio's error JSON.

        e.g. ``fail_next(400, 63016)``, ``fail_next(429, retry_after=3)``
        (adds a ``Retry-After`` header), ``fail_next(503)``.
        """
        err = twilio_error(code, message, status, retry_after=retry_after, deferred=deferred)
        with self._cond:
            self._fail_queue.extend([err] * times)

    def fail_when(self, predicate: Callable[[dict[str, Any]], ErrorLike]) -> Callable:
        """Add a rule ``predicate(form) -> error or None`` checked on every create.

        The return may be a ``TwilioError``, an error code (``63016``), a
        ``(status, code[, message])`` tuple or a dict. Returns the predicate so
        it can be passed to :meth:`remove_rule`. Example -- refuse free-form
        text to one citizen but accept approved templates::

            fake.fail_when(lambda f: 63016 if f["To"] == who and "ContentSid" not in f else None)
        """
        with self._cond:
            self._rules.append(predicate)
        return predicate

    def remove_rule(self, predicate: Callable) -> None:
        with self._cond:
            self._rules.remove(predicate)

    def clear_failures(self) -> None:
        with self._cond:
            self._fail_queue.clear()
            self._rules.clear()

    # ---------------------------------------------------------------- queries
    def messages_to(self, number: str) -> list[dict[str, Any]]:
        """Accepted messages to ``number`` (with or without ``whatsapp:``)."""
        want = {number, "whatsapp:" + number.removeprefix("whatsapp:")}
        with self._cond:
            return [m for m in self.sent if m.get("To") in want]

    def bodies_to(self, number: str) -> list[str | None]:
        """``Body`` of each accepted message to ``number`` (None for templates)."""
        return [m.get("Body") for m in self.messages_to(number)]

    def wait_for(
        self,
        cond: int | Callable[[dict[str, Any]], bool] = 1,
        timeout: float = 5.0,
        *,
        count: int = 1,
    ) -> list[dict[str, Any]]:
        """Block until messages arrive; for tests awaiting background workers.

        ``wait_for(3)`` waits until ``len(sent) >= 3`` and returns all sent
        messages; ``wait_for(pred, count=2)`` waits for two messages
        matching ``pred`` and returns the matches. Raises ``AssertionError``
        on timeout, listing what did arrive.
        """
        if isinstance(cond, int):
            need, pred = cond, (lambda _m: True)
        else:
            need, pred = count, cond
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                matches = [m for m in self.sent if pred(m)]
                if len(matches) >= need:
                    return matches
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(m.get("To"), m.get("Body") or m.get("ContentSid")) for m in self.sent]
                    raise AssertionError(
                        f"timed out after {timeout}s waiting for {need} Twilio message(s); "
                        f"{len(matches)} matched; sent so far: {seen}"
                    )
                self._cond.wait(min(left, 0.1))

    def get_message(self, sid: str) -> dict[str, Any]:
        """The stored Message resource JSON (as ``fetch()`` would see it)."""
        with self._cond:
            return dict(self._messages[sid])

    def set_status(self, sid: str, status: str, error_code: int | None = None) -> dict[str, str]:
        """Advance a sent message's status; return the matching status-callback form."""
        with self._cond:
            res = self._messages[sid]
            res["status"] = status
            res["error_code"] = error_code
            res["error_message"] = KNOWN_ERRORS.get(error_code or -1, (0, None))[1]
            res["date_updated"] = rfc2822()
            if status in ("sent", "delivered", "read") and res["date_sent"] is None:
                res["date_sent"] = res["date_updated"]
            for m in self.sent:
                if m["sid"] == sid:
                    m["status"], m["error_code"] = status, error_code
            return make_status_callback(
                sid, status, error_code, from_=res["from"] or DEFAULT_WHATSAPP_SENDER, to=res["to"],
                account_sid=self.account_sid,
            )

    # ------------------------------------------------------------------ media
    def add_media(
        self, content: bytes, content_type: str = "image/jpeg", *, message_sid: str | None = None
    ) -> str:
        """Host ``content`` where an inbound ``MediaUrl{N}`` would point; return the URL.

        The URL is ``{fake.url}/2010-04-01/Accounts/{sid}/Messages/MM.../Media/ME...``.
        Downloading it needs Basic auth (AccountSid:AuthToken) like real
        Twilio with media auth on; the fake then answers ``307`` to
        ``/cdn/<token>`` (no auth, like Twilio's pre-signed CDN URL), so
        clients must follow redirects. Pass the same ``message_sid`` to
        group several media under one inbound message.
        """
        msid = message_sid or new_sid("MM")
        path = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{msid}/Media/{new_sid('ME')}"
        media = _Media(content, content_type, secrets.token_urlsafe(16))
        with self._cond:
            self._media[path] = media
            self._cdn[media.cdn_token] = media
        return self.url + path

    # --------------------------------------------------- inbound conveniences
    def inbound(self, body: str = "halo", **kwargs: Any) -> dict[str, str]:
        """:func:`make_inbound` with this fake's account SID."""
        kwargs.setdefault("account_sid", self.account_sid)
        return make_inbound(body, **kwargs)

    def sign(self, url: str, params: dict[str, str]) -> str:
        """``X-Twilio-Signature`` for ``params`` posted to ``url`` with this fake's token."""
        return signed_inbound(url, params, self.auth_token)[1]

    # -------------------------------------------------------------------- WSGI
    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        try:
            endpoint, args = self._url_map.bind_to_environ(environ).match()
            response = getattr(self, f"_on_{endpoint}")(request, **args)
        except NotFound:
            response = self._error(twilio_error(20404, f"The requested resource {request.path} was not found"))
        except HTTPException as exc:
            response = self._error(twilio_error(None, exc.description, exc.code))
        finally:
            request.close()
        return response(environ, start_response)

    def _error(self, err: TwilioError) -> Response:
        headers = {"Retry-After": str(err.retry_after)} if err.retry_after is not None else None
        return _json(err.body(), err.status, headers)

    def _authorized(self, request: Request) -> bool:
        auth = request.authorization
        return (
            auth is not None
            and auth.type == "basic"
            and auth.username == self.account_sid
            and auth.password == self.auth_token
        )

    def _unauthorized(self) -> Response:
        resp = self._error(twilio_error(20003))
        resp.headers["WWW-Authenticate"] = 'Basic realm="Twilio API"'
        return resp

    def _on_messages(self, request: Request, account: str) -> Response:
        if not self._authorized(request):
            self._record_attempt({}, 401, 20003)
            return self._unauthorized()
        if account != self.account_sid:
            return self._error(twilio_error(20404, f"The requested resource {request.path} was not found"))
        if request.method == "GET":  # list: enough for client.messages.list(to=..., from_=...)
            with self._cond:
                items = list(self._messages.values())[::-1]
            for param, field in (("To", "to"), ("From", "from")):  # Twilio's list filters
                if request.args.get(param):
                    items = [m for m in items if m.get(field) == request.args[param]]
            return _json({"messages": items, "next_page_uri": None, "page": 0, "page_size": 50,
                          "uri": request.full_path.rstrip("?"), "first_page_uri": request.full_path.rstrip("?"),
                          "previous_page_uri": None, "start": 0, "end": max(len(items) - 1, 0)})
        with self._cond:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            response = self._create(request, account)
            if self.latency:
                time.sleep(self.latency)
            return response
        finally:
            with self._cond:
                self.in_flight -= 1

    def _create(self, request: Request, account: str) -> Response:
        form = _form_dict(request)
        err = self._decide(form)
        if err is not None and not err.deferred:
            self._record_attempt(form, err.status, err.code)
            return self._error(err)
        resource = self._new_message(form, account)
        record = dict(form, sid=resource["sid"], status=resource["status"], error_code=None)
        with self._cond:
            self._messages[resource["sid"]] = resource
            self.sent.append(record)
            self.attempts.append(dict(form, http_status=201, error_code=None, sid=resource["sid"]))
            self._cond.notify_all()
        response = _json(resource, 201)
        if err is not None:  # deferred: accepted now, fails "later"
            callback = self.set_status(resource["sid"], "failed", err.code)
            with self._cond:
                self.status_callbacks.append((form.get("StatusCallback"), callback))
                self._cond.notify_all()
        return response

    def _decide(self, form: dict[str, Any]) -> TwilioError | None:
        """Injected failure first (deterministic tests), then validation, then rules."""
        with self._cond:
            if self._fail_queue:
                return self._fail_queue.popleft()
            rules = list(self._rules)
        err = _validate(form)
        if err is not None:
            return err
        for rule in rules:
            err = _coerce_error(rule(form))
            if err is not None:
                return err
        return None

    def _record_attempt(self, form: dict[str, Any], status: int, code: int | None) -> None:
        with self._cond:
            self.attempts.append(dict(form, http_status=status, error_code=code))
            self._cond.notify_all()

    def _new_message(self, form: dict[str, Any], account: str) -> dict[str, Any]:
        """The Message resource JSON exactly as Twilio returns it from create."""
        sid = new_sid("SM" if not form.get("MediaUrl") else "MM")
        now = rfc2822()
        base = f"/{API_VERSION}/Accounts/{account}/Messages/{sid}"
        via_service_only = not form.get("From") and form.get("MessagingServiceSid")
        return {
            "account_sid": account,
            "api_version": API_VERSION,
            "body": form.get("Body", ""),
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": None if via_service_only else form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "num_media": str(len(form.get("MediaUrl", []))),
            "num_segments": str(sms_segments(form.get("Body") or "")) if not str(form.get("To")).startswith("whatsapp:") else "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "accepted" if via_service_only else "queued",
            "subresource_uris": {"media": f"{base}/Media.json", "feedback": f"{base}/Feedback.json"},
            "to": form.get("To"),
            "uri": f"{base}.json",
        }

    def _on_message(self, request: Request, account: str, sid: str) -> Response:
        if not self._authorized(request):
            return self._unauthorized()
        with self._cond:
            resource = self._messages.get(sid)
        if resource is None or account != self.account_sid:
            return self._error(twilio_error(20404, f"The requested resource {request.path} was not found"))
        return _json(resource)

    def _on_media(self, request: Request, account: str, msid: str, mesid: str) -> Response:
        if self.media_auth and not self._authorized(request):
            return self._unauthorized()
        with self._cond:
            media = self._media.get(request.path)
            if media is not None:
                self.media_fetches.append(request.path)
        if media is None:
            return self._error(twilio_error(20404, f"The requested resource {request.path} was not found"))
        if self.media_redirect:
            return Response("", status=307, headers={"Location": f"{request.host_url}cdn/{media.cdn_token}"})
        return Response(media.content, mimetype=media.content_type)

    def _on_cdn(self, request: Request, token: str) -> Response:
        with self._cond:
            media = self._cdn.get(token)
        if media is None:
            return Response("<Error><Code>NoSuchKey</Code></Error>", status=404, mimetype="application/xml")
        return Response(media.content, mimetype=media.content_type)


def _form_dict(request: Request) -> dict[str, Any]:
    """Form -> dict; repeated keys become lists and ``MediaUrl`` is always a list."""
    out: dict[str, Any] = {}
    for key in request.form.keys():
        values = request.form.getlist(key)
        out[key] = values if (len(values) > 1 or key == "MediaUrl") else values[0]
    return out


def _validate(form: dict[str, Any]) -> TwilioError | None:
    """The synchronous checks Twilio makes on create that matter to Loket."""
    to, from_ = form.get("To"), form.get("From")
    if not to:
        return twilio_error(21604)
    if not from_ and not form.get("MessagingServiceSid"):
        return twilio_error(21603)
    if from_ and to.startswith("whatsapp:") != from_.startswith("whatsapp:"):
        return twilio_error(63007)
    if not (form.get("Body") or form.get("MediaUrl") or form.get("ContentSid")):
        return twilio_error(21619)
    if len(form.get("Body") or "") > BODY_LIMIT:
        return twilio_error(21617)
    if "ContentSid" in form and not re.fullmatch(r"HX[0-9a-fA-F]{32}", form["ContentSid"]):
        return twilio_error(21655)
    if "ContentVariables" in form:
        try:
            if not isinstance(json.loads(form["ContentVariables"]), dict):
                raise ValueError
        except ValueError:
            return twilio_error(21656)
    return None


# ---------------------------------------------------------------------------
# What Twilio sends to Loket: inbound webhooks and status callbacks.
# ---------------------------------------------------------------------------


def signed_inbound(url: str, params: dict[str, str], auth_token: str = DEFAULT_AUTH_TOKEN) -> tuple[dict[str, str], str]:
    """Return ``(params, X-Twilio-Signature)`` computed the way Twilio does.

    ``url`` must be the full public URL Twilio was configured with
    (scheme, host, path, query), which is what the app must validate against.
    """
    return params, RequestValidator(auth_token).compute_signature(url, params)


def _message_type(media: Sequence[tuple[str, str]]) -> str:
    if not media:
        return "text"
    major = media[0][1].split("/", 1)[0]
    return {"image": "image", "audio": "audio", "video": "video"}.get(major, "document")


def make_inbound(
    body: str = "halo",
    from_: str = DEFAULT_CITIZEN,
    to: str = DEFAULT_WHATSAPP_SENDER,
    media: Sequence[tuple[str, str] | str] | None = None,
    *,
    profile_name: str | None = "Budi",
    account_sid: str = DEFAULT_ACCOUNT_SID,
    messaging_service_sid: str | None = None,
    message_sid: str | None = None,
    location: tuple | dict | None = None,
    button: tuple[str, str] | None = None,
    **extra: Any,
) -> dict[str, str]:
    """A realistic inbound WhatsApp webhook form (all values are strings).

    * ``media``: ``[(url, content_type), ...]`` (or bare URLs, taken as
      JPEG) -> ``NumMedia``, ``MediaUrl{N}``, ``MediaContentType{N}``. The
      ``MessageSid`` then starts with ``MM`` and, when the URL came from
      :meth:`FakeTwilio.add_media`, equals the message SID in that URL.
    * ``location``: ``(lat, lon[, address[, label]])`` or a dict with those
      keys -> ``Latitude``/``Longitude``/``Address``/``Label``, empty Body.
    * ``button``: ``(text, payload)`` for a quick-reply tap ->
      ``ButtonText``/``ButtonPayload``; Body carries the button text.
    * ``extra``: more fields (e.g. ``OriginalRepliedMessageSid``); a value
      of ``None`` removes a field (e.g. ``ProfileName=None``).
    """
    media_list = [(m, "image/jpeg") if isinstance(m, str) else (m[0], m[1]) for m in (media or [])]
    if message_sid is None:
        found = re.search(r"/Messages/(MM[0-9a-f]{32})/Media/", media_list[0][0]) if media_list else None
        message_sid = found.group(1) if found else new_sid("MM" if media_list else "SM")
    params: dict[str, str] = {
        "SmsMessageSid": message_sid,
        "NumMedia": str(len(media_list)),
        "ProfileName": profile_name,
        "MessageType": _message_type(media_list),
        "SmsSid": message_sid,
        "WaId": re.sub(r"\D", "", from_),
        "SmsStatus": "received",
        "Body": body,
        "To": to,
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": message_sid,
        "AccountSid": account_sid,
        "From": from_,
        "ApiVersion": API_VERSION,
    }
    if messaging_service_sid:
        params["MessagingServiceSid"] = messaging_service_sid
    for i, (url, ctype) in enumerate(media_list):
        params[f"MediaContentType{i}"] = ctype
        params[f"MediaUrl{i}"] = url
    if location is not None:
        if isinstance(location, dict):
            loc = location
        else:
            loc = dict(zip(("latitude", "longitude", "address", "label"), location))
        params.update(MessageType="location", Body="", Latitude=str(loc["latitude"]), Longitude=str(loc["longitude"]))
        if loc.get("address"):
            params["Address"] = str(loc["address"])
        if loc.get("label"):
            params["Label"] = str(loc["label"])
    if button is not None:
        params.update(MessageType="button", Body=button[0], ButtonText=button[0], ButtonPayload=button[1])
    for key, value in extra.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return {k: v for k, v in params.items() if v is not None}


def make_sms_inbound(
    body: str = "halo",
    from_: str = "+6281234567890",
    to: str = "+14155550100",
    media: Sequence[tuple[str, str] | str] | None = None,
    *,
    account_sid: str = DEFAULT_ACCOUNT_SID,
    message_sid: str | None = None,
    **extra: Any,
) -> dict[str, str]:
    """A realistic inbound SMS webhook form: plain E.164 ``From``/``To``, no ``ProfileName``/``WaId``/
    ``MessageType``, and the country and segment fields Twilio adds to an SMS. ``media`` makes it an MMS."""
    params = make_inbound(body, from_, to, media, profile_name=None, account_sid=account_sid,
                          message_sid=message_sid, WaId=None, MessageType=None, ReferralNumMedia=None)
    params.update(ToCountry="US" if to.startswith("+1") else "ID", FromCountry="ID" if from_.startswith("+62") else "US",
                  ToState="", FromState="", ToCity="", FromCity="", ToZip="", FromZip="",
                  NumSegments=str(sms_segments(body)))
    for key, value in extra.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return params


def sms_segments(body: str) -> int:
    """How many SMS segments Twilio bills ``body`` as: 160/153 GSM-7 characters, 70/67 when it needs UCS-2.

    ASCII stands in for GSM-7 here (close enough for a fake: a few ASCII signs such as ``^{}`` count twice).
    """
    single, multi = (160, 153) if all(ord(c) < 128 for c in body) else (70, 67)
    return 1 if len(body) <= single else -(-len(body) // multi)


def make_status_callback(
    message_sid: str,
    status: str,
    error_code: int | None = None,
    *,
    from_: str = DEFAULT_WHATSAPP_SENDER,
    to: str = DEFAULT_CITIZEN,
    account_sid: str = DEFAULT_ACCOUNT_SID,
    error_message: str | None = None,
    **extra: Any,
) -> dict[str, str]:
    """A status-callback form as Twilio POSTs it to ``StatusCallback``.

    ``status``: queued, sent, delivered, read, failed, undelivered.
    ``ErrorCode`` (and ``ErrorMessage``) appear only when an error is given.
    """
    params = {
        "ChannelPrefix": "whatsapp" if to.startswith("whatsapp:") else "sms",
        "ApiVersion": API_VERSION,
        "MessageStatus": status,
        "SmsSid": message_sid,
        "SmsStatus": status,
        "ChannelInstallSid": "XE" + "0" * 32,
        "To": to,
        "From": from_,
        "MessageSid": message_sid,
        "AccountSid": account_sid,
        "ChannelToAddress": to.removeprefix("whatsapp:"),
    }
    if not to.startswith("whatsapp:"):
        for key in ("ChannelPrefix", "ChannelInstallSid", "ChannelToAddress"):
            params.pop(key)
    if error_code is not None:
        params["ErrorCode"] = str(error_code)
        msg = error_message or KNOWN_ERRORS.get(error_code, (0, None))[1]
        if msg:
            params["ErrorMessage"] = msg
    for key, value in extra.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return params

