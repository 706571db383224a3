"""A local fake of the Telegram Bot API, plus builders for incoming updates.

Why: tests run the real ``telegram.Bot`` (python-telegram-bot 22, httpx)
against this server, pointed with
``Bot(token, base_url=fake.url + "/bot", base_file_url=fake.url + "/file/bot")``.
So the fake speaks the wire protocol: ``POST /bot{TOKEN}/{method}`` with
form-urlencoded, multipart (uploads) or JSON bodies; answers
``{"ok": true, "result": ...}`` with Message objects PTB can parse, and
errors as ``{"ok": false, "error_code", "description"[, "parameters"]}``
(which PTB maps to ``RetryAfter``, ``BadRequest``, ``Forbidden`` ...).

The ``make_*_update`` functions build the JSON Telegram POSTs to our
webhook, shaped like real updates (e.g. a ``bot_command`` entity on
``/start`` -- PTB's CommandHandler needs it).
"""

from __future__ import annotations

import html
import itertools
import json
import mimetypes
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from werkzeug.exceptions import NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .server import FakeServer, Served

DEFAULT_BOT_TOKEN = "123456:TEST-token"
DEFAULT_CHAT_ID = 700000001  # a private chat == the citizen's user id
DEFAULT_USER_ID = 700000001
DEFAULT_GROUP_ID = -1001234567890  # supergroups/channels have -100... ids
BOT_USERNAME = "loket_test_bot"

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile refuses bigger files
UPLOAD_PHOTO_LIMIT = 10 * 1024 * 1024
UPLOAD_LIMIT = 50 * 1024 * 1024

# Methods that deliver a message to a chat: the ones Telegram rate-limits.
RATE_LIMITED_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "sendVideo", "sendVoice", "sendAudio",
     "sendSticker", "sendLocation", "sendContact", "sendMediaGroup", "copyMessage", "forwardMessage"}
)

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: chat not found",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}

# Prefixes real file_ids start with, per kind (cosmetic, but makes logs look familiar).
_FILE_ID_PREFIX = {
    "photo": "AgACAgUAAxkBAAI",
    "document": "BQACAgUAAxkBAAI",
    "voice": "AwACAgUAAxkBAAI",
    "video": "BAACAgUAAxkBAAI",
    "sticker": "CAACAgUAAxkBAAI",
}
_FILE_DIR = {"photo": "photos", "document": "documents", "voice": "voice", "video": "videos", "sticker": "stickers"}


def new_file_id(kind: str = "document") -> str:
    return _FILE_ID_PREFIX.get(kind, "BQACAgUAAxkBAAI") + secrets.token_urlsafe(45)[:60]


def new_file_unique_id() -> str:
    return "AQAD" + secrets.token_urlsafe(12)[:12]


def bot_user(token: str = DEFAULT_BOT_TOKEN, first_name: str = "Loket Test Bot", username: str = BOT_USERNAME) -> dict:
    """The ``User`` object getMe returns; its id is the token's numeric prefix."""
    return {
        "id": int(token.split(":", 1)[0]),
        "is_bot": True,
        "first_name": first_name,
        "username": username,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request, as recorded in ``Call.params``."""

    filename: str | None
    content: bytes
    content_type: str | None


@dataclass
class Call:
    """One Bot API request the fake received (after the token check)."""

    method: str
    params: dict[str, Any]
    time: float  # time.monotonic()
    ok: bool = True
    error_code: int | None = None
    result: Any = None
    token: str = ""  # which bot made the call (a deployment may run several)

    @property
    def chat_id(self) -> int | str | None:
        return _chat_key(self.params.get("chat_id"))


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    content: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None

    @property
    def file_size(self) -> int:
        return len(self.content)


class TelegramApiError(Exception):
    """Raised inside a method handler; becomes Telegram's error JSON."""

    def __init__(self, error_code: int, description: str | None = None, parameters: dict | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description or _DEFAULT_DESCRIPTIONS.get(error_code, "Error")
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        body = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def api_error(error_code: int = 429, description: str | None = None, retry_after: int | None = 2) -> TelegramApiError:
    """Telegram's error for ``error_code``; 429 carries ``parameters.retry_after``."""
    if error_code == 429:
        retry_after = retry_after or 1
        return TelegramApiError(429, description or f"Too Many Requests: retry after {retry_after}",
                                {"retry_after": retry_after})
    return TelegramApiError(error_code, description)


def _chat_key(value: Any) -> int | str | None:
    """Normalise a chat_id as sent (int, "123", "@channel") for comparisons."""
    if value is None or isinstance(value, int):
        return value
    text = str(value)
    return int(text) if re.fullmatch(r"-?\d+", text) else text


_ID_KEYS = {"chat_id", "message_id", "from_chat_id", "user_id", "reply_to_message_id",
            "message_thread_id", "offset", "limit", "max_connections", "cache_time"}


def _decode(key: str, value: str) -> Any:
    """Form values are strings; PTB JSON-encodes objects/lists and stringifies ints."""
    if key in _ID_KEYS and re.fullmatch(r"-?\d+", value):
        return int(value)
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _ok(result: Any, description: str | None = None) -> Response:
    body: dict[str, Any] = {"ok": True, "result": result}
    if description:
        body["description"] = description
    return Response(json.dumps(body), mimetype="application/json")


def _err(exc: TelegramApiError) -> Response:
    return Response(json.dumps(exc.body()), status=exc.error_code, mimetype="application/json")


class FakeTelegram(Served):
    """WSGI app + recorder speaking the Bot API at ``/bot{TOKEN}/{method}``.

    State for tests (guarded by one condition variable):

    * ``calls(method, chat_id, ok=...)``: every request with a valid token,
      failed ones included (``Call.ok`` / ``Call.error_code``); uploads
      appear in ``Call.params`` as :class:`Upload`.
    * ``files``: file_id -> :class:`StoredFile` (added by :meth:`add_file`
      or by uploads), served by getFile and ``/file/bot{TOKEN}/{path}``.
    * ``webhook``: what setWebhook stored.
    * ``blocked_chats`` (403 "bot was blocked by the user") and
      ``missing_chats`` (400 "chat not found"): sets tests may fill.
    """

    def __init__(self, token: str = DEFAULT_BOT_TOKEN, *, first_name: str = "Loket Test Bot",
                 username: str = BOT_USERNAME) -> None:
        self.token = token
        self.other_tokens: set[str] = set()  # more bots served by the same fake (add before use)
        self.me = bot_user(token, first_name, username)
        self.files: dict[str, StoredFile] = {}
        self.webhook: dict[str, Any] = {}
        self.blocked_chats: set[int | str] = set()
        self.missing_chats: set[int | str] = set()
        self._calls: list[Call] = []
        self._send_log: list[tuple[float, int | str]] = []  # (monotonic, chat) per send attempt
        self._accepted_sends: list[tuple[float, int | str]] = []
        self._messages: dict[tuple[int | str, int], dict] = {}  # (chat, message_id) -> Message
        self._next_message_id: dict[int | str, itertools.count] = {}
        self._file_counter = itertools.count()
        self._fail_queue: deque[tuple[str | None, TelegramApiError]] = deque()
        self._rules: list[Callable[[str, dict], Any]] = []
        self._limits: tuple[int | None, int | None, int] = (None, None, 1)
        self._cond = threading.Condition()
        self._server = FakeServer(self)
        self._url_map = Map(
            [
                Rule("/bot<token>/<method>", endpoint="api", methods=["GET", "POST"]),
                Rule("/file/bot<token>/<path:file_path>", endpoint="file", methods=["GET"]),
            ]
        )
        self._handlers: dict[str, Callable[[dict], Any]] = {
            name.lower(): getattr(self, f"_m_{name}")
            for name in ("getMe", "sendMessage", "sendPhoto", "sendDocument", "sendChatAction",
                         "answerCallbackQuery", "editMessageText", "editMessageReplyMarkup",
                         "deleteMessage", "getFile", "setWebhook", "deleteWebhook",
                         "getWebhookInfo", "getUpdates", "setMyCommands", "close", "logOut")
        }
        self._canonical = {name.lower(): name for name in
                           [h.__name__[3:] for h in self._handlers.values()] + list(RATE_LIMITED_METHODS)}

    # ------------------------------------------------------------ lifecycle
    @property
    def base_url(self) -> str:
        """Pass as ``Bot(..., base_url=...)``."""
        return self.url + "/bot"

    @property
    def base_file_url(self) -> str:
        """Pass as ``Bot(..., base_file_url=...)``."""
        return self.url + "/file/bot"

    # ----------------------------------------------------- failure programming
    def fail_next(self, method: str | None = None, error_code: int = 429, retry_after: int | None = 2,
                  times: int = 1, description: str | None = None) -> None:
        """Make the next ``times`` calls of ``method`` (None = any) fail.

        429 -> ``{"ok": false, "error_code": 429, "description": "Too Many
        Requests: retry after 2", "parameters": {"retry_after": 2}}``;
        400 defaults to "Bad Request: chat not found", 403 to "Forbidden: bot
        was blocked by the user", 5xx to the HTTP phrase.
        """
        err = api_error(error_code, description, retry_after)
        with self._cond:
            self._fail_queue.extend([(method.lower() if method else None, err)] * times)

    def fail_when(self, predicate: Callable[[str, dict], Any]) -> Callable:
        """Add a rule ``predicate(method, params) -> error or None``.

        The error may be a :class:`TelegramApiError`, an ``error_code`` int,
        or ``(error_code, description)``. Returns the predicate (for
        :meth:`remove_rule`).
        """
        with self._cond:
            self._rules.append(predicate)
        return predicate

    def remove_rule(self, predicate: Callable) -> None:
        with self._cond:
            self._rules.remove(predicate)

    def limit_rate(self, per_chat: int | None = 1, overall: int | None = 30, retry_after: int = 1) -> None:
        """Opt in to enforcing Telegram's limits: more than ``per_chat``
        sends to one chat (or ``overall`` sends in total) within the last
        second get a 429. Real Telegram tolerates short bursts; this is strict
        on purpose so a missing limiter shows up."""
        with self._cond:
            self._limits = (per_chat, overall, retry_after)

    def clear_failures(self) -> None:
        with self._cond:
            self._fail_queue.clear()
            self._rules.clear()
            self._limits = (None, None, 1)

    # ------------------------------------------------------------------ files
    def add_file(self, content: bytes, file_name: str | None = None, mime: str | None = None,
                 *, kind: str | None = None) -> str:
        """Store ``content`` as if a user had sent it; return its ``file_id``.

        Use the id in ``make_photo_update``/``make_document_update``; the app
        then fetches it with getFile + download like in production.
        """
        mime = mime or (mimetypes.guess_type(file_name)[0] if file_name else None)
        if kind is None:
            major = (mime or "").split("/", 1)[0]
            kind = {"image": "photo", "video": "video"}.get(major, "voice" if mime == "audio/ogg" else "document")
        return self._store(content, kind, file_name, mime).file_id

    def _store(self, content: bytes, kind: str, file_name: str | None, mime: str | None,
               file_id: str | None = None) -> StoredFile:
        ext = ""
        if file_name and "." in file_name:
            ext = "." + file_name.rsplit(".", 1)[1]
        elif kind == "photo":
            ext = ".jpg"
        elif kind == "voice":
            ext = ".oga"
        elif mime:
            ext = mimetypes.guess_extension(mime) or ""
        stored = StoredFile(
            file_id=file_id or new_file_id(kind),
            file_unique_id=new_file_unique_id(),
            content=content,
            file_path=f"{_FILE_DIR.get(kind, 'documents')}/file_{next(self._file_counter)}{ext}",
            file_name=file_name,
            mime_type=mime,
        )
        with self._cond:
            self.files[stored.file_id] = stored
        return stored

    # ---------------------------------------------------------------- queries
    def calls(self, method: str | None = None, chat_id: int | str | None = None, *,
              ok: bool | None = None) -> list[Call]:
        """Recorded calls, optionally filtered (``ok=True``: only successful)."""
        with self._cond:
            return [c for c in self._calls if self._matches(c, method, chat_id, ok)]

    @staticmethod
    def _matches(call: Call, method: str | None, chat_id: Any, ok: bool | None) -> bool:
        return ((method is None or call.method.lower() == method.lower())
                and (chat_id is None or call.chat_id == _chat_key(chat_id))
                and (ok is None or call.ok == ok))

    def texts_to(self, chat_id: int | str) -> list[str]:
        """Texts of successful sendMessage calls to ``chat_id``."""
        return [c.params.get("text") for c in self.calls("sendMessage", chat_id, ok=True)]

    def wait_for(self, predicate: Callable[[Call], bool] | None = None, *, method: str | None = None,
                 chat_id: int | str | None = None, count: int = 1, timeout: float = 5.0,
                 ok: bool | None = True) -> list[Call]:
        """Block until ``count`` calls match (default: *successful* ones) and return them.

        Raises ``AssertionError`` on timeout, listing the calls seen.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self._calls
                         if self._matches(c, method, chat_id, ok) and (predicate is None or predicate(c))]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(c.method, c.chat_id, c.ok) for c in self._calls]
                    raise AssertionError(f"timed out after {timeout}s waiting for {count} call(s) "
                                         f"(method={method}, chat_id={chat_id}); seen: {seen}")
                self._cond.wait(min(left, 0.1))

    def send_times(self, chat_id: int | str | None = None) -> list[float]:
        """Monotonic timestamps of send attempts (RATE_LIMITED_METHODS)."""
        with self._cond:
            return [t for t, c in self._send_log if chat_id is None or c == _chat_key(chat_id)]

    def max_rate_per_chat(self, window: float = 1.0) -> int:
        """Most send attempts to any single chat inside any ``window`` seconds.

        Telegram allows about 1/s per chat: assert ``<= 1`` (use a window a
        little under 1.0 s to absorb scheduling jitter)."""
        with self._cond:
            per_chat: dict[Any, list[float]] = {}
            for t, chat in self._send_log:
                per_chat.setdefault(chat, []).append(t)
        return max((_max_in_window(ts, window) for ts in per_chat.values()), default=0)

    def max_rate_overall(self, window: float = 1.0) -> int:
        """Most send attempts in any ``window`` seconds (Telegram: ~30/s)."""
        return _max_in_window(self.send_times(), window)

    # -------------------------------------------------------------------- WSGI
    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        try:
            endpoint, args = self._url_map.bind_to_environ(environ).match()
        except NotFound:
            return _err(TelegramApiError(404, "Not Found"))(environ, start_response)
        try:
            if endpoint == "file":
                response = self._serve_file(**args)
            else:
                response = self._api(request, **args)
        finally:
            request.close()  # closes spooled temp files of multipart uploads (ResourceWarning otherwise)
        return response(environ, start_response)

    def _check_token(self, token: str) -> None:
        if ":" not in token:
            raise TelegramApiError(404, "Not Found")  # what Telegram says to malformed tokens
        if token != self.token and token not in self.other_tokens:
            raise TelegramApiError(401, "Unauthorized")

    def _serve_file(self, token: str, file_path: str) -> Response:
        try:
            self._check_token(token)
        except TelegramApiError as exc:
            return _err(exc)
        with self._cond:
            stored = next((f for f in self.files.values() if f.file_path == file_path), None)
        if stored is None:
            return _err(TelegramApiError(404, "Not Found"))
        return Response(stored.content, mimetype=stored.mime_type or "application/octet-stream")

    def _api(self, request: Request, token: str, method: str) -> Response:
        try:
            self._check_token(token)
        except TelegramApiError as exc:
            return _err(exc)
        params = _request_params(request)
        name = self._canonical.get(method.lower(), method)
        call = Call(method=name, params=params, time=time.monotonic(), token=token)
        description = None
        try:
            self._before(call)
            handler = self._handlers.get(method.lower())
            if handler is None:
                raise TelegramApiError(404, "Not Found")
            result = handler(params)
            if isinstance(result, tuple):  # (result, description)
                result, description = result
            call.result = result
            if name in RATE_LIMITED_METHODS:
                with self._cond:
                    self._accepted_sends.append((call.time, call.chat_id))
            return _ok(result, description)
        except TelegramApiError as exc:
            call.ok, call.error_code, call.result = False, exc.error_code, exc.body()
            return _err(exc)
        finally:
            with self._cond:
                self._calls.append(call)
                self._cond.notify_all()

    def _before(self, call: Call) -> None:
        """Rate log, then injected failures, rules and opt-in rate limits."""
        with self._cond:
            if call.method in RATE_LIMITED_METHODS:
                self._send_log.append((call.time, call.chat_id))
            for i, (method, err) in enumerate(self._fail_queue):
                if method is None or method == call.method.lower():
                    del self._fail_queue[i]
                    raise err
            rules = list(self._rules)
            per_chat, overall, retry_after = self._limits
            if call.method in RATE_LIMITED_METHODS and (per_chat or overall):
                recent = [c for t, c in self._accepted_sends if call.time - t < 1.0]
                if (overall and len(recent) >= overall) or (
                        per_chat and sum(1 for c in recent if c == call.chat_id) >= per_chat):
                    raise api_error(429, retry_after=retry_after)
        for rule in rules:
            err = rule(call.method, call.params)
            if err is None:
                continue
            if isinstance(err, int):
                err = api_error(err)
            elif isinstance(err, tuple):
                err = api_error(*err)
            raise err

    # ------------------------------------------------------- method handlers
    def _chat(self, params: dict) -> int | str:
        chat = _chat_key(params.get("chat_id"))
        if chat in (None, ""):
            raise TelegramApiError(400, "Bad Request: chat_id is empty")
        if chat in self.blocked_chats:
            raise TelegramApiError(403, "Forbidden: bot was blocked by the user")
        if chat in self.missing_chats:
            raise TelegramApiError(400, "Bad Request: chat not found")
        return chat

    def _new_message(self, chat: int | str, params: dict, **content: Any) -> dict:
        with self._cond:
            counter = self._next_message_id.setdefault(chat, itertools.count(1))
            message_id = next(counter)
        message = {"message_id": message_id, "from": self.me, "chat": _chat_object(chat),
                   "date": int(time.time()), **content}
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:  # Telegram echoes only inline keyboards
            message["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
        with self._cond:
            self._messages[(chat, message_id)] = message
        return message

    @staticmethod
    def _visible_text(text: str, parse_mode: Any) -> str:
        """Telegram returns the text without markup; approximate for HTML."""
        if str(parse_mode).upper() == "HTML":
            return html.unescape(re.sub(r"<[^>]+>", "", text))
        return text

    def _caption(self, params: dict) -> dict:
        caption = params.get("caption")
        if not caption:
            return {}
        if len(caption) > CAPTION_LIMIT:
            raise TelegramApiError(400, "Bad Request: message caption is too long")
        return {"caption": self._visible_text(caption, params.get("parse_mode"))}

    def _m_getMe(self, params: dict) -> dict:
        return self.me

    def _m_sendMessage(self, params: dict) -> dict:
        chat = self._chat(params)
        text = params.get("text")
        if not text or not str(text).strip():
            raise TelegramApiError(400, "Bad Request: message text is empty")
        if len(text) > TEXT_LIMIT:
            raise TelegramApiError(400, "Bad Request: message is too long")
        return self._new_message(chat, params, text=self._visible_text(text, params.get("parse_mode")))

    def _input_file(self, value: Any, kind: str, limit: int) -> StoredFile:
        """Resolve an uploaded file, a known file_id, or an HTTP URL / unknown id (accepted leniently)."""
        if isinstance(value, Upload):
            if len(value.content) > limit:
                raise TelegramApiError(400, "Bad Request: file is too big")
            return self._store(value.content, kind, value.filename, value.content_type)
        if not value:
            raise TelegramApiError(400, f"Bad Request: there is no {kind} in the request")
        with self._cond:
            known = self.files.get(value)
        if known is not None:
            return known
        if str(value).startswith(("http://", "https://")):
            name = str(value).rsplit("/", 1)[-1] or None
            return self._store(b"", kind, name, mimetypes.guess_type(name or "")[0])
        # An id we never issued (e.g. from a hand-built update): accept it, like a real id would be.
        return self._store(b"", kind, None, None, file_id=str(value))

    def _m_sendPhoto(self, params: dict) -> dict:
        chat = self._chat(params)
        stored = self._input_file(params.get("photo"), "photo", UPLOAD_PHOTO_LIMIT)
        sizes = []
        for width, height in ((90, 68), (320, 240)):
            small = self._store(stored.content, "photo", None, stored.mime_type)
            sizes.append(_photo_size(small.file_id, small.file_unique_id, width, height, small.file_size))
        sizes.append(_photo_size(stored.file_id, stored.file_unique_id, 800, 600, stored.file_size))
        return self._new_message(chat, params, photo=sizes, **self._caption(params))

    def _m_sendDocument(self, params: dict) -> dict:
        chat = self._chat(params)
        stored = self._input_file(params.get("document"), "document", UPLOAD_LIMIT)
        document = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                    "file_size": stored.file_size}
        if stored.file_name:
            document["file_name"] = stored.file_name
        if stored.mime_type:
            document["mime_type"] = stored.mime_type
        return self._new_message(chat, params, document=document, **self._caption(params))

    def _m_sendChatAction(self, params: dict) -> bool:
        self._chat(params)
        if not params.get("action"):
            raise TelegramApiError(400, "Bad Request: wrong parameter action in request")
        return True

    def _m_answerCallbackQuery(self, params: dict) -> bool:
        if not params.get("callback_query_id"):
            raise TelegramApiError(400, "Bad Request: QUERY_ID_INVALID")
        return True

    def _edit(self, params: dict, **changes: Any) -> Any:
        if params.get("inline_message_id"):
            return True
        chat = self._chat(params)
        message_id = _chat_key(params.get("message_id"))
        if not isinstance(message_id, int):
            raise TelegramApiError(400, "Bad Request: message identifier is not specified")
        markup = params.get("reply_markup")
        new_markup = ({"inline_keyboard": markup["inline_keyboard"]}
                      if isinstance(markup, dict) and "inline_keyboard" in markup else None)
        with self._cond:
            current = self._messages.get((chat, message_id))
            if current is None:
                # Not sent through this fake (e.g. a hand-built callback update): adopt it.
                current = {"message_id": message_id, "from": self.me, "chat": _chat_object(chat),
                           "date": int(time.time()), "text": ""}
            updated = {k: v for k, v in current.items() if k != "reply_markup"}
            updated.update(changes)
            if new_markup:
                updated["reply_markup"] = new_markup
            if {k: v for k, v in updated.items() if k != "edit_date"} == \
                    {k: v for k, v in current.items() if k != "edit_date"}:
                raise TelegramApiError(400, "Bad Request: message is not modified: specified new message "
                                            "content and reply markup are exactly the same as a current "
                                            "content and reply markup of the message")
            updated["edit_date"] = int(time.time())
            self._messages[(chat, message_id)] = updated
        return updated

    def _m_editMessageText(self, params: dict) -> Any:
        text = params.get("text")
        if not text:
            raise TelegramApiError(400, "Bad Request: message text is empty")
        if len(text) > TEXT_LIMIT:
            raise TelegramApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return self._edit(params, text=self._visible_text(text, params.get("parse_mode")))

    def _m_editMessageReplyMarkup(self, params: dict) -> Any:
        return self._edit(params)

    def _m_deleteMessage(self, params: dict) -> bool:
        chat = self._chat(params)
        with self._cond:
            if self._messages.pop((chat, _chat_key(params.get("message_id"))), None) is None:
                raise TelegramApiError(400, "Bad Request: message to delete not found")
        return True

    def _m_getFile(self, params: dict) -> dict:
        with self._cond:
            stored = self.files.get(params.get("file_id") or "")
        if stored is None:
            raise TelegramApiError(400, "Bad Request: invalid file_id")
        if stored.file_size > DOWNLOAD_LIMIT:
            raise TelegramApiError(400, "Bad Request: file is too big")
        return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                "file_size": stored.file_size, "file_path": stored.file_path}

    def _m_setWebhook(self, params: dict) -> tuple:
        url = params.get("url") or ""
        if url and not url.startswith("https://"):
            raise TelegramApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise TelegramApiError(400, "Bad Request: secret token contains unallowed characters")
        max_conn = params.get("max_connections")
        if max_conn is not None and not 1 <= int(max_conn) <= 100:
            raise TelegramApiError(400, "Bad Request: bad webhook: max_connections must be between 1 and 100")
        with self._cond:
            self.webhook = {k: v for k, v in params.items() if not isinstance(v, Upload)}
        return True, "Webhook was set" if url else "Webhook was deleted"

    def _m_deleteWebhook(self, params: dict) -> tuple:
        with self._cond:
            had = bool(self.webhook.get("url"))
            self.webhook = {}
        return True, "Webhook was deleted" if had else "Webhook is already deleted"

    def _m_getWebhookInfo(self, params: dict) -> dict:
        with self._cond:
            hook = dict(self.webhook)
        info: dict[str, Any] = {"url": hook.get("url", ""), "has_custom_certificate": False,
                                "pending_update_count": 0}
        if hook.get("url"):
            info["max_connections"] = int(hook.get("max_connections", 40))
            info["ip_address"] = "127.0.0.1"
            if hook.get("allowed_updates") is not None:
                info["allowed_updates"] = hook["allowed_updates"]
        return info

    def _m_getUpdates(self, params: dict) -> list:
        if self.webhook.get("url"):
            raise TelegramApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                        "use deleteWebhook to delete the webhook first")
        return []

    def _m_setMyCommands(self, params: dict) -> bool:
        return True

    def _m_close(self, params: dict) -> bool:
        return True

    def _m_logOut(self, params: dict) -> bool:
        return True


def _max_in_window(times: Sequence[float], window: float) -> int:
    """Largest number of timestamps within any half-open span of ``window`` seconds."""
    times = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def _request_params(request: Request) -> dict[str, Any]:
    """Merge query string, JSON / form / multipart body into one typed dict."""
    params: dict[str, Any] = {k: _decode(k, v) for k, v in request.args.items()}
    if request.mimetype == "application/json":
        data = request.get_json(silent=True)
        if isinstance(data, dict):
            params.update(data)
    else:
        params.update({k: _decode(k, v) for k, v in request.form.items()})
        for name, storage in request.files.items():
            params[name] = Upload(storage.filename, storage.read(), storage.mimetype or None)
    # Resolve attach://<name> references (sendMediaGroup, thumbnails).
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            params[key] = params.get(value[len("attach://"):], value)
    return params


def _chat_object(chat: int | str) -> dict:
    """A plausible Chat for a chat_id: >0 private, -100... supergroup, <0 group, @name channel."""
    if isinstance(chat, str):
        return {"id": -1000000000000 - (abs(hash(chat)) % 10**9), "title": chat.lstrip("@"),
                "username": chat.lstrip("@"), "type": "channel"}
    if chat > 0:
        return {"id": chat, "first_name": "Warga", "type": "private"}
    if str(chat).startswith("-100"):
        return {"id": chat, "title": "Grup Uji", "type": "supergroup"}
    return {"id": chat, "title": "Grup Uji", "type": "group"}


def _photo_size(file_id: str, unique: str, width: int, height: int, size: int) -> dict:
    return {"file_id": file_id, "file_unique_id": unique, "file_size": size, "width": width, "height": height}


# ---------------------------------------------------------------------------
# Update builders: the JSON Telegram POSTs to the webhook.
# ---------------------------------------------------------------------------

_update_ids = itertools.count(100_000_001)
_message_ids = itertools.count(1001)


def next_update_id() -> int:
    return next(_update_ids)


def _user(user_id: int, first_name: str, last_name: str | None = None, username: str | None = None,
          language_code: str | None = "id") -> dict:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if last_name:
        user["last_name"] = last_name
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def _message(
    chat_id: int = DEFAULT_CHAT_ID,
    user_id: int | None = None,
    first_name: str = "Budi",
    chat_type: str = "private",
    *,
    message_id: int | None = None,
    date: int | None = None,
    last_name: str | None = None,
    username: str | None = None,
    language_code: str | None = "id",
    chat_title: str = "Grup Uji",
    **content: Any,
) -> dict:
    """A Message from a user: private chats have chat.id == user id."""
    if chat_type == "private":
        user_id = chat_id if user_id is None else user_id
        chat: dict[str, Any] = {"id": chat_id, "first_name": first_name, "type": "private"}
        if last_name:
            chat["last_name"] = last_name
        if username:
            chat["username"] = username
    else:
        user_id = DEFAULT_USER_ID if user_id is None else user_id
        chat = {"id": chat_id, "title": chat_title, "type": chat_type}
    return {
        "message_id": next(_message_ids) if message_id is None else message_id,
        "from": _user(user_id, first_name, last_name, username, language_code),
        "chat": chat,
        "date": int(time.time()) if date is None else date,
        **content,
    }


def _update(key: str, payload: dict, update_id: int | None) -> dict:
    return {"update_id": next_update_id() if update_id is None else update_id, key: payload}


def _text_content(text: str) -> dict:
    content: dict[str, Any] = {"text": text}
    command = re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
    if command:  # PTB's CommandHandler relies on this entity
        content["entities"] = [{"offset": 0, "length": len(command.group(0)), "type": "bot_command"}]
    return content


def make_text_update(text: str, chat_id: int = DEFAULT_CHAT_ID, user_id: int | None = None,
                     first_name: str = "Budi", update_id: int | None = None, chat_type: str = "private",
                     **kwargs: Any) -> dict:
    """A text message; ``/command`` texts get a ``bot_command`` entity.

    ``kwargs``: message_id, date, last_name, username, language_code,
    chat_title (groups), plus extra Message fields (e.g. ``reply_to_message``).
    """
    return _update("message", _message(chat_id, user_id, first_name, chat_type, **_text_content(text),
                                       **kwargs), update_id)


def make_group_text_update(text: str, chat_id: int = DEFAULT_GROUP_ID, user_id: int = DEFAULT_USER_ID,
                           first_name: str = "Budi", update_id: int | None = None,
                           chat_type: str = "supergroup", title: str = "Grup Uji", **kwargs: Any) -> dict:
    """A text message in a (super)group: chat.id negative, from = the member."""
    return make_text_update(text, chat_id, user_id, first_name, update_id, chat_type, chat_title=title, **kwargs)


def make_callback_update(data: str, message_id: int = 1, chat_id: int = DEFAULT_CHAT_ID,
                         user_id: int | None = None, *, first_name: str = "Budi", update_id: int | None = None,
                         message_text: str = "Pilih salah satu:", inline_keyboard: list | None = None,
                         bot_token: str = DEFAULT_BOT_TOKEN, callback_id: str | None = None) -> dict:
    """A tap on an inline button under the bot's message ``message_id``."""
    user_id = chat_id if user_id is None else user_id
    message: dict[str, Any] = {
        "message_id": message_id,
        "from": bot_user(bot_token),
        "chat": ({"id": chat_id, "first_name": first_name, "type": "private"} if chat_id > 0
                 else {"id": chat_id, "title": "Grup Uji", "type": "supergroup"}),
        "date": int(time.time()) - 5,
        "text": message_text,
    }
    if inline_keyboard is not None:
        message["reply_markup"] = {"inline_keyboard": inline_keyboard}
    return _update("callback_query", {
        "id": callback_id or str(secrets.randbits(62)),
        "from": _user(user_id, first_name),
        "message": message,
        "chat_instance": str(-secrets.randbits(62)),
        "data": data,
    }, update_id)


def make_photo_update(file_ids: str | Sequence[str] | None = None, caption: str | None = None, *,
                      sizes: Sequence[tuple[int, int, int]] | None = None, chat_id: int = DEFAULT_CHAT_ID,
                      user_id: int | None = None, first_name: str = "Budi", update_id: int | None = None,
                      chat_type: str = "private", **kwargs: Any) -> dict:
    """A photo: ``photo`` is a list of PhotoSize, smallest first, largest last.

    ``file_ids``: one id (used for the largest size; smaller ones get fresh
    ids) or one per size. ``sizes``: ``(width, height, file_size)`` per size.
    """
    ladder = list(sizes or [(90, 68, 1_500), (320, 240, 18_000), (800, 600, 65_000)])
    if file_ids is None:
        ids = [new_file_id("photo") for _ in ladder]
    elif isinstance(file_ids, str):
        ids = [new_file_id("photo") for _ in ladder[:-1]] + [file_ids]
    else:
        ids = list(file_ids)
        ladder = ladder[-len(ids):] if len(ids) <= len(ladder) else ladder + [ladder[-1]] * (len(ids) - len(ladder))
    photo = [_photo_size(fid, new_file_unique_id(), w, h, s) for fid, (w, h, s) in zip(ids, ladder)]
    content: dict[str, Any] = {"photo": photo}
    if caption:
        content["caption"] = caption
    return _update("message", _message(chat_id, user_id, first_name, chat_type, **content, **kwargs), update_id)


def make_document_update(file_id: str | None = None, file_name: str = "surat.pdf",
                         mime_type: str = "application/pdf", file_size: int = 48_213, caption: str | None = None,
                         *, chat_id: int = DEFAULT_CHAT_ID, user_id: int | None = None, first_name: str = "Budi",
                         update_id: int | None = None, chat_type: str = "private", **kwargs: Any) -> dict:
    """A file sent as document (also how uncompressed photos arrive)."""
    content: dict[str, Any] = {"document": {"file_name": file_name, "mime_type": mime_type,
                                            "file_id": file_id or new_file_id("document"),
                                            "file_unique_id": new_file_unique_id(), "file_size": file_size}}
    if caption:
        content["caption"] = caption
    return _update("message", _message(chat_id, user_id, first_name, chat_type, **content, **kwargs), update_id)


def make_sticker_update(file_id: str | None = None, emoji: str = "\N{THUMBS UP SIGN}", *,
                        chat_id: int = DEFAULT_CHAT_ID, user_id: int | None = None, first_name: str = "Budi",
                        update_id: int | None = None, chat_type: str = "private", **kwargs: Any) -> dict:
    sticker = {"width": 512, "height": 512, "emoji": emoji, "set_name": "LoketTest", "is_animated": False,
               "is_video": False, "type": "regular",
               "thumbnail": _photo_size(new_file_id("photo"), new_file_unique_id(), 128, 128, 5_000),
               "file_id": file_id or new_file_id("sticker"), "file_unique_id": new_file_unique_id(),
               "file_size": 22_000}
    return _update("message", _message(chat_id, user_id, first_name, chat_type, sticker=sticker, **kwargs),
                   update_id)


def make_location_update(latitude: float = -6.175392, longitude: float = 106.827153, *,
                         chat_id: int = DEFAULT_CHAT_ID, user_id: int | None = None, first_name: str = "Budi",
                         update_id: int | None = None, chat_type: str = "private", **kwargs: Any) -> dict:
    location = {"latitude": latitude, "longitude": longitude}
    return _update("message", _message(chat_id, user_id, first_name, chat_type, location=location, **kwargs),
                   update_id)


def make_contact_update(phone_number: str = "6281234567890", *, contact_user_id: int | None = None,
                        chat_id: int = DEFAULT_CHAT_ID, user_id: int | None = None, first_name: str = "Budi",
                        update_id: int | None = None, chat_type: str = "private", **kwargs: Any) -> dict:
    """A shared contact; by default the user's own (``user_id`` set), as from a
    ``request_contact`` button. Note Telegram often sends the number without '+'."""
    own = (chat_id if user_id is None else user_id) if chat_type == "private" else (user_id or DEFAULT_USER_ID)
    contact = {"phone_number": phone_number, "first_name": first_name,
               "user_id": own if contact_user_id is None else contact_user_id}
    return _update("message", _message(chat_id, user_id, first_name, chat_type, contact=contact, **kwargs),
                   update_id)


def make_voice_update(file_id: str | None = None, duration: int = 4, file_size: int = 9_800, *,
                      chat_id: int = DEFAULT_CHAT_ID, user_id: int | None = None, first_name: str = "Budi",
                      update_id: int | None = None, chat_type: str = "private", **kwargs: Any) -> dict:
    voice = {"duration": duration, "mime_type": "audio/ogg", "file_id": file_id or new_file_id("voice"),
             "file_unique_id": new_file_unique_id(), "file_size": file_size}
    return _update("message", _message(chat_id, user_id, first_name, chat_type, voice=voice, **kwargs),
                   update_id)


def make_video_update(file_size: int = 2_500_000, file_id: str | None = None, duration: int = 12, *,
                      width: int = 640, height: int = 360, caption: str | None = None,
                      chat_id: int = DEFAULT_CHAT_ID, user_id: int | None = None, first_name: str = "Budi",
                      update_id: int | None = None, chat_type: str = "private", **kwargs: Any) -> dict:
    """A video; pass a big ``file_size`` (> 20 MB) to test the download limit."""
    content: dict[str, Any] = {"video": {
        "duration": duration, "width": width, "height": height, "file_name": "video.mp4", "mime_type": "video/mp4",
        "thumbnail": _photo_size(new_file_id("photo"), new_file_unique_id(), 320, 180, 9_000),
        "file_id": file_id or new_file_id("video"), "file_unique_id": new_file_unique_id(), "file_size": file_size}}
    if caption:
        content["caption"] = caption
    return _update("message", _message(chat_id, user_id, first_name, chat_type, **content, **kwargs), update_id)


def make_edited_message_update(text: str, message_id: int, *, chat_id: int = DEFAULT_CHAT_ID,
                               user_id: int | None = None, first_name: str = "Budi", update_id: int | None = None,
                               chat_type: str = "private", **kwargs: Any) -> dict:
    """The user edited their earlier message ``message_id`` (``edited_message`` key)."""
    now = int(time.time())
    kwargs.setdefault("date", now - 60)
    message = _message(chat_id, user_id, first_name, chat_type, message_id=message_id, **_text_content(text),
                       **kwargs)
    message["edit_date"] = now
    return _update("edited_message", message, update_id)


def make_channel_post_update(text: str, chat_id: int = DEFAULT_GROUP_ID, *, title: str = "Kanal Uji",
                             username: str | None = None, update_id: int | None = None,
                             message_id: int | None = None, date: int | None = None) -> dict:
    """A post in a channel the bot administers: no ``from``, ``sender_chat`` = the channel."""
    chat: dict[str, Any] = {"id": chat_id, "title": title, "type": "channel"}
    if username:
        chat["username"] = username
    post = {"message_id": next(_message_ids) if message_id is None else message_id, "sender_chat": chat,
            "chat": chat, "date": int(time.time()) if date is None else date, **_text_content(text)}
    return _update("channel_post", post, update_id)
