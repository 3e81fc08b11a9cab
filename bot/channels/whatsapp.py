"""The WhatsApp channel (WhatsApp Cloud API), plugged into `create_app` with `setup(app, settings)`.

Webhook at `/webhook/whatsapp` (INTERFACES §5):
- GET, Meta's verification handshake: `hub.mode=subscribe` and `hub.verify_token` equal to
  WHATSAPP_VERIFY_TOKEN (compared in constant time) → 200 with `hub.challenge` as text/plain;
  anything else → 403.
- POST, notifications: `X-Hub-Signature-256: sha256=<hex>` must equal HMAC-SHA256 of the raw body
  with WHATSAPP_APP_SECRET, checked in constant time before the body is parsed; a missing or
  wrong signature → 401. A correctly signed body that is not the documented JSON → 200 with
  `{"status": "ignored"}` and a warning in the log: Meta retries anything but 200 for days, and a
  malformed body will never get better. Messages are stored durably before the 200 (see
  whatsapp_channel); a database failure answers 500 so that Meta sends the notification again.

Modules: whatsapp_client (Graph API calls, pacing, error meanings), whatsapp_inbound
(notification → InboundMessage, photos), whatsapp_render (Reply → message bodies, limits),
whatsapp_sender (outbox delivery, 24-hour window, templates), whatsapp_channel (the flow).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from bot import keys
from bot.channels.whatsapp_channel import WhatsAppChannel
from bot.channels.whatsapp_client import GraphClient
from bot.channels.whatsapp_inbound import MalformedNotification, MediaStore
from bot.channels.whatsapp_sender import WhatsAppSender
from bot.settings import Settings

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhook/whatsapp"
SIGNATURE_HEADER = "X-Hub-Signature-256"
MAX_BODY = 1024 * 1024  # Meta's notifications are a few kilobytes
MAX_CHALLENGE = 256
WHATSAPP: web.AppKey[WhatsAppChannel] = web.AppKey("whatsapp")
VERIFY_TOKEN: web.AppKey[str] = web.AppKey("whatsapp_verify_token")
APP_SECRET: web.AppKey[bytes] = web.AppKey("whatsapp_app_secret")


def setup(app: web.Application, settings: Settings) -> WhatsAppChannel:
    """Add the WhatsApp channel: webhook routes, the outbox sender, start and stop with the server."""
    if not settings.whatsapp_enabled:
        raise ValueError("WhatsApp needs WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, "
                         "WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN")
    core = app[keys.CORE]
    client = GraphClient(base_url=settings.whatsapp_api_base_url, token=settings.whatsapp_access_token or "",
                         phone_number_id=settings.whatsapp_phone_number_id or "", rate=settings.whatsapp_rate)
    sender = WhatsAppSender(client, core.db, templates={"status": settings.whatsapp_template_status},
                            language=settings.whatsapp_template_lang, rate=settings.whatsapp_rate)
    channel = WhatsAppChannel(client=client, sender=sender, handle=core.dispatcher.handle, db=core.db,
                              outbox=core.outbox, media=MediaStore(client, settings.media_dir),
                              phone_number_id=settings.whatsapp_phone_number_id or "")
    app[WHATSAPP] = channel
    app[VERIFY_TOKEN] = settings.whatsapp_verify_token or ""
    app[APP_SECRET] = (settings.whatsapp_app_secret or "").encode("utf-8")
    app[keys.SENDERS].append(sender)
    app.router.add_get(WEBHOOK_PATH, verify)
    app.router.add_post(WEBHOOK_PATH, receive)
    app.cleanup_ctx.append(_lifecycle)
    # After every cleanup context (the delivery workers stop in create_app's): close the HTTP client.
    app.on_cleanup.append(_close_client)
    return channel


def signature_ok(secret: bytes, body: bytes, header: str | None) -> bool:
    """Return True when `header` is "sha256=" + the hex HMAC-SHA256 of the body (constant time)."""
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header[len("sha256="):].strip().lower().encode("ascii", "replace"),
                               expected.encode("ascii"))


async def verify(request: web.Request) -> web.Response:
    """Answer Meta's subscription handshake."""
    query = request.query
    expected = request.app[VERIFY_TOKEN]
    token = query.get("hub.verify_token")
    challenge = query.get("hub.challenge")
    if (query.get("hub.mode") == "subscribe" and token is not None and challenge and expected
            and len(challenge) <= MAX_CHALLENGE
            and hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8"))):
        log.info("WhatsApp webhook verified by Meta")
        return web.Response(text=challenge, content_type="text/plain")
    log.warning("WhatsApp webhook verification refused (wrong verify token or mode)")
    return web.Response(status=403, text="forbidden", content_type="text/plain")


async def receive(request: web.Request) -> web.Response:
    """Receive a notification from Meta."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        return web.json_response({"error": "too large"}, status=413)
    body = await request.read()
    # Authenticity first, in constant time, before a byte of the body is parsed.
    if not signature_ok(request.app[APP_SECRET], body, request.headers.get(SIGNATURE_HEADER)):
        log.warning("WhatsApp webhook with a missing or wrong signature refused")
        return web.json_response({"error": "invalid signature"}, status=401)
    try:
        data = json.loads(body)
        accepted, receipts = await request.app[WHATSAPP].accept(data)
    except (ValueError, MalformedNotification) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        log.warning("signed WhatsApp notification ignored, not the documented JSON: %s", exc)
        return web.json_response({"status": "ignored"})
    return web.json_response({"status": "ok", "messages": accepted, "statuses": receipts})


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    channel = app[WHATSAPP]
    await channel.start()
    log.info("WhatsApp channel ready (phone number id %s)", channel.phone_number_id)
    try:
        yield
    finally:
        await channel.stop()


async def _close_client(app: web.Application) -> None:
    await app[WHATSAPP].client.close()
