"""The WhatsApp channel on PostgreSQL: exactly-once, replay after a crash, and the template fallback."""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from knowledge.records.db import Database
from knowledge.records.models import InboundRow, ResidentRow, utcnow
from knowledge.records.residents import get_or_create_resident
from tests.fake_graph import FakeGraph
from tests.whatsapp_harness import RESIDENT, running_whatsapp, text_of

pytestmark = pytest.mark.postgres


@pytest.fixture
async def fake() -> AsyncIterator[FakeGraph]:
    server = await FakeGraph().start()
    yield server
    await server.close()


async def test_crash_replay_and_duplicates_on_postgresql(fake: FakeGraph, pg_db: Database, tmp_path: Path):
    payload = fake.text(RESIDENT, "syarat akta kelahiran")
    wamid = payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
    async with running_whatsapp(fake, tmp_path, db=pg_db) as first:
        first.channel.drain_timeout = 0.2
        stuck = asyncio.Event()

        async def hang(msg):
            stuck.set()
            await asyncio.Event().wait()

        first.channel.handle = hang
        assert (await fake.deliver(payload))[0] == 200
        await asyncio.wait_for(stuck.wait(), 5)
    assert fake.sent(RESIDENT) == []
    async with running_whatsapp(fake, tmp_path, db=pg_db, replay_after=0.0) as second:
        await fake.wait_for(lambda: fake.sent(RESIDENT), timeout=10)
        await second.settled()
        assert "akta" in text_of(fake.sent(RESIDENT)).lower()
        before = len(fake.sent(RESIDENT))
        results = await asyncio.gather(*(fake.deliver(payload) for _ in range(3)))  # Meta's retries at once
        assert {status for status, _ in results} == {200}
        await second.settled()
        assert len(fake.sent(RESIDENT)) == before
        async with second.core.db.session() as session:
            rows = (await session.scalars(select(InboundRow).where(InboundRow.message_id == wamid))).all()
        assert [r.status for r in rows] == ["done"]


async def test_status_outside_the_window_goes_as_the_template_on_postgresql(fake: FakeGraph, pg_db: Database,
                                                                            tmp_path: Path):
    async with running_whatsapp(fake, tmp_path, db=pg_db) as bot:
        async with bot.core.db.session() as session:
            resident = await get_or_create_resident(session, "whatsapp", RESIDENT)
            row = await bot.core.complaints.file(session, resident=resident, opd="dlh", category=None,
                                                 description="Sampah menumpuk di TPS sejak tiga hari",
                                                 idempotency_key=secrets.token_hex(8))
            await session.execute(update(ResidentRow).where(ResidentRow.id == resident.id)
                                  .values(last_inbound_at=utcnow() - dt.timedelta(days=3)))
            await session.commit()
        async with bot.core.db.session() as session:
            await bot.core.complaints.set_status(session, row.ticket, "ditolak", note="Bukan wewenang DLH",
                                                 actor="petugas-dlh")
            await session.commit()
        [call] = await fake.wait_for(lambda: fake.sent(RESIDENT), timeout=8)
        assert call.kind == "template" and call.text == f"{row.ticket} | Ditolak | Bukan wewenang DLH"
