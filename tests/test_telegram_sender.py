"""Outbound Telegram: the outbox sender against the fake Bot API, with python-telegram-bot unmocked."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from telegram import Bot

from bot.channels.telegram_bot import file_base_url
from bot.channels.telegram_notify import osm_link
from bot.channels.telegram_sender import TelegramSender
from bot.delivery import DeliveryWorker, PermanentFailure, RetryLater
from knowledge.records.models import OutboxRow
from knowledge.records.outbox import Outbox
from tests.fake_telegram import FakeTelegram

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram().start()
    yield server
    await server.close()


@pytest.fixture
async def sender(fake: FakeTelegram, tmp_path: Path) -> AsyncIterator[TelegramSender]:
    bot = Bot(fake.token, base_url=fake.base_url, base_file_url=file_base_url(fake.base_url))
    ready = asyncio.Event()
    ready.set()
    async with bot:
        yield TelegramSender(bot, tmp_path, ready)


def payload(text: str, **extra: object) -> dict:
    return {"text": text, "options": [], "photo": None, "request": None, **extra}


async def test_sends_html_and_returns_message_id(sender: TelegramSender, fake: FakeTelegram):
    message_id = await sender.send("42", payload("Laporan **PDG-ABC123** <diproses> & dicek"))
    [call] = fake.sent(42)
    assert message_id and call.params["parse_mode"] == "HTML"
    assert call.params["text"] == "Laporan <b>PDG-ABC123</b> &lt;diproses&gt; &amp; dicek"


async def test_rating_options_become_buttons(sender: TelegramSender, fake: FakeTelegram):
    options = [{"label": str(n), "value": f"rate:PDG-ABC123:{n}"} for n in range(1, 6)]
    await sender.send("42", payload("Beri nilai", options=options))
    [call] = fake.sent(42)
    [row] = call.params["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for b in row] == [f"rate:PDG-ABC123:{n}" for n in range(1, 6)]


@pytest.mark.parametrize(("status", "kwargs", "expected", "seconds"), [
    (429, {"retry_after": 7}, RetryLater, 7.0),
    (500, {}, RetryLater, None),
    (502, {}, RetryLater, None),
    (403, {}, PermanentFailure, None),
    (400, {}, PermanentFailure, None),
])
async def test_bot_api_errors_map_to_retry_or_give_up(sender: TelegramSender, fake: FakeTelegram,
                                                      status: int, kwargs: dict, expected: type, seconds: float | None):
    fake.fail("sendMessage", status, **kwargs)
    with pytest.raises(expected) as info:
        await sender.send("42", payload("Halo"))
    if expected is RetryLater:
        assert info.value.seconds == seconds
    else:
        assert any(w in info.value.reason.lower() for w in ("blocked", "chat not found"))


async def test_group_pacing_is_20_per_minute():
    assert TelegramSender.per_recipient_interval("-100123") == 3.0
    assert TelegramSender.per_recipient_interval("123") == 1.0


async def test_opd_notice_has_map_link_summary_and_photo(sender: TelegramSender, fake: FakeTelegram, tmp_path: Path):
    (tmp_path / "telegram").mkdir()
    (tmp_path / "telegram" / "p.jpg").write_bytes(JPEG)
    template = {"name": "opd_notice", "ticket": "PDG-ABC123", "category": "Sampah tidak diangkut",
                "description": "Sampah <menumpuk> di TPS, hubungi 081234567890", "due_date": "2026-03-05",
                "address": "Jl. Sudirman 1", "kelurahan": "Jati", "kecamatan": "Padang Timur",
                "latitude": -0.95, "longitude": 100.35, "from_opd": None}
    await sender.send("-1001", payload("teks cadangan", photo="telegram/p.jpg", template=template))
    [call] = fake.sent(-1001)
    assert call.method == "sendPhoto" and call.files  # the photo itself is uploaded
    caption = call.params["caption"]
    assert "<b>PDG-ABC123</b>" in caption and "Sampah tidak diangkut" in caption
    assert "Kel. Jati" in caption and "5 Maret 2026" in caption
    assert osm_link(-0.95, 100.35).replace("&", "&amp;") in caption
    assert "&lt;menumpuk&gt;" in caption and "081234567890" not in caption  # escaped, phone masked


async def test_worker_honours_retry_after_and_retries_5xx(sqlite_db, sender: TelegramSender, fake: FakeTelegram):
    outbox = Outbox(base_delay=0.05, max_delay=0.1)
    async with sqlite_db.session() as session:
        for i, chat in enumerate(("501", "502", "503")):
            await outbox.enqueue(session, channel="telegram", recipient=chat, kind="status",
                                 payload=payload(f"Pesan {i}"))
        await session.commit()
    fake.fail("sendMessage", 429, retry_after=1, chat_id=501)
    fake.fail("sendMessage", 500, chat_id=502)
    fake.blocked.add("503")
    worker = DeliveryWorker(sqlite_db, outbox, sender, rate=100, per_recipient_interval=0, poll_interval=0.05)
    started = asyncio.get_running_loop().time()
    worker.start()
    try:
        await fake.wait_for(lambda: {"501", "502"} <= {str(c.params["chat_id"]) for c in fake.sent()}, timeout=6)
    finally:
        await worker.stop()
    elapsed = asyncio.get_running_loop().time() - started
    async with sqlite_db.session() as session:
        rows = {r.recipient: r for r in (await session.scalars(select(OutboxRow))).all()}
    assert rows["501"].status == "sent" and rows["501"].attempts == 2
    assert elapsed >= 1.0  # waited as long as Telegram asked
    assert rows["502"].status == "sent" and rows["502"].attempts == 2
    assert rows["503"].status == "failed" and "blocked" in rows["503"].last_error
    assert [c.status for c in fake.called("sendMessage") if c.params["chat_id"] == "501"] == [429, 200]


async def test_sender_waits_for_the_bot_to_connect(fake: FakeTelegram, tmp_path: Path):
    bot = Bot(fake.token, base_url=fake.base_url)
    ready = asyncio.Event()
    async with bot:
        sender = TelegramSender(bot, tmp_path, ready, ready_timeout=0.05)
        with pytest.raises(RetryLater):
            await sender.send("42", payload("Halo"))
        asyncio.get_running_loop().call_later(0.02, ready.set)
        sender.ready_timeout = 2
        assert await sender.send("42", payload("Halo"))


async def test_a_long_message_cut_short_by_429_resumes_at_the_part_that_failed(sqlite_db, sender: TelegramSender,
                                                                              fake: FakeTelegram):
    outbox = Outbox(base_delay=0.05, max_delay=0.1)
    paragraphs = [f"Bagian {n}: " + "rincian tindak lanjut laporan. " * 100 for n in range(1, 4)]
    async with sqlite_db.session() as session:
        await outbox.enqueue(session, channel="telegram", recipient="601", kind="status",
                             payload=payload("\n\n".join(paragraphs)))
        await session.commit()
    fake.fail("sendMessage", 429, retry_after=1, after=1)  # the first part goes out, the second is refused
    worker = DeliveryWorker(sqlite_db, outbox, sender, rate=100, per_recipient_interval=0, poll_interval=0.05)
    worker.start()
    try:
        await fake.wait_for(lambda: len(fake.sent(601)) >= 3, timeout=6)
        await asyncio.sleep(0.2)  # room for a wrongly repeated part to show up
    finally:
        await worker.stop()
    texts = fake.texts(601)
    assert len(texts) == 3, "each part exactly once"
    assert [t.startswith(f"Bagian {n}:") for n, t in enumerate(texts, start=1)] == [True] * 3
    assert [c.status for c in fake.called("sendMessage")] == [200, 429, 200, 200]
    async with sqlite_db.session() as session:
        row = await session.scalar(select(OutboxRow))
    assert (row.status, row.attempts, row.parts_sent) == ("sent", 2, 1)
