"""The Telegram channel, plugged into `create_app` with `setup(app, settings)`.

Two modes (INTERFACES §6):
- polling, when TELEGRAM_WEBHOOK_URL is unset: python-telegram-bot's updater long-polls
  getUpdates inside our server's lifetime;
- webhook, when it is set: Telegram POSTs updates to `/webhook/telegram` on our aiohttp server.
  The `X-Telegram-Bot-Api-Secret-Token` header is compared with TELEGRAM_WEBHOOK_SECRET in
  constant time before the body is read; anything else gets 401. The 200 comes once the update's
  turn is committed (with its exactly-once record, see telegram_bot), before the replies go out.

TELEGRAM_API_BASE_URL lets the bot run against any Bot API server (a local one, or a fake in tests).
Modules: telegram_bot (the bot and its update handling), telegram_updates (update → InboundMessage),
telegram_render (Reply → Bot API calls), telegram_sender (outbox delivery), telegram_notify (OPD
notices and the daily escalation).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator

from aiohttp import web

from bot import keys
from bot.channels.telegram_bot import NotHandled, TelegramChannel
from bot.channels.telegram_notify import Escalator
from bot.channels.telegram_sender import TelegramSender
from bot.settings import Settings
from knowledge.records import inbound

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhook/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# httpx logs every request URL at INFO and PTB's bots their API URL at DEBUG: URLs hold the token.
TOKEN_LEAKING_LOGGERS = (("httpx", logging.WARNING), ("telegram.Bot", logging.INFO),
                         ("telegram.ext.ExtBot", logging.INFO))
REPLAY_EVERY = 60.0  # seconds between looks for updates left unfinished by a crash
PURGE_EVERY = 6 * 3600.0
KEEP_UPDATES_DAYS = 3
TELEGRAM: web.AppKey[TelegramChannel] = web.AppKey("telegram")
ESCALATOR: web.AppKey[Escalator | None] = web.AppKey("telegram_escalator")


def setup(app: web.Application, settings: Settings, *, poll_timeout: float = 30.0) -> TelegramChannel:
    """Add the Telegram channel to the app: webhook route, outbox sender, start/stop with the server."""
    if not settings.telegram_bot_token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    for name, level in TOKEN_LEAKING_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:  # unless an operator configured it on purpose
            logger.setLevel(level)
    core = app[keys.CORE]
    channel = TelegramChannel(
        token=settings.telegram_bot_token, base_url=settings.telegram_api_base_url,
        handle=core.dispatcher.handle, db=core.db, outbox=core.outbox, media_dir=settings.media_dir,
        webhook_url=settings.telegram_webhook_url, webhook_secret=settings.telegram_webhook_secret,
        poll_timeout=poll_timeout, turn_claims=True)
    app[TELEGRAM] = channel
    app[keys.SENDERS].append(TelegramSender(channel.bot, settings.media_dir, channel.ready, channel.stopped))
    escalator = None
    if settings.telegram_kominfo_chat_id:
        escalator = Escalator(core.db, core.complaints, core.outbox, lambda: core.live.kb,
                              settings.telegram_kominfo_chat_id, timezone=core.base_kb.city.timezone,
                              holidays=settings.holidays)
    app[ESCALATOR] = escalator
    app.router.add_post(WEBHOOK_PATH, webhook)
    app.cleanup_ctx.append(_lifecycle)
    return channel


async def webhook(request: web.Request) -> web.Response:
    """Receive an update from Telegram (webhook mode)."""
    channel = request.app[TELEGRAM]
    expected = channel.webhook_secret
    given = request.headers.get(SECRET_HEADER)
    # Authenticity first, in constant time, and before reading a byte of the body.
    if not expected or given is None or not hmac.compare_digest(
            given.encode("utf-8", "replace"), expected.encode("utf-8")):
        return web.json_response({"ok": False, "error": "unauthorized"}, status=401)
    if not channel.ready.is_set():
        return web.json_response({"ok": False, "error": "starting"}, status=503, headers={"Retry-After": "5"})
    try:
        data = await request.json()
    except (ValueError, UnicodeDecodeError):
        return web.json_response({"ok": False, "error": "invalid JSON"}, status=400)
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        return web.json_response({"ok": False, "error": "not an update"}, status=400)
    try:
        await channel.accept(data)
    except (KeyError, TypeError, ValueError, json.JSONDecodeError) as exc:
        log.warning("malformed Telegram update %s: %s", data.get("update_id"), exc)
        return web.json_response({"ok": False, "error": "malformed update"}, status=400)
    except NotHandled:
        return web.json_response({"ok": False, "error": "stopping"}, status=503, headers={"Retry-After": "5"})
    except Exception:  # not recorded (the database failed): Telegram delivers it again
        log.exception("Telegram update %s not handled", data.get("update_id"))
        return web.json_response({"ok": False, "error": "not handled"}, status=500)
    return web.json_response({"ok": True})


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    channel = app[TELEGRAM]
    escalator = app[ESCALATOR]
    # Telegram being unreachable must not keep the web chat and admin page down: start in the background.
    starting = asyncio.create_task(channel.start_with_retry(), name="telegram-start")
    escalating = asyncio.create_task(escalator.run(), name="telegram-escalation") if escalator else None
    housekeeping = asyncio.create_task(_housekeeping(channel), name="telegram-housekeeping")
    try:
        yield
    finally:
        for task in (starting, escalating, housekeeping):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await channel.stop()


async def _housekeeping(channel: TelegramChannel) -> None:
    """Replay updates a crashed instance left unfinished; forget handled ones after a few days."""
    last_purge = 0.0
    while True:
        await asyncio.sleep(REPLAY_EVERY)
        try:
            if channel.ready.is_set():
                await channel.replay()
            if time.monotonic() - last_purge > PURGE_EVERY:
                last_purge = time.monotonic()
                cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=KEEP_UPDATES_DAYS)
                # Telegram redelivers within hours, not days: older records only take space.
                purged = await inbound.purge(channel.db, cutoff)
                if purged:
                    log.info("forgot %d handled inbound message record(s)", purged)
        except Exception:  # retried at the next round
            log.exception("Telegram housekeeping failed")
