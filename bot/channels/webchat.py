"""The web-chat channel: a page at /chat and a small JSON API (INTERFACES §5).

- `POST /api/chat` `{"user": "<client id>", "text": "..."}` (or `"location": {"latitude", "longitude"}`)
  → `{"replies": [{"text", "options": ["label", ...], "request", "kind"}]}`.
- `POST /api/chat/photo` multipart (`user`, `photo`): JPEG or PNG up to 5 MB, checked by its
  magic bytes and stored under the media folder with a random name.
- `GET /api/chat/updates?user=...`: status messages queued for this client (the page polls).

The client id is random, made by the page and kept in its localStorage; it is the only thing
tying a browser to its conversation, so it is never shown to anyone else.
"""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path
from typing import Any

from aiohttp import web

from bot import keys
from bot.channels.common import sniff_image, store_photo
from bot.delivery import take_messages
from bot.settings import Settings
from handlers.messages import InboundMessage, Location, Photo, Reply

log = logging.getLogger(__name__)

CHANNEL = "web"
STATIC = Path(__file__).resolve().parent.parent / "static"
MAX_USER = 128
MAX_UPLOAD = 5 * 1024 * 1024


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def reply_json(reply: Reply) -> dict[str, Any]:
    """Return a reply as the web chat's JSON: text, option labels, and what to ask the browser for."""
    return {"text": reply.text, "options": [o.label for o in reply.options], "request": reply.request,
            "kind": reply.kind}


def payload_json(payload: dict[str, Any]) -> dict[str, Any]:
    """Return an outbox payload in the same shape as a direct reply."""
    options = [str(o.get("label", "")) for o in payload.get("options") or []]
    return {"text": payload.get("text") or "", "options": options, "request": payload.get("request"),
            "kind": payload.get("kind") or "notice"}


def _user(value: Any) -> str | None:
    """Return a valid client id, or None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > MAX_USER or not value.isprintable():
        return None
    return value


def _location(value: Any) -> Location | None:
    if not isinstance(value, dict):
        raise ValueError("location must be an object with latitude and longitude")
    try:
        lat, lon = float(value["latitude"]), float(value["longitude"])
    except (KeyError, TypeError, ValueError):
        raise ValueError("location must have numeric latitude and longitude") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError("location is out of range")
    return Location(lat, lon)


async def _handle(request: web.Request, msg: InboundMessage) -> web.Response:
    replies = await request.app[keys.CORE].dispatcher.handle(msg)
    return web.json_response({"replies": [reply_json(r) for r in replies]})


async def chat_api(request: web.Request) -> web.Response:
    """Handle one message from the web chat."""
    try:
        body = await request.json(loads=json.loads)
    except (ValueError, UnicodeDecodeError):
        return _error(400, "body must be JSON")
    if not isinstance(body, dict):
        return _error(400, "body must be a JSON object")
    user = _user(body.get("user"))
    if user is None:
        return _error(400, f"user must be a non-empty string of at most {MAX_USER} characters")
    text = body.get("text", "")
    if text is None:
        text = ""
    if not isinstance(text, str):
        return _error(400, "text must be a string")
    location = None
    if body.get("location") is not None:
        try:
            location = _location(body["location"])
        except ValueError as exc:
            return _error(400, str(exc))
    return await _handle(request, InboundMessage(channel=CHANNEL, user_id=user, text=text, location=location))


async def _read_upload(field: Any) -> bytes | None:
    """Read an uploaded file, or None when it passes MAX_UPLOAD."""
    data = bytearray()
    while chunk := await field.read_chunk(64 * 1024):
        data += chunk
        if len(data) > MAX_UPLOAD:
            return None
    return bytes(data)


async def photo_api(request: web.Request) -> web.Response:
    """Accept a photo for a complaint: JPEG/PNG, at most 5 MB."""
    if not request.content_type.startswith("multipart/"):
        return _error(400, "send the photo as multipart/form-data with fields user and photo")
    user, data = None, None
    reader = await request.multipart()
    while (field := await reader.next()) is not None:
        if field.name == "user":
            user = _user((await field.read(decode=True)).decode("utf-8", "replace"))
        elif field.name == "photo":
            data = await _read_upload(field)
            if data is None:
                return _error(413, "the photo is larger than 5 MB")
    if user is None:
        return _error(400, f"user must be a non-empty string of at most {MAX_USER} characters")
    if not data:
        return _error(400, "photo is missing")
    kind = sniff_image(data)
    if kind is None:
        return _error(415, "only JPEG and PNG photos are accepted")
    suffix, mime = kind
    relative = await store_photo(request.app[keys.SETTINGS].media_dir, CHANNEL, data, suffix)
    log.info("web chat photo stored (%d bytes)", len(data))
    return await _handle(request, InboundMessage(channel=CHANNEL, user_id=user, photo=Photo(relative, mime)))


async def updates_api(request: web.Request) -> web.Response:
    """Return the notifications waiting for this web-chat client (marked delivered)."""
    user = _user(request.query.get("user"))
    if user is None:
        return _error(400, f"user must be a non-empty string of at most {MAX_USER} characters")
    payloads = await take_messages(request.app[keys.CORE].db, CHANNEL, user)
    return web.json_response({"replies": [payload_json(p) for p in payloads]})


async def page(request: web.Request) -> web.FileResponse:
    """Serve the chat page."""
    return web.FileResponse(STATIC / "chat.html", headers={"Cache-Control": "no-cache"})


async def home(request: web.Request) -> web.Response:
    """Send visitors of the bare address to the chat."""
    raise web.HTTPFound("/chat")


def setup(app: web.Application, settings: Settings) -> None:
    """Add the web chat's page, static files and API."""
    app.router.add_get("/", home)
    app.router.add_get("/chat", page)
    app.router.add_static("/static/chat/", STATIC, show_index=False, append_version=False)
    app.router.add_post("/api/chat", chat_api)
    app.router.add_post("/api/chat/photo", photo_api)
    app.router.add_get("/api/chat/updates", updates_api)
