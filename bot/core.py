"""The conversation core wired together: database, live knowledge, services and the Dispatcher.

Used by `create_app` (the web server), `tanyakota chat` (the terminal) and the admin CLI, so
every entry point runs the same bot. `start_core` migrates the database and, on an empty
database, imports the knowledge-base folder and creates the `kominfo` account, whose random
password is printed once.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import select

from bot.settings import Settings
from handlers.context import Services
from handlers.dispatch import Dispatcher, TurnStats
from handlers.state import SqlStateStore, StateStore
from knowledge.kb import KnowledgeBase
from knowledge.kbfiles import load_kb
from knowledge.places import Places
from knowledge.records import kbstore
from knowledge.records.complaints import ComplaintService
from knowledge.records.db import Database
from knowledge.records.events import EventRecorder
from knowledge.records.leases import ResidentLeases
from knowledge.records.live import LiveKnowledge
from knowledge.records.models import UserRow
from knowledge.records.outbox import Outbox

log = logging.getLogger(__name__)

KOMINFO_USER = "kominfo"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class Core:
    settings: Settings
    db: Database
    base_kb: KnowledgeBase
    live: LiveKnowledge
    outbox: Outbox
    complaints: ComplaintService
    events: EventRecorder
    state: StateStore
    services: Services
    dispatcher: Dispatcher


def load_base_kb(settings: Settings) -> KnowledgeBase:
    """Load the knowledge-base folder (problems are logged; broken entries are skipped)."""
    result = load_kb(settings.kb_path)
    if result.errors:
        log.warning("knowledge base %s has %d problem(s); see `tanyakota kb validate`",
                    settings.kb_path, len(result.errors))
    return result.kb


def build_core(settings: Settings, *, db: Database | None = None, observer: Callable[[TurnStats], None] | None = None,
               now: Callable[[], dt.datetime] = _utcnow) -> Core:
    """Build (without I/O) everything a conversation needs."""
    db = db or Database(settings.database_url)
    base_kb = load_base_kb(settings)
    places = Places.for_kb(settings.kb_path)
    live = LiveKnowledge(db, base_kb, places=places)
    outbox = Outbox()
    complaints = ComplaintService(lambda: live.kb, outbox, holidays=settings.holidays,
                                  timezone=base_kb.city.timezone)
    events = EventRecorder(settings.secret_key)
    # One instance (SQLite) is the only writer of the states: it keeps them in memory too.
    state = SqlStateStore(db, cache=db.dialect == "sqlite")
    settings.media_dir.mkdir(parents=True, exist_ok=True)
    services = Services(db=db, live=live, complaints=complaints, outbox=outbox, events=events, state=state,
                        media_dir=settings.media_dir, now=now, places=places, retention_days=settings.retention_days)
    # PostgreSQL is how Tanya Kota runs on several instances: there a resident's turns also take a
    # lease (an advisory lock). SQLite serves one process, whose Dispatcher lock is enough.
    leases = ResidentLeases(db) if db.dialect == "postgresql" else None
    dispatcher = Dispatcher(services, rate_limit_per_minute=settings.rate_limit_per_minute, observer=observer,
                            leases=leases)
    return Core(settings, db, base_kb, live, outbox, complaints, events, state, services, dispatcher)


async def start_core(core: Core, *, out: TextIO | None = None) -> None:
    """Migrate the database, set up a first run, and load the knowledge."""
    await core.db.migrate()
    await ensure_kb(core.db, core.base_kb)
    await ensure_kominfo(core.db, out=out or sys.stdout)
    await core.live.refresh(force=True)


async def ensure_kb(db: Database, base_kb: KnowledgeBase) -> bool:
    """Import the knowledge base when the database has none yet; return True if it did."""
    async with db.session() as session:
        if not await kbstore.is_empty(session):
            return False
        counts = await kbstore.import_kb(session, base_kb, actor="first-run")
        await session.commit()
    log.info("first run: imported the knowledge base: %s", counts)
    return True


async def ensure_kominfo(db: Database, *, out: TextIO) -> str | None:
    """Create the kominfo account, its random password printed once, unless a Kominfo account exists."""
    from knowledge.records.users import create_user, generate_password

    async with db.session() as session:
        exists = await session.scalar(select(UserRow.id).where(UserRow.role == "kominfo").limit(1))
        if exists:
            return None
        password = generate_password(KOMINFO_USER)
        await create_user(session, KOMINFO_USER, password, "kominfo", must_change=True)  # changed at first sign-in
        await session.commit()
    # Printed, never logged: log files outlive the moment the operator copies it.
    print(f"Akun {KOMINFO_USER} dibuat. Kata sandi: {password} — simpan sekarang, tidak akan ditampilkan lagi.\n"
          f"Account {KOMINFO_USER} created. Password: {password} — save it now, it will not be shown again.",
          file=out, flush=True)
    return password


async def stop_core(core: Core, *, timeout: float = 10.0) -> None:
    """Let turns in flight finish, then close the database."""
    await core.dispatcher.drain(timeout)
    if core.dispatcher.leases is not None:
        await core.dispatcher.leases.close()
    await core.db.dispose()
