"""The WhatsApp webhook through the whole app: handshake, signatures, exactly-once, receipts."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select

from knowledge.records.models import InboundRow, OutboxRow
from tests.fake_graph import VERIFY_TOKEN, FakeGraph
from tests.whatsapp_harness import RESIDENT, Running, running_whatsapp, text_of


@pytest.fixture
async def fake() -> AsyncIterator[FakeGraph]:
    server = await FakeGraph().start()
    yield server
    await server.close()


@pytest.fixture
async def bot(fake: FakeGraph, tmp_path: Path) -> AsyncIterator[Running]:
    async with running_whatsapp(fake, tmp_path) as running:
        yield running


async def _get(bot: Running, params: dict[str, str]) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{bot.port}/webhook/whatsapp", params=params) as response:
            return response.status, await response.text(), response.content_type


async def test_verification_handshake_echoes_the_challenge_only_with_the_right_token(bot: Running):
    good = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    assert await _get(bot, good) == (200, "1158201444", "text/plain")
    assert (await _get(bot, {**good, "hub.verify_token": "wrong"}))[0] == 403
    assert (await _get(bot, {**good, "hub.mode": "unsubscribe"}))[0] == 403
    assert (await _get(bot, {"hub.mode": "subscribe", "hub.challenge": "1"}))[0] == 403


async def test_text_message_is_answered(bot: Running, fake: FakeGraph):
    calls = await bot.say(RESIDENT, "gimana cara urus ktp yg hilang?")
    assert calls, "no reply sent"
    assert all(c.recipient == RESIDENT for c in calls)
    assert "KTP" in text_of(calls)


async def test_wrong_or_missing_signature_is_refused_before_anything_is_stored(bot: Running, fake: FakeGraph):
    payload = fake.text(RESIDENT, "halo")
    raw = json.dumps(payload).encode()
    status, _ = await fake.deliver(raw, signature=fake.sign(raw + b" "))
    assert status == 401
    status, _ = await fake.deliver(raw, signature=None)
    assert status == 401
    status, _ = await fake.deliver(raw, signature="sha1=" + fake.sign(raw)[7:])
    assert status == 401
    async with bot.core.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(InboundRow)) == 0
    assert fake.sent() == []


async def test_malformed_signed_body_is_acknowledged_and_ignored(bot: Running, fake: FakeGraph):
    for raw in (b"{not json", b'{"object": "whatsapp_business_account", "entry": "oops"}', b"\xff\xfe"):
        status, body = await fake.deliver(raw)
        assert (status, json.loads(body)["status"]) == (200, "ignored")
    async with bot.core.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(InboundRow)) == 0


async def test_replayed_message_is_handled_once(bot: Running, fake: FakeGraph):
    payload = fake.text(RESIDENT, "syarat akta kelahiran")
    first = await bot.send(payload)
    assert first
    again = await bot.send(payload)  # Meta did not get our 200 in time and sends it again
    assert again == []
    wamid = payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
    async with bot.core.db.session() as session:
        rows = (await session.scalars(select(InboundRow).where(InboundRow.message_id == wamid))).all()
    assert len(rows) == 1 and rows[0].status == "done" and rows[0].payload is None


async def test_notification_for_another_number_is_ignored(bot: Running, fake: FakeGraph):
    payload = fake.text(RESIDENT, "halo")
    payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999"
    status, _ = await fake.deliver(payload)
    assert status == 200
    await bot.settled()
    assert fake.sent() == []


async def test_status_webhooks_update_the_outbox_and_never_step_back(bot: Running, fake: FakeGraph):
    async with bot.core.db.session() as session:
        row = await bot.core.outbox.enqueue(session, channel="whatsapp", recipient=RESIDENT, kind="status",
                                            payload={"text": "x", "options": []})
        row.status, row.external_id = "sent", "wamid.tracked"
        await session.commit()
        row_id = row.id
    for state in ("sent", "read", "delivered"):  # "delivered" arrives late: it must not undo "read"
        assert (await fake.deliver(fake.status("wamid.tracked", state, RESIDENT)))[0] == 200
    async with bot.core.db.session() as session:
        assert (await session.get(OutboxRow, row_id)).delivery_status == "read"
    failed = fake.status("wamid.tracked", "failed", RESIDENT,
                         errors=[{"code": 131026, "title": "Message undeliverable"}])
    assert (await fake.deliver(failed))[0] == 200
    async with bot.core.db.session() as session:
        row = await session.get(OutboxRow, row_id)
    assert (row.delivery_status, row.status) == ("failed", "failed")
    assert "131026" in row.last_error
