"""Residents (one per channel id) and analytics events (pseudonymous, masked, purgeable)."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import func, select

from knowledge.records.db import Database
from knowledge.records.events import EventRecorder
from knowledge.records.models import EventRow, ResidentRow, utcnow
from knowledge.records.residents import get_or_create_resident

T0 = dt.datetime(2026, 3, 6, 2, 0, tzinfo=dt.timezone.utc)


async def test_resident_is_created_once_and_updated(database: Database) -> None:
    async with database.session() as s:
        first = await get_or_create_resident(s, "telegram", "42", "Budi", now=T0)
        await s.commit()
    async with database.session() as s:
        again = await get_or_create_resident(s, "telegram", "42", None, now=T0 + dt.timedelta(hours=1))
        await s.commit()
    assert again.id == first.id
    assert (again.display_name, again.last_inbound_at) == ("Budi", T0 + dt.timedelta(hours=1))
    async with database.session() as s:
        renamed = await get_or_create_resident(s, "telegram", "42", "Budi S.")
        other = await get_or_create_resident(s, "whatsapp", "42")
        await s.commit()
    assert renamed.display_name == "Budi S." and other.id != first.id and other.display_name is None


async def test_simultaneous_first_messages_make_one_resident(database: Database) -> None:
    async def first_message(i: int) -> int:
        async with database.session() as s:
            row = await get_or_create_resident(s, "web", "client-1", f"tab {i}")
            await s.commit()
            return row.id

    ids = await asyncio.gather(*(first_message(i) for i in range(8)))
    assert len(set(ids)) == 1
    async with database.session() as s:
        assert await s.scalar(select(func.count()).select_from(ResidentRow)) == 1


def test_pseudonym_is_stable_keyed_and_short() -> None:
    a, b = EventRecorder("k" * 32), EventRecorder("x" * 32)
    p = a.pseudonym("telegram", "42")
    assert p == a.pseudonym("telegram", "42") and len(p) == 32 and int(p, 16) >= 0
    assert p != b.pseudonym("telegram", "42") and p != a.pseudonym("whatsapp", "42")


async def test_event_text_is_masked_truncated_and_purged(database: Database) -> None:
    recorder = EventRecorder("secret-key-for-tests")
    async with database.session() as s:
        old = await recorder.record(s, channel="telegram", external_id="42", kind="question", outcome="abstain",
                                    text="NIK saya 1371012345678901 hp 081234567890 " + "x" * 600,
                                    created_at=T0 - dt.timedelta(days=200))
        new = await recorder.record(s, channel="telegram", external_id="42", kind="question", outcome="answer",
                                    faq_key="ktp", score=0.9, answered=True, latency_ms=12.5, text="cara buat ktp",
                                    data={"suggestions": ["a"]})
        await s.commit()
    assert old.text.startswith("NIK saya •••• hp 08••••••90 ") and len(old.text) == 500
    assert old.resident == recorder.pseudonym("telegram", "42") and "42" != old.resident
    async with database.session() as s:
        assert await recorder.purge_texts(s, utcnow() - dt.timedelta(days=180)) == 1
        await s.commit()
    async with database.session() as s:
        rows = {r.id: r for r in (await s.scalars(select(EventRow))).all()}
    assert rows[old.id].text is None and rows[old.id].outcome == "abstain"
    assert rows[new.id].text == "cara buat ktp" and rows[new.id].data == {"suggestions": ["a"]}
