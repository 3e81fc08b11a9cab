"""The whole /lapor flow on WhatsApp, and a crash between Meta's 200 and the handling of a message."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from knowledge.records.db import Database
from knowledge.records.models import ComplaintRow, InboundRow, ResidentRow, utcnow
from tests.fake_graph import FakeGraph
from tests.whatsapp_harness import RESIDENT, TICKET, running_whatsapp, text_of

JPEG = b"\xff\xd8\xff\xe0" + b"jalan-berlubang" * 200


@pytest.fixture
async def fake() -> AsyncIterator[FakeGraph]:
    server = await FakeGraph().start()
    yield server
    await server.close()


async def test_whole_complaint_flow_with_location_and_photo(fake: FakeGraph, tmp_path: Path):
    async with running_whatsapp(fake, tmp_path) as bot:
        calls = await bot.say(RESIDENT, "lapor")  # WhatsApp accepts commands without "/"
        assert "Ceritakan masalahnya" in text_of(calls)
        calls = await bot.say(RESIDENT, "Sampah di TPS dekat pasar sudah tiga hari tidak diangkut, baunya menyengat")
        asked_location = asked_photo = False
        for _ in range(12):  # answer whatever the flow asks, the way a resident would
            if TICKET.search(text_of(calls)):
                break
            last = calls[-1]
            if last.kind == "location_request_message":
                asked_location = True
                calls = await bot.send(fake.location(RESIDENT, -0.9471, 100.4172, name="TPS Pasar Raya",
                                                     address="Jl. Pasar Raya, Padang"))
            elif "skip" in last.options and "foto" in last.text.lower():
                asked_photo = True
                calls = await bot.send(fake.image(RESIDENT, JPEG))
            else:
                choice = next((v for v in last.options if v in ("route:ok", "name:anon")), None)
                choice = choice or next((v for v in last.options if v.startswith(("cat:", "opd:"))), None)
                if choice is None:  # the summary: confirm by typing, as the text asks
                    calls = await bot.say(RESIDENT, "ya")
                else:
                    calls = await bot.press(RESIDENT, choice, last.options[choice])
        filed = text_of(calls)
        ticket = TICKET.search(filed).group(0)
        assert asked_location and asked_photo
        assert "Dinas Lingkungan Hidup" in filed
        async with bot.core.db.session() as session:
            row = await session.scalar(select(ComplaintRow).where(ComplaintRow.ticket == ticket))
            resident = await session.get(ResidentRow, row.resident_id)
        assert (resident.channel, resident.external_id) == ("whatsapp", RESIDENT)
        assert row.latitude == pytest.approx(-0.9471) and "Pasar Raya" in (row.address or "")
        assert (bot.core.settings.media_dir / row.photo_path).read_bytes() == JPEG
        assert ticket in text_of(await bot.say(RESIDENT, f"status {ticket}"))
        assert fake.refused() == []  # every message the bot sent passed the Graph API's checks


async def test_crash_between_the_200_and_the_handling_loses_nothing(fake: FakeGraph, tmp_path: Path):
    payload = fake.text(RESIDENT, "jam buka kantor disdukcapil")
    wamid = payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
    stuck = asyncio.Event()

    async with running_whatsapp(fake, tmp_path) as first:
        first.channel.drain_timeout = 0.2

        async def hang(msg):  # the process dies mid-turn: nothing gets answered
            stuck.set()
            await asyncio.Event().wait()

        first.channel.handle = hang
        status, _ = await fake.deliver(payload)
        assert status == 200
        await asyncio.wait_for(stuck.wait(), 5)
    assert fake.sent(RESIDENT) == []

    async with running_whatsapp(fake, tmp_path, replay_after=0.0) as second:  # the restarted process
        await fake.wait_for(lambda: fake.sent(RESIDENT), timeout=10)
        await second.settled()
        assert "Disdukcapil" in text_of(fake.sent(RESIDENT)) or "disdukcapil" in text_of(fake.sent(RESIDENT)).lower()
        async with second.core.db.session() as session:
            row = await session.scalar(select(InboundRow).where(InboundRow.message_id == wamid))
        assert row.status == "done"
        replies = len(fake.sent(RESIDENT))
        assert (await fake.deliver(payload))[0] == 200  # Meta's own retry of it changes nothing
        await second.settled()
        assert len(fake.sent(RESIDENT)) == replies


async def test_a_message_too_young_at_restart_is_replayed_shortly_after(fake: FakeGraph, tmp_path: Path):
    payload = fake.text(RESIDENT, "jam buka kantor disdukcapil")
    async with running_whatsapp(fake, tmp_path) as first:
        first.channel.drain_timeout = 0.1

        async def hang(msg):
            await asyncio.Event().wait()

        first.channel.handle = hang
        assert (await fake.deliver(payload))[0] == 200
        await asyncio.sleep(0.1)
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'tanyakota.db'}")
    async with db.session() as session:  # as if the process crashed a moment ago
        await session.execute(update(InboundRow).values(received_at=utcnow()))
        await session.commit()
    await db.dispose()
    touched = time.monotonic()
    # At start-up the message is younger than `replay_after` (it might be in another instance's
    # hands): left alone then, and replayed by the second pass `replay_after` later.
    async with running_whatsapp(fake, tmp_path, replay_after=2.0) as second:
        if time.monotonic() - touched < 1.5:  # a slow machine may have started after the 2 s
            assert fake.sent(RESIDENT) == []
        await fake.wait_for(lambda: fake.sent(RESIDENT), timeout=6)
        await second.settled()
