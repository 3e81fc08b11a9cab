"""Notifications on WhatsApp: the 24-hour window, templates, Meta's error codes and the outbox."""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.channels.whatsapp_client import GraphClient, GraphError, OutsideWindow, classify
from bot.channels.whatsapp_sender import OUTSIDE_WINDOW, WhatsAppSender
from bot.delivery import PermanentFailure, RetryLater
from handlers.messages import Option, Reply
from knowledge.records.db import Database
from knowledge.records.models import OutboxRow, ResidentRow, utcnow
from handlers.messages import reply_to_payload
from knowledge.records.residents import get_or_create_resident
from tests.fake_graph import PHONE_NUMBER_ID, TOKEN, FakeGraph
from tests.whatsapp_harness import RESIDENT, Running, running_whatsapp

STATUS_PAYLOAD = {
    "text": "Laporan **PDG-ABC123** Anda sekarang berstatus **Sedang diproses** oleh Dinas Lingkungan Hidup.",
    "options": [], "photo": None, "request": None, "kind": "status",
    "template": {"name": "status_laporan", "language": "id",
                 "params": ["PDG-ABC123", "Sedang diproses", "Dinas Lingkungan Hidup"],
                 "note": "Petugas dijadwalkan\nbesok pagi"},
}


@pytest.fixture
async def fake() -> AsyncIterator[FakeGraph]:
    server = await FakeGraph().start()
    yield server
    await server.close()


@pytest.fixture
async def client(fake: FakeGraph) -> AsyncIterator[GraphClient]:
    graph = GraphClient(base_url=fake.base_url, token=TOKEN, phone_number_id=PHONE_NUMBER_ID)
    yield graph
    await graph.close()


def make_sender(client: GraphClient, db: Database, template: str | None = "status_laporan") -> WhatsAppSender:
    return WhatsAppSender(client, db, templates={"status": template}, language="id")


async def resident_wrote(db: Database, user: str, hours_ago: float) -> None:
    async with db.session() as session:
        await get_or_create_resident(session, "whatsapp", user, now=utcnow() - dt.timedelta(hours=hours_ago))
        await session.commit()


# --- the sender on its own ----------------------------------------------------------------------------


async def test_inside_the_window_the_message_goes_as_it_is(fake: FakeGraph, client: GraphClient, sqlite_db: Database):
    await resident_wrote(sqlite_db, RESIDENT, hours_ago=2)
    payload = {**STATUS_PAYLOAD, "options": [{"label": str(n), "value": f"rate:PDG-ABC123:{n}"} for n in range(1, 6)]}
    wamid = await make_sender(client, sqlite_db).send(RESIDENT, payload)
    [call] = fake.sent(RESIDENT)
    assert wamid == call.wamid and call.kind == "list"
    assert "*PDG-ABC123*" in call.text and "rate:PDG-ABC123:5" in call.options


async def test_outside_the_window_a_status_goes_as_the_template(fake: FakeGraph, client: GraphClient,
                                                                sqlite_db: Database):
    await resident_wrote(sqlite_db, RESIDENT, hours_ago=30)
    await make_sender(client, sqlite_db).send(RESIDENT, STATUS_PAYLOAD)
    [call] = fake.sent(RESIDENT)
    assert call.kind == "template"
    template = call.body["template"]
    assert (template["name"], template["language"]["code"]) == ("status_laporan", "id")
    params = [p["text"] for p in template["components"][0]["parameters"]]
    assert params == ["PDG-ABC123", "Sedang diproses", "Petugas dijadwalkan besok pagi"]


async def test_outside_the_window_without_a_template_the_message_fails_with_the_reason(
        fake: FakeGraph, client: GraphClient, sqlite_db: Database):
    await resident_wrote(sqlite_db, RESIDENT, hours_ago=30)
    with pytest.raises(PermanentFailure) as failure:
        await make_sender(client, sqlite_db, template=None).send(RESIDENT, STATUS_PAYLOAD)
    assert failure.value.reason.startswith(OUTSIDE_WINDOW)
    reply = reply_to_payload(Reply("Jawaban yang tertunda"))  # a deferred reply has no template at all
    with pytest.raises(PermanentFailure, match=OUTSIDE_WINDOW):
        await make_sender(client, sqlite_db).send("6289999999999", reply)  # never wrote: no window
    assert fake.sent() == []


async def test_a_template_meta_refuses_fails_with_the_reason(fake: FakeGraph, client: GraphClient, sqlite_db: Database):
    fake.templates.clear()  # the template was never approved
    await resident_wrote(sqlite_db, RESIDENT, hours_ago=30)
    with pytest.raises(PermanentFailure) as failure:
        await make_sender(client, sqlite_db).send(RESIDENT, STATUS_PAYLOAD)
    assert failure.value.reason.startswith(OUTSIDE_WINDOW) and "132001" in failure.value.reason


async def test_131047_for_a_free_form_message_falls_back_to_the_template(fake: FakeGraph, client: GraphClient,
                                                                         sqlite_db: Database):
    await resident_wrote(sqlite_db, RESIDENT, hours_ago=1)  # our clock says inside; Meta disagrees
    fake.outside_window[RESIDENT] = "sync"
    await make_sender(client, sqlite_db).send(RESIDENT, STATUS_PAYLOAD)
    assert [c.kind for c in fake.refused()] == ["text"]
    assert [c.kind for c in fake.sent(RESIDENT)] == ["template"]


@pytest.mark.parametrize(("code", "status", "expected"), [
    (130429, 400, RetryLater), (131056, 400, RetryLater), (131000, 500, RetryLater), (1, 503, RetryLater),
    (131047, 400, OutsideWindow), (131009, 400, PermanentFailure), (131026, 400, PermanentFailure),
])
async def test_meta_error_codes_mean_retry_template_or_give_up(fake: FakeGraph, client: GraphClient,
                                                               code: int, status: int, expected: type):
    fake.fail(code, status=status)
    with pytest.raises(GraphError) as error:
        await client.send(RESIDENT, {"type": "text", "text": {"body": "halo"}})
    assert (error.value.code, error.value.status) == (code, status) and error.value.fbtrace_id
    decision = classify(error.value)
    assert type(decision) is expected
    if code == 131056:
        assert decision.seconds == 6.0  # the pair limit: about one message per 6 s
    if expected is PermanentFailure:
        assert str(code) in decision.reason


async def test_a_wrong_token_and_an_unreachable_api_are_retried(fake: FakeGraph, sqlite_db: Database):
    wrong = GraphClient(base_url=fake.base_url, token="expired", phone_number_id=PHONE_NUMBER_ID)
    down = GraphClient(base_url="http://127.0.0.1:9/v21.0", token=TOKEN, phone_number_id=PHONE_NUMBER_ID)
    await resident_wrote(sqlite_db, RESIDENT, hours_ago=1)
    try:
        for graph in (wrong, down):
            with pytest.raises(RetryLater):
                await make_sender(graph, sqlite_db).send(RESIDENT, STATUS_PAYLOAD)
    finally:
        await wrong.close()
        await down.close()


# --- through the whole app: outbox, worker, status webhooks ---------------------------------------------


@pytest.fixture
async def bot(fake: FakeGraph, tmp_path: Path) -> AsyncIterator[Running]:
    async with running_whatsapp(fake, tmp_path) as running:
        yield running


async def file_complaint(bot: Running, user: str, *, hours_ago: float) -> str:
    async with bot.core.db.session() as session:
        resident = await get_or_create_resident(session, "whatsapp", user)
        row = await bot.core.complaints.file(session, resident=resident, opd="dlh", category=None,
                                             description="Sampah menumpuk di TPS Pasar Raya sejak tiga hari",
                                             idempotency_key=secrets.token_hex(8))
        await session.execute(update(ResidentRow).where(ResidentRow.id == resident.id)
                              .values(last_inbound_at=utcnow() - dt.timedelta(hours=hours_ago)))
        await session.commit()
        return row.ticket


async def change_status(bot: Running, ticket: str, status: str, note: str = "") -> None:
    async with bot.core.db.session() as session:
        await bot.core.complaints.set_status(session, ticket, status, note=note, actor="petugas-dlh")
        await session.commit()


async def outbox_rows(bot: Running) -> list[OutboxRow]:
    async with bot.core.db.session() as session:
        return list((await session.scalars(select(OutboxRow).where(OutboxRow.channel == "whatsapp")
                                           .order_by(OutboxRow.id))).all())


async def test_status_change_outside_the_window_reaches_the_resident_as_a_template(bot: Running, fake: FakeGraph):
    ticket = await file_complaint(bot, RESIDENT, hours_ago=48)
    await change_status(bot, ticket, "diproses", note="Truk dijadwalkan besok")
    [call] = await fake.wait_for(lambda: fake.sent(RESIDENT))
    assert call.kind == "template"
    assert call.text == f"{ticket} | Sedang diproses | Truk dijadwalkan besok"
    [row] = await _until(bot, lambda rows: rows and rows[0].status == "sent")
    assert row.external_id == call.wamid
    # Meta's receipt arrives: the admin page sees it delivered.
    assert (await fake.deliver(fake.status(call.wamid, "delivered", RESIDENT)))[0] == 200
    assert (await outbox_rows(bot))[0].delivery_status == "delivered"


async def test_without_a_template_the_admin_sees_the_resident_was_not_reached(fake: FakeGraph, tmp_path: Path):
    async with running_whatsapp(fake, tmp_path, WHATSAPP_TEMPLATE_STATUS="") as bot:
        ticket = await file_complaint(bot, RESIDENT, hours_ago=48)
        await change_status(bot, ticket, "diterima")
        [row] = await _until(bot, lambda rows: rows and rows[0].status == "failed")
        assert row.last_error.startswith(OUTSIDE_WINDOW)
        assert fake.sent(RESIDENT) == []


async def test_throughput_limit_then_success(bot: Running, fake: FakeGraph):
    ticket = await file_complaint(bot, RESIDENT, hours_ago=1)
    fake.fail(130429, recipient=RESIDENT)
    await change_status(bot, ticket, "diterima", note="Segera ditindaklanjuti")
    [call] = await fake.wait_for(lambda: fake.sent(RESIDENT), timeout=8)
    assert call.kind == "text" and f"*{ticket}*" in call.text
    [refused] = fake.refused()
    assert refused.status == 400
    rows = await _until(bot, lambda rows: rows and rows[0].status == "sent")
    assert rows[0].attempts == 2


async def test_131047_reported_later_in_a_status_webhook_sends_the_template(bot: Running, fake: FakeGraph):
    ticket = await file_complaint(bot, RESIDENT, hours_ago=1)
    fake.outside_window[RESIDENT] = "async"  # accepted at first, reported failed in a webhook
    await change_status(bot, ticket, "selesai", note="Sampah sudah diangkut")
    calls = await fake.wait_for(lambda: len(fake.sent(RESIDENT)) >= 2 and fake.sent(RESIDENT), timeout=8)
    assert [c.kind for c in calls] == ["list", "template"]  # the rating list first, then the template
    assert calls[1].text == f"{ticket} | Selesai | Sampah sudah diangkut"
    rows = await _until(bot, lambda rows: len(rows) == 2 and rows[1].status == "sent")
    assert rows[0].delivery_status == "failed" and rows[1].payload["force_template"] is True


async def test_direct_reply_refused_for_now_is_delivered_later_in_order(bot: Running, fake: FakeGraph):
    fake.fail(130429, recipient=RESIDENT)
    status, _ = await fake.deliver(fake.text(RESIDENT, "syarat akta kelahiran"))
    assert status == 200
    await bot.settled()
    assert fake.sent(RESIDENT) == []
    calls = await fake.wait_for(lambda: len(fake.sent(RESIDENT)) >= 2 and fake.sent(RESIDENT), timeout=8)
    assert "selamat datang" in calls[0].text and "akta" in calls[1].text.lower()  # the turn's order kept
    rows = await _until(bot, lambda rows: rows and all(r.status == "sent" for r in rows))
    assert [r.kind for r in rows] == ["reply"] * len(rows) and len(rows) >= 2


async def _until(bot: Running, ready, timeout: float = 8.0) -> list[OutboxRow]:
    """Poll the WhatsApp outbox until `ready(rows)`."""
    deadline = time.monotonic() + timeout
    while True:
        rows = await outbox_rows(bot)
        if ready(rows):
            return rows
        if time.monotonic() > deadline:
            raise AssertionError(f"outbox not as expected: {[(r.status, r.last_error) for r in rows]}")
        await asyncio.sleep(0.05)


async def test_bsuid_recipient_is_addressed_by_recipient(fake: FakeGraph, client: GraphClient, sqlite_db: Database):
    bsuid = "ID.1502576394655843"
    await resident_wrote(sqlite_db, bsuid, hours_ago=1)
    await make_sender(client, sqlite_db).send(bsuid, reply_to_payload(Reply("Halo", options=(Option("Ya", "y"),))))
    [call] = fake.sent(bsuid)
    assert call.body["recipient"] == bsuid and "to" not in call.body


async def test_a_long_message_cut_short_resumes_at_the_part_that_failed(fake: FakeGraph, client: GraphClient,
                                                                        sqlite_db: Database):
    await resident_wrote(sqlite_db, RESIDENT, hours_ago=1)
    text = "\n\n".join(f"Bagian {n}: " + "rincian tindak lanjut laporan. " * 100 for n in range(1, 4))
    payload = {"text": text, "options": [], "photo": None, "request": None}
    sender = make_sender(client, sqlite_db)
    fake.fail(130429, status=400, after=1)  # the first part goes out, the second hits the throughput limit
    with pytest.raises(RetryLater) as stopped:
        await sender.send(RESIDENT, payload)
    assert stopped.value.parts_sent == 1
    await sender.send(RESIDENT, payload, first_part=stopped.value.parts_sent)
    bodies = [c.text for c in fake.sent(RESIDENT)]
    assert len(bodies) == 3 and [b.startswith(f"Bagian {n}:") for n, b in enumerate(bodies, start=1)] == [True] * 3
