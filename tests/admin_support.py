"""Shared set-up for the admin page tests: a real admin sub-app on a migrated database.

    world.login("dlh.admin")                        # signs in through the login form
    page = await world.get("/admin/faqs")           # text of a page
    await world.post("/admin/faqs/new", {...})      # the CSRF token is added automatically

Everything is real: SQLite (or PostgreSQL), the complaint service, the outbox, LiveKnowledge
with the matcher, argon2 logins, on the small test knowledge base (tests/data/chat_kb):
OPDs dlh, dpupr, disdukcapil, dinsos.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from argon2 import PasswordHasher

from tests.clock import Clock
from admin import AdminContext, create_admin_app
from knowledge.records import users
from knowledge.records.complaints import ComplaintService
from knowledge.records.db import Database
from knowledge.records.events import EventRecorder
from knowledge.records.kbstore import import_kb
from knowledge.records.live import LiveKnowledge
from knowledge.records.models import ComplaintRow
from knowledge.records.outbox import Outbox
from knowledge.records.residents import get_or_create_resident
from tests.conftest_chat import chat_kb

PASSWORD = "kata-sandi-uji-123"
SECRET = "admin-test-secret-0123456789"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
ACCOUNTS = {"kominfo": ("kominfo", None), "dlh.admin": ("opd", "dlh"), "dpupr.admin": ("opd", "dpupr")}
MONDAY_MORNING = dt.datetime(2025, 3, 10, 2, 0, tzinfo=dt.timezone.utc)  # 09:00 in Padang (WIB)
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # test accounts only


@dataclass
class AdminWorld:
    db: Database
    live: LiveKnowledge
    outbox: Outbox
    complaints: ComplaintService
    ctx: AdminContext
    client: TestClient
    clock: Clock
    media_dir: Path
    events: EventRecorder = field(default_factory=lambda: EventRecorder(SECRET))
    _filed: int = 0

    async def login(self, username: str, password: str = PASSWORD) -> web.StatusCode | int:
        """Sign in through the login form; return the final status."""
        page = await self.client.get("/admin/login")
        token = CSRF_RE.search(await page.text())
        assert token, "no CSRF token on the login page"
        resp = await self.client.post("/admin/login", data={"username": username, "password": password,
                                                            "csrf_token": token.group(1)}, allow_redirects=False)
        return resp.status

    async def logout_cookies(self) -> None:
        self.client.session.cookie_jar.clear()

    async def token(self) -> str:
        """Return the CSRF token of the current session (from a page that shows forms)."""
        resp = await self.client.get("/admin/password")
        found = CSRF_RE.search(await resp.text())
        if found is None:  # signed out: the login page has a token too
            found = CSRF_RE.search(await (await self.client.get("/admin/login")).text())
        assert found
        return found.group(1)

    async def get(self, path: str, status: int = 200) -> str:
        resp = await self.client.get(path, allow_redirects=False)
        text = await resp.text()
        assert resp.status == status, f"GET {path}: {resp.status}\n{text[:2000]}"
        return text

    async def post(self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True,
                   status: int | None = None) -> Any:
        """POST a form (with the session's CSRF token unless csrf=False); return the response."""
        form = dict(data or {})
        if csrf:
            form["csrf_token"] = await self.token()
        resp = await self.client.post(path, data=form, allow_redirects=False)
        if status is not None:
            body = await resp.text()
            assert resp.status == status, f"POST {path}: {resp.status}\n{body[:2000]}"
            if status == 303 and path != "/admin/logout":  # not merely sent to the login page
                assert not resp.headers["Location"].startswith("/admin/login"), f"POST {path}: signed out"
        return resp

    async def file_complaint(self, opd: str = "dlh", description: str = "Sampah di TPS tidak diangkut 3 hari",
                             category: str | None = "sampah-tidak-diangkut", channel: str = "web",
                             user: str = "warga-1", **extra: Any) -> ComplaintRow:
        """File a complaint as a resident would (through the complaint service)."""
        self._filed += 1
        async with self.db.session() as session:
            resident = await get_or_create_resident(session, channel, user, "Budi")
            row = await self.complaints.file(session, resident=resident, opd=opd, category=category,
                                             description=description,
                                             idempotency_key=f"k-{self._filed}-{secrets.token_hex(4)}",
                                             **extra)
            await session.commit()
        return row

    async def event(self, kind: str, *, user: str = "warga-1", channel: str = "web",
                    at: dt.datetime | None = None, **fields: Any) -> None:
        """Record one interaction event as the conversation core would."""
        async with self.db.session() as session:
            await self.events.record(session, channel=channel, external_id=user, kind=kind,
                                     created_at=at or self.clock(), **fields)
            await session.commit()


async def build_world(db: Database, client_factory: Any, tmp_path: Path) -> AdminWorld:
    """Import the test KB, create one account per role and start the admin sub-app."""
    kb = chat_kb()
    async with db.session() as session:
        await import_kb(session, kb, actor="test")
        for name, (role, opd) in ACCOUNTS.items():
            await users.create_user(session, name, PASSWORD, role, opd, hasher=FAST_HASHER)
        await session.commit()
    live = LiveKnowledge(db, kb, check_every=0)
    await live.refresh(force=True)
    clock = Clock(MONDAY_MORNING)
    outbox = Outbox()
    complaints = ComplaintService(lambda: live.kb, outbox, timezone=kb.city.timezone, clock=clock)
    media = tmp_path / "media"
    media.mkdir(exist_ok=True)
    ctx = AdminContext(db=db, live=live, complaints=complaints, outbox=outbox, secret_key=SECRET,
                       media_dir=media, now=clock)
    app = web.Application()
    app.add_subapp("/admin", create_admin_app(ctx))
    client = await client_factory(app)
    return AdminWorld(db, live, outbox, complaints, ctx, client, clock, media)


@pytest.fixture
async def world(sqlite_db: Database, aiohttp_client: Any, tmp_path: Path) -> AdminWorld:
    """The admin page on SQLite with the test KB and accounts kominfo, dlh.admin, dpupr.admin."""
    return await build_world(sqlite_db, aiohttp_client, tmp_path)


@pytest.fixture
async def any_world(database: Database, aiohttp_client: Any, tmp_path: Path) -> AdminWorld:
    """The same on SQLite and on PostgreSQL."""
    return await build_world(database, aiohttp_client, tmp_path)
