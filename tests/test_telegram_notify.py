"""OPD notices and the daily escalation of overdue complaints to the Kominfo group."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select, update

from tests.clock import Clock
from bot.channels.telegram_notify import Escalator, payload_reply
from knowledge.kb import KnowledgeBase
from knowledge.records import kbstore
from knowledge.records.complaints import ComplaintService
from knowledge.records.db import Database
from knowledge.records.models import OpdRow, OutboxRow
from knowledge.records.outbox import Outbox
from knowledge.records.residents import get_or_create_resident

FILED = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.timezone.utc)  # Monday 09:00 WIB
KOMINFO = "-100999"


@pytest.fixture
async def db(database: Database, padang_kb: KnowledgeBase) -> AsyncIterator[Database]:
    async with database.session() as s:
        await kbstore.import_kb(s, padang_kb)
        await s.execute(update(OpdRow).where(OpdRow.slug == "dlh").values(telegram_chat_id="-100777"))
        await s.commit()
    yield database


async def file_complaints(db: Database, service: ComplaintService, n: int) -> list[str]:
    tickets = []
    async with db.session() as s:
        resident = await get_or_create_resident(s, "telegram", "1001", "Budi")
        for i in range(n):
            row = await service.file(s, resident=resident, opd="dlh", category="sampah-tidak-diangkut",
                                     description=f"Sampah di TPS {i} tidak diangkut", latitude=-0.95,
                                     longitude=100.35, address="Jl. Sudirman", idempotency_key=f"k{i}")
            tickets.append(row.ticket)
        await s.commit()
    return tickets


async def test_new_complaint_notice_renders_with_map_link(db: Database, padang_kb: KnowledgeBase):
    service = ComplaintService(lambda: padang_kb, Outbox(), clock=Clock(FILED))
    [ticket] = await file_complaints(db, service, 1)
    async with db.session() as s:
        [row] = (await s.scalars(select(OutboxRow).where(OutboxRow.kind == "opd_notice"))).all()
    reply = payload_reply(row.payload)
    assert row.recipient == "-100777"
    assert f"**{ticket}**" in reply.text and "openstreetmap.org/?mlat=-0.950000&mlon=100.350000" in reply.text
    assert "Sampah di TPS 0" in reply.text


async def test_overdue_list_queued_once_per_day_across_instances(db: Database, padang_kb: KnowledgeBase):
    clock = Clock(FILED)
    outbox = Outbox()
    service = ComplaintService(lambda: padang_kb, outbox, clock=clock)
    tickets = await file_complaints(db, service, 2)
    # Two instances (e.g. two replicas, or a restart) check the same day.
    second_db = Database(db.url, schema=db.schema)
    try:
        escalators = [Escalator(d, service, outbox, lambda: padang_kb, KOMINFO) for d in (db, second_db)]
        early = dt.datetime(2026, 3, 20, 0, 30, tzinfo=dt.timezone.utc)  # 07:30 WIB: before 08:00
        assert not await escalators[0].run_once(early)
        later = dt.datetime(2026, 3, 20, 3, 0, tzinfo=dt.timezone.utc)
        assert await escalators[0].run_once(later)
        assert not await escalators[1].run_once(later)
        assert not await escalators[0].run_once(later + dt.timedelta(hours=2))
        assert await escalators[1].run_once(later + dt.timedelta(days=1))  # the next day: again
    finally:
        await second_db.dispose()
    async with db.session() as s:
        rows = (await s.scalars(select(OutboxRow).where(OutboxRow.kind == "escalation").order_by(OutboxRow.id))).all()
    assert [r.recipient for r in rows] == [KOMINFO, KOMINFO]
    text = rows[0].payload["text"]
    assert "2 laporan melewati batas waktu" in text and "20 Maret 2026" in text
    assert all(t in text for t in tickets) and "DLH" in text and "terlambat" in text


async def test_nothing_overdue_sends_nothing(db: Database, padang_kb: KnowledgeBase):
    outbox = Outbox()
    service = ComplaintService(lambda: padang_kb, outbox, clock=Clock(FILED))
    await file_complaints(db, service, 1)
    escalator = Escalator(db, service, outbox, lambda: padang_kb, KOMINFO)
    assert not await escalator.run_once(FILED + dt.timedelta(hours=2))  # filed today: not overdue
