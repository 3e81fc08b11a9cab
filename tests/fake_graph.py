"""A fake WhatsApp Cloud API (Graph API) on 127.0.0.1 for tests and benchmarks.

It answers the calls the bot makes the way Meta does, and is strict where Meta is:
- `Authorization: Bearer <token>` on every call (else 401, code 190);
- `POST /{version}/{phone-number-id}/messages`: the body's shape per type — text (1..4,096
  characters), interactive reply buttons (1..3, titles 1..20 characters and unique, ids 1..256
  and unique, body ≤ 1,024), interactive list (1..10 rows in all, row title ≤ 24, description ≤ 72,
  row ids ≤ 200 and unique, button text ≤ 20, section titles ≤ 24 and required with several
  sections, body ≤ 4,096), location request (body ≤ 1,024, action send_location), template (a
  known name and language, the right number of body parameters, no newline/tab/5 spaces in a
  parameter); a violation is a 400 with the Graph error JSON (131008 missing, 131009 invalid,
  132000/132001/132018 template problems);
- `GET /{version}/{media-id}` → {"url", "mime_type", "sha256", "file_size", "id"}, and the
  download URL it gives, which also needs the bearer token.

Tests program failures with `fail(code, ...)` (the real error JSON: message, type, code,
error_subcode, error_data.details, fbtrace_id; any HTTP status, 5xx included), mark residents as
outside the 24-hour window (`outside_window[recipient] = "sync" | "async"`: refused with 131047
at once, or accepted and then reported `failed` in a signed status webhook), and read `calls`.
The payload builders (`text`, `button_reply`, `list_reply`, `location`, `image`, `audio`, ...)
produce notifications in the documented webhook shapes; `deliver` signs one with the app secret
(X-Hub-Signature-256) and POSTs it to the bot's webhook.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import re
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

TOKEN = "EAAGtestTOKEN0123456789"
PHONE_NUMBER_ID = "106540352242922"
DISPLAY_NUMBER = "6281100001111"
APP_SECRET = "meta-app-secret-for-tests"
VERIFY_TOKEN = "verify-token-for-tests"
VERSION = "v21.0"
TEMPLATES = {("status_laporan", "id"): 3}
ERROR_TITLES = {
    100: "Invalid parameter", 130429: "Rate limit hit", 131000: "Something went wrong",
    131008: "Required parameter is missing", 131009: "Parameter value is not valid",
    131026: "Message undeliverable", 131047: "Re-engagement message",
    131056: "(Business Account, Consumer Account) pair rate limit hit", 132000: "Number of parameters does not "
    "match the expected number of params", 132001: "Template name does not exist in the translation",
    132018: "There was an issue with the parameters in your template.", 190: "Access token has expired",
}


class GraphReject(Exception):
    def __init__(self, code: int, details: str, status: int = 400):
        super().__init__(details)
        self.code, self.details, self.status = code, details, status


@dataclass
class Call:
    method: str
    path: str
    body: dict[str, Any] | None
    status: int = 200
    at: float = field(default_factory=time.perf_counter)
    wamid: str | None = None

    @property
    def recipient(self) -> str | None:
        body = self.body or {}
        return body.get("to") or body.get("recipient")

    @property
    def kind(self) -> str | None:
        """The message type; for interactive messages the interactive type (button, list, ...)."""
        body = self.body or {}
        if body.get("type") == "interactive":
            return (body.get("interactive") or {}).get("type")
        return body.get("type")

    @property
    def text(self) -> str:
        """The visible text: a text body, an interactive body, or the template's parameters."""
        body = self.body or {}
        if body.get("type") == "text":
            return body["text"]["body"]
        if body.get("type") == "interactive":
            return body["interactive"]["body"]["text"]
        if body.get("type") == "template":
            return " | ".join(p["text"] for c in body["template"].get("components", []) for p in c["parameters"])
        return ""

    @property
    def options(self) -> dict[str, str]:
        """{id: title} of the buttons or list rows."""
        inter = (self.body or {}).get("interactive") or {}
        action = inter.get("action") or {}
        if inter.get("type") == "button":
            return {b["reply"]["id"]: b["reply"]["title"] for b in action["buttons"]}
        if inter.get("type") == "list":
            return {r["id"]: r["title"] for s in action["sections"] for r in s["rows"]}
        return {}


@dataclass
class Failure:
    code: int
    status: int
    times: int
    recipient: str | None
    message: str | None
    subcode: int | None
    after: int = 0  # matching sends that succeed before the failures start


def error_json(code: int, details: str = "", message: str | None = None, subcode: int | None = None) -> dict:
    """Return an error answer in the Graph API's shape."""
    title = ERROR_TITLES.get(code, "Error")
    error: dict[str, Any] = {"message": message or f"(#{code}) {title}", "type": "OAuthException", "code": code,
                             "error_data": {"messaging_product": "whatsapp", "details": details or title},
                             "fbtrace_id": "A" + secrets.token_urlsafe(16)}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


class FakeGraph:
    """The fake Graph API: start() it, point the bot at `base_url`, deliver notifications, read `calls`."""

    def __init__(self, *, token: str = TOKEN, phone_number_id: str = PHONE_NUMBER_ID, app_secret: str = APP_SECRET,
                 templates: dict[tuple[str, str], int] | None = None):
        self.token = token
        self.phone_number_id = phone_number_id
        self.app_secret = app_secret.encode()
        self.templates = dict(TEMPLATES if templates is None else templates)
        self.calls: list[Call] = []
        self.failures: list[Failure] = []
        self.outside_window: dict[str, str] = {}
        self.media: dict[str, tuple[bytes, str]] = {}
        self.webhook_url: str | None = None
        self.listeners: list[Callable[[Call], None]] = []  # told of every message accepted (benchmarks)
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.port = 0

    # --- server ----------------------------------------------------------------------------------

    async def start(self) -> FakeGraph:
        app = web.Application(client_max_size=10 * 2**20)
        app.router.add_post("/{version}/{number}/messages", self._messages)
        app.router.add_get("/download/{media_id}", self._download)
        app.router.add_get("/{version}/{media_id}", self._media_info)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        self._session = aiohttp.ClientSession()
        return self

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root}/{VERSION}"

    def env(self, **extra: str) -> dict[str, str]:
        """Return the bot's WhatsApp settings pointing at this fake."""
        return {"WHATSAPP_ACCESS_TOKEN": self.token, "WHATSAPP_PHONE_NUMBER_ID": self.phone_number_id,
                "WHATSAPP_APP_SECRET": self.app_secret.decode(), "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
                "WHATSAPP_API_BASE_URL": self.base_url, **extra}

    # --- programming -----------------------------------------------------------------------------

    def fail(self, code: int, *, times: int = 1, status: int = 400, recipient: str | None = None,
             message: str | None = None, subcode: int | None = None, after: int = 0) -> None:
        """Answer `times` sends (to `recipient`, or anyone) with this error, once `after` have succeeded."""
        self.failures.append(Failure(code, status, times, recipient, message, subcode, after))

    def add_media(self, data: bytes, mime: str = "image/jpeg") -> str:
        media_id = str(900000000000000 + next(self._ids))
        self.media[media_id] = (data, mime)
        return media_id

    # --- inspection ------------------------------------------------------------------------------

    def sent(self, recipient: str | None = None) -> list[Call]:
        """Return the messages accepted (200), to one recipient or all."""
        return [c for c in self.calls if c.path.endswith("/messages") and c.status == 200
                and (recipient is None or c.recipient == recipient)]

    def refused(self) -> list[Call]:
        return [c for c in self.calls if c.path.endswith("/messages") and c.status != 200]

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Poll until predicate() is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"condition not met within {timeout}s")
            await asyncio.sleep(0.02)

    # --- handlers --------------------------------------------------------------------------------

    def _authorized(self, request: web.Request) -> bool:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {self.token}".encode())

    async def _messages(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        call = Call("POST", request.path, body if isinstance(body, dict) else None)
        self.calls.append(call)
        if not self._authorized(request):
            call.status = 401
            return web.json_response(error_json(190, "Invalid OAuth access token"), status=401)
        if request.match_info["number"] != self.phone_number_id:
            call.status = 400
            return web.json_response(error_json(100, "Unsupported post request: unknown phone number id"), status=400)
        try:
            if not isinstance(body, dict):
                raise GraphReject(100, "the body must be a JSON object")
            recipient = validate_message(body, self.templates)
        except GraphReject as exc:
            call.status = exc.status
            return web.json_response(error_json(exc.code, exc.details), status=exc.status)
        failure = self._next_failure(recipient)
        if failure is not None:
            call.status = failure.status
            return web.json_response(error_json(failure.code, message=failure.message, subcode=failure.subcode),
                                     status=failure.status)
        mode = self.outside_window.get(recipient)
        if mode == "sync" and body["type"] != "template":
            call.status = 400
            return web.json_response(error_json(131047, "Message failed to send because more than 24 hours have "
                                                "passed since the customer last replied to this number."), status=400)
        wamid = "wamid." + secrets.token_urlsafe(24)
        call.wamid = wamid
        if mode == "async" and body["type"] != "template":
            self._later(self.deliver(self.status(wamid, "failed", recipient, errors=[{
                "code": 131047, "title": "Re-engagement message", "message": "Re-engagement message",
                "error_data": {"details": "Message failed to send because more than 24 hours have passed."}}])))
        for listener in self.listeners:
            listener(call)
        contact = {"input": recipient, "user_id" if "recipient" in body else "wa_id": recipient}
        return web.json_response({"messaging_product": "whatsapp", "contacts": [contact], "messages": [{"id": wamid}]})

    def _next_failure(self, recipient: str) -> Failure | None:
        for failure in self.failures:
            if failure.times > 0 and failure.recipient in (None, recipient):
                if failure.after > 0:
                    failure.after -= 1
                    continue
                failure.times -= 1
                return failure
        return None

    async def _media_info(self, request: web.Request) -> web.Response:
        self.calls.append(Call("GET", request.path, None))
        if not self._authorized(request):
            return web.json_response(error_json(190, "Invalid OAuth access token"), status=401)
        media_id = request.match_info["media_id"]
        if media_id not in self.media:
            return web.json_response(error_json(100, f"Unsupported get request: {media_id}"), status=400)
        data, mime = self.media[media_id]
        return web.json_response({"messaging_product": "whatsapp", "url": f"{self.root}/download/{media_id}",
                                  "mime_type": mime, "sha256": hashlib.sha256(data).hexdigest(),
                                  "file_size": len(data), "id": media_id})

    async def _download(self, request: web.Request) -> web.Response:
        self.calls.append(Call("GET", request.path, None))
        if not self._authorized(request):
            return web.json_response(error_json(190, "media downloads need the access token"), status=401)
        data, mime = self.media.get(request.match_info["media_id"], (None, ""))
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type=mime)

    def _later(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- webhooks --------------------------------------------------------------------------------

    def sign(self, raw: bytes) -> str:
        return "sha256=" + hmac.new(self.app_secret, raw, hashlib.sha256).hexdigest()

    async def deliver(self, payload: dict[str, Any] | bytes, *, signature: str | None = "auto") -> tuple[int, str]:
        """POST a notification to the bot's webhook, signed (or with the given/no signature)."""
        assert self.webhook_url and self._session is not None, "set webhook_url and start() first"
        raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if signature == "auto":
            headers["X-Hub-Signature-256"] = self.sign(raw)
        elif signature is not None:
            headers["X-Hub-Signature-256"] = signature
        async with self._session.post(self.webhook_url, data=raw, headers=headers) as response:
            return response.status, await response.text()

    def notification(self, value: dict[str, Any]) -> dict[str, Any]:
        """Wrap a change value in the webhook envelope."""
        value = {"messaging_product": "whatsapp",
                 "metadata": {"display_phone_number": DISPLAY_NUMBER, "phone_number_id": self.phone_number_id},
                 **value}
        return {"object": "whatsapp_business_account",
                "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}]}

    def message(self, user: str, kind: str, content: dict[str, Any] | None = None, *, bsuid: str | None = None,
                name: str = "Warga Padang", wamid: str | None = None, **extra: Any) -> dict[str, Any]:
        """Return a notification with one message of `kind` from `user` (a phone number)."""
        contact: dict[str, Any] = {"profile": {"name": name}, "wa_id": user}
        message: dict[str, Any] = {"from": user, "id": wamid or "wamid." + secrets.token_urlsafe(24),
                                   "timestamp": str(int(time.time())), "type": kind, **extra}
        if bsuid:
            contact["user_id"] = bsuid
            message["from_user_id"] = bsuid
        if content is not None:
            message[kind] = content
        return self.notification({"contacts": [contact], "messages": [message]})

    def text(self, user: str, body: str, **kw: Any) -> dict[str, Any]:
        return self.message(user, "text", {"body": body}, **kw)

    def button_reply(self, user: str, button_id: str, title: str, **kw: Any) -> dict[str, Any]:
        return self.message(user, "interactive", {"type": "button_reply",
                                                  "button_reply": {"id": button_id, "title": title}},
                            context={"from": DISPLAY_NUMBER, "id": "wamid.context"}, **kw)

    def list_reply(self, user: str, row_id: str, title: str, description: str = "", **kw: Any) -> dict[str, Any]:
        reply = {"id": row_id, "title": title, **({"description": description} if description else {})}
        return self.message(user, "interactive", {"type": "list_reply", "list_reply": reply},
                            context={"from": DISPLAY_NUMBER, "id": "wamid.context"}, **kw)

    def location(self, user: str, latitude: float, longitude: float, *, name: str | None = None,
                 address: str | None = None, **kw: Any) -> dict[str, Any]:
        content: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        if name:
            content["name"] = name
        if address:
            content["address"] = address
        return self.message(user, "location", content, **kw)

    def image(self, user: str, data: bytes, *, caption: str | None = None, mime: str = "image/jpeg",
              **kw: Any) -> dict[str, Any]:
        media_id = self.add_media(data, mime)
        content = {"mime_type": mime, "sha256": hashlib.sha256(data).hexdigest(), "id": media_id}
        if caption:
            content["caption"] = caption
        return self.message(user, "image", content, **kw)

    def audio(self, user: str, *, voice: bool = True, **kw: Any) -> dict[str, Any]:
        return self.message(user, "audio", {"mime_type": "audio/ogg; codecs=opus", "sha256": "0" * 64,
                                            "id": self.add_media(b"OggS", "audio/ogg"), "voice": voice}, **kw)

    def sticker(self, user: str, **kw: Any) -> dict[str, Any]:
        return self.message(user, "sticker", {"mime_type": "image/webp", "sha256": "0" * 64,
                                              "id": self.add_media(b"RIFF", "image/webp"), "animated": False}, **kw)

    def reaction(self, user: str, emoji: str, message_id: str = "wamid.earlier", **kw: Any) -> dict[str, Any]:
        return self.message(user, "reaction", {"message_id": message_id, "emoji": emoji}, **kw)

    def status(self, wamid: str, status: str, recipient: str, *, errors: list[dict[str, Any]] | None = None
               ) -> dict[str, Any]:
        """Return a status notification (sent, delivered, read, failed) for a message we sent."""
        entry: dict[str, Any] = {"id": wamid, "status": status, "timestamp": str(int(time.time())),
                                 "recipient_id": recipient}
        if status != "failed":
            entry["pricing"] = {"billable": True, "pricing_model": "PMP", "category": "utility"}
        if errors:
            entry["errors"] = errors
        return self.notification({"statuses": [entry]})


# --- validation, independent of the bot's own -------------------------------------------------------


def _need(condition: bool, code: int, details: str) -> None:
    if not condition:
        raise GraphReject(code, details)


def _text(value: Any, limit: int, what: str) -> None:
    _need(isinstance(value, str) and value != "", 131008, f"{what} is required")
    _need(len(value.encode("utf-16-le")) // 2 <= limit, 131009, f"{what} is longer than {limit} characters")


def validate_message(body: dict[str, Any], templates: dict[tuple[str, str], int]) -> str:
    """Check a /messages body like the Cloud API does; return the recipient."""
    _need(body.get("messaging_product") == "whatsapp", 131009, "messaging_product must be whatsapp")
    _need(body.get("recipient_type", "individual") == "individual", 131009, "recipient_type must be individual")
    recipient = body.get("to") or body.get("recipient")
    _need(isinstance(recipient, str) and recipient != "", 131008, "to or recipient is required")
    if "to" in body:
        _need(re.fullmatch(r"\+?\d{6,15}", body["to"]) is not None, 131009, "to must be a phone number")
    else:
        _need(re.fullmatch(r"[A-Z]{2}\.(ENT\.)?[0-9A-Za-z]{1,128}", body["recipient"]) is not None, 131009,
              "recipient must be a business-scoped user id")
    kind = body.get("type", "text")
    content = body.get(kind)
    _need(isinstance(content, dict), 131008, f"the {kind} object is required")
    if kind == "text":
        _text(content.get("body"), 4096, "text.body")
    elif kind == "interactive":
        _validate_interactive(content)
    elif kind == "template":
        _validate_template(content, templates)
    else:
        raise GraphReject(131009, f"message type {kind} is not supported here")
    return recipient


def _validate_interactive(inter: dict[str, Any]) -> None:
    kind = inter.get("type")
    action = inter.get("action")
    _need(isinstance(action, dict), 131008, "interactive.action is required")
    body = (inter.get("body") or {}).get("text")
    if kind == "button":
        _text(body, 1024, "interactive.body.text")
        buttons = action.get("buttons")
        _need(isinstance(buttons, list) and 1 <= len(buttons) <= 3, 131009, "buttons must have 1 to 3 items")
        ids, titles = [], []
        for button in buttons:
            reply = button.get("reply") if button.get("type") == "reply" else None
            _need(isinstance(reply, dict), 131009, "each button must be of type reply")
            _text(reply.get("id"), 256, "button id")
            _text(reply.get("title"), 20, "button title")
            ids.append(reply["id"])
            titles.append(reply["title"])
        _need(len(set(ids)) == len(ids), 131009, "button ids must be unique")
        _need(len(set(titles)) == len(titles), 131009, "button titles must be unique")
    elif kind == "list":
        _text(body, 4096, "interactive.body.text")
        _text(action.get("button"), 20, "action.button")
        sections = action.get("sections")
        _need(isinstance(sections, list) and 1 <= len(sections) <= 10, 131009, "sections must have 1 to 10 items")
        rows = [row for s in sections for row in (s.get("rows") or [])]
        _need(1 <= len(rows) <= 10, 131009, "a list may have at most 10 rows in all")
        for section in sections:
            if len(sections) > 1 or "title" in section:
                _text(section.get("title"), 24, "section title")
        ids = []
        for row in rows:
            _text(row.get("id"), 200, "row id")
            _text(row.get("title"), 24, "row title")
            if "description" in row:
                _text(row["description"], 72, "row description")
            ids.append(row["id"])
        _need(len(set(ids)) == len(ids), 131009, "row ids must be unique")
    elif kind == "location_request_message":
        _text(body, 1024, "interactive.body.text")
        _need(action.get("name") == "send_location", 131009, "action.name must be send_location")
    else:
        raise GraphReject(131009, f"interactive type {kind} is not supported here")


def _validate_template(template: dict[str, Any], templates: dict[tuple[str, str], int]) -> None:
    name = template.get("name")
    language = (template.get("language") or {}).get("code")
    _need(isinstance(name, str) and isinstance(language, str), 131008, "template name and language are required")
    if (name, language) not in templates:
        raise GraphReject(132001, f"template name ({name}) does not exist in {language}", status=404)
    params = [p for c in template.get("components") or [] if c.get("type") == "body" for p in c.get("parameters") or []]
    if len(params) != templates[(name, language)]:
        raise GraphReject(132000, f"expected {templates[(name, language)]} body parameters, got {len(params)}")
    for param in params:
        _need(param.get("type") == "text", 131009, "parameters must be of type text")
        _text(param.get("text"), 1024, "template parameter")
        if re.search(r"[\n\t]| {5,}", param["text"]):
            raise GraphReject(132018, "Param text cannot have new-line/tab characters or more than 4 consecutive "
                                      "spaces")
