"""`create_app(settings)`: the one aiohttp application `tanyakota serve` runs.

It holds the conversation core (bot/core.py), the web chat, /healthz and /metrics, the admin
page under /admin, and the Telegram and WhatsApp channels when they are configured. Start-up
and shutdown live in a cleanup context: migrate and first-run set-up, outbox delivery workers
for every channel that registered a Sender, a daily purge of old message texts; on shutdown
(after aiohttp stopped accepting requests and finished the ones in flight) the turns still
running elsewhere finish, the workers stop and the database closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from bot import keys, metrics
from bot.channels import webchat
from bot.core import Core, build_core, start_core, stop_core
from bot.delivery import DeliveryWorker
from bot.settings import Settings
from knowledge.privacy import MaskingFilter
from knowledge.records.db import Database

log = logging.getLogger(__name__)

SHUTDOWN_GRACE = 10.0  # seconds turns in flight get to finish
PURGE_EVERY = 24 * 3600.0
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@web.middleware
async def security_headers(request: web.Request,
                           handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
    """Add safe defaults (CSP without inline scripts, no sniffing, no framing) unless a view set its own."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        for name, value in SECURITY_HEADERS.items():
            exc.headers.setdefault(name, value)
        raise
    if not response.prepared:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
    return response


def install_masking() -> None:
    """Mask NIK and phone numbers in every log line (filters on the root logger's handlers)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())


def create_app(settings: Settings, *, db: Database | None = None,
               now: Callable[[], dt.datetime] = _utcnow) -> web.Application:
    """Build the application; nothing touches the network or the database until it starts."""
    install_masking()
    collectors = metrics.Metrics()
    core = build_core(settings, db=db, observer=collectors.observe, now=now)
    app = web.Application(middlewares=[security_headers], client_max_size=webchat.MAX_UPLOAD + 64 * 1024)
    app[keys.SETTINGS] = settings
    app[keys.CORE] = core
    app[keys.SENDERS] = []
    app.cleanup_ctx.append(_lifecycle)  # first: channels' contexts start after it and stop before it
    metrics.setup(app, collectors)
    webchat.setup(app, settings)
    _setup_channels(app, settings)
    _mount_admin(app, core, settings, now)
    return app


def _setup_channels(app: web.Application, settings: Settings) -> None:
    if settings.telegram_enabled:
        try:
            from bot.channels import telegram
        except ImportError:
            log.exception("TELEGRAM_BOT_TOKEN is set but the Telegram channel could not be loaded")
        else:
            telegram.setup(app, settings)
    if settings.whatsapp_enabled:
        try:
            from bot.channels import whatsapp
        except ImportError:
            log.exception("WhatsApp is configured but the WhatsApp channel could not be loaded")
        else:
            whatsapp.setup(app, settings)


def _mount_admin(app: web.Application, core: Core, settings: Settings, now: Callable[[], dt.datetime]) -> None:
    try:
        from admin import AdminContext, create_admin_app
    except ImportError:
        log.info("the admin page is not available in this build; /admin is not mounted")
        return
    ctx = AdminContext(db=core.db, live=core.live, complaints=core.complaints, outbox=core.outbox,
                       secret_key=settings.secret_key, secure_cookies=settings.secure_cookies,
                       media_dir=settings.media_dir, holidays=settings.holidays, now=now)
    app.add_subapp("/admin", create_admin_app(ctx))


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    core = app[keys.CORE]
    await start_core(core)
    # The knowledge base, lexicons and indexes live as long as the process: keep them out of the
    # garbage collector's full scans, which would otherwise pause every turn in flight now and then.
    gc.collect()
    gc.freeze()
    workers = [
        DeliveryWorker(core.db, core.outbox, sender, rate=getattr(sender, "rate", 30.0),
                       per_recipient_interval=getattr(sender, "per_recipient_interval", 1.0))
        for sender in app[keys.SENDERS]
    ]
    for worker in workers:
        worker.start()
    purge = asyncio.create_task(_purge_daily(core), name="retention-purge")
    log.info("Tanya Kota is ready (%s, %d delivery worker(s))", core.db.dialect, len(workers))
    try:
        yield
    finally:
        purge.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await purge  # it may hold the database connection: let it let go before dispose()
        await core.dispatcher.drain(SHUTDOWN_GRACE)
        for worker in workers:
            await worker.stop()
        await stop_core(core, timeout=SHUTDOWN_GRACE)  # turns are drained already: closes the leases and database
        log.info("Tanya Kota stopped")


async def _purge_daily(core: Core) -> None:
    """Delete message texts and conversation states older than the retention period, once a day."""
    while True:
        try:
            cutoff = core.services.now() - dt.timedelta(days=core.settings.retention_days)
            async with core.db.session() as session:
                purged = await core.events.purge_texts(session, cutoff)
                await session.commit()
            purge_states = getattr(core.state, "purge", None)  # conversations abandoned that long ago
            states = await purge_states(cutoff) if purge_states else 0
            if purged or states:
                log.info("retention: removed the text of %d event(s) and %d conversation state(s) older than %d days",
                         purged, states, core.settings.retention_days)
        except Exception:
            log.exception("retention purge failed; will try again tomorrow")
        await asyncio.sleep(PURGE_EVERY)
