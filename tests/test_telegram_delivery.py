"""Reliability of the Telegram channel: restarts, several instances, slow residents."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.channels.telegram_bot import NotHandled, TelegramChannel
from handlers.messages import InboundMessage, Reply, reply_to_payload
from knowledge.records.db import Database, Prepared
from knowledge.records.inbound import commit_claims, insert_statement
from knowledge.records.models import InboundRow, OutboxRow, utcnow
from knowledge.records.outbox import Outbox
from tests.fake_telegram import FakeTelegram
from tests.telegram_harness import prepared_database, running_bot

GROUP = "-100777"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram().start()
    yield server
    await server.close()


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return prepared_database(tmp_path_factory.mktemp("telegram-db"))


def notice(text: str) -> dict:
    return {"text": text, "options": [], "photo": None, "request": None, "kind": "opd_notice"}


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_new_instance_drains_notifications_left_in_the_outbox(fake: FakeTelegram, tmp_path: Path, mode: str,
                                                                     prepared: Path):
    fake.fail("sendMessage", 500, times=1000, chat_id=GROUP)  # Telegram is down for the group
    async with running_bot(fake, tmp_path, mode, prepared=prepared) as first:
        async with first.core.db.session() as session:
            await first.core.outbox.enqueue(session, channel="telegram", recipient=GROUP, kind="opd_notice",
                                            payload=notice("📥 Laporan baru: **PDG-AAAAAA**"))
            await session.commit()
        await fake.wait_for(lambda: [c for c in fake.called("sendMessage") if c.status == 500], timeout=5)
        # A second notice whose sender died mid-send: "sending", lease expired.
        async with first.core.db.session() as session:
            await first.core.outbox.enqueue(session, channel="telegram", recipient="4242", kind="status",
                                            payload=notice("Laporan **PDG-BBBBBB** Anda diproses."))
            await session.execute(update(OutboxRow).where(OutboxRow.recipient == "4242").values(
                status="sending", attempts=1, next_attempt_at=utcnow() - dt.timedelta(seconds=1)))
            await session.commit()
    fake.clear_failures()
    async with running_bot(fake, tmp_path, mode) as second:
        await fake.wait_for(lambda: fake.sent(GROUP) and fake.sent(4242), timeout=8)
        for _ in range(200):  # the worker records "sent" right after Telegram's answer
            async with second.core.db.session() as session:
                rows = (await session.scalars(select(OutboxRow))).all()
            if {r.status for r in rows} == {"sent"}:
                break
            await asyncio.sleep(0.01)
    assert {r.status for r in rows} == {"sent"}
    assert "PDG-AAAAAA" in fake.sent(GROUP)[0].params["text"]


async def _polling_channel(fake: FakeTelegram, db: Database, tmp_path: Path, handle) -> TelegramChannel:
    channel = TelegramChannel(token=fake.token, base_url=fake.base_url, handle=handle, db=db, outbox=Outbox(),
                              media_dir=tmp_path, poll_timeout=1)
    await channel.start()
    return channel


async def test_slow_resident_does_not_hold_up_others_and_keeps_order(fake: FakeTelegram, sqlite_db: Database,
                                                                     tmp_path: Path):
    async def handle(msg: InboundMessage) -> list[Reply]:
        if msg.user_id == "1":
            await asyncio.sleep(0.4)  # e.g. a slow photo step
        return [Reply(f"balasan {msg.text}")]

    channel = await _polling_channel(fake, sqlite_db, tmp_path, handle)
    try:
        started = time.perf_counter()
        for chat, text in ((1, "a"), (1, "b"), (2, "c"), (3, "d")):
            await fake.deliver(fake.text(chat, text))
        await fake.wait_for(lambda: fake.sent(2) and fake.sent(3), timeout=5)
        fast = time.perf_counter() - started
        await fake.wait_for(lambda: len(fake.sent(1)) == 2, timeout=5)
        slow = time.perf_counter() - started
    finally:
        await channel.stop()
    assert fast < 0.3 < 0.8 <= slow  # others answered at once; resident 1's two turns ran one after the other
    assert fake.texts(1) == ["balasan a", "balasan b"]


@pytest.mark.parametrize("turn_claims", [False, True], ids=["recorded-first", "recorded-by-the-turn"])
async def test_several_instances_handle_a_webhook_update_once(fake: FakeTelegram, database: Database, tmp_path: Path,
                                                              turn_claims: bool):
    handled: list[str] = []
    statement = Prepared(insert_statement)

    def handler(db: Database):
        async def handle(msg: InboundMessage) -> list[Reply]:
            if msg.claim is not None:  # the turn's commit records the update, as the core's does
                async with db.session() as session:
                    await commit_claims(session, [msg.claim], statement.on(session))
                    await session.commit()
                if not msg.claim.new:
                    return [Reply("dropped")]  # the channel must not send a dropped turn's replies
            handled.append(msg.text)
            return [Reply("ok")]
        return handle

    other = Database(database.url, schema=database.schema)
    channels = [TelegramChannel(token=fake.token, base_url=fake.base_url, handle=handler(db), db=db,
                                outbox=Outbox(), media_dir=tmp_path, webhook_url="https://bot.example/webhook/telegram",
                                webhook_secret="s", turn_claims=turn_claims) for db in (database, other)]
    try:
        for channel in channels:
            await channel.start()
        data = fake.text(9, "halo")
        accepted = await asyncio.gather(*(c.accept(data) for c in channels), channels[0].accept(data))
        await fake.wait_for(lambda: fake.sent(9), timeout=5)
        await asyncio.gather(*(c.quiet() for c in channels))
    finally:
        for channel in channels:
            await channel.stop()
        await other.dispose()
    assert sorted(accepted) == [False, False, True]
    assert handled == ["halo"] and fake.texts(9) == ["ok"]


async def test_webhook_update_left_unhandled_at_stop_is_refused_for_redelivery(fake: FakeTelegram,
                                                                               sqlite_db: Database, tmp_path: Path):
    async def handle(msg: InboundMessage) -> list[Reply]:
        return [Reply("ok")]

    channel = TelegramChannel(token=fake.token, base_url=fake.base_url, handle=handle, db=sqlite_db, outbox=Outbox(),
                              media_dir=tmp_path, webhook_url="https://bot.example/webhook/telegram",
                              webhook_secret="s", turn_claims=True)
    await channel.start()
    await channel.application.stop()  # updates are no longer taken from the queue
    waiting = asyncio.create_task(channel.accept(fake.text(9, "halo")))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    await channel.stop()
    with pytest.raises(NotHandled):  # the webhook answers 503: Telegram delivers it again later
        await waiting
    assert not fake.sent(9)


async def test_update_interrupted_by_a_crash_is_replayed_at_start(fake: FakeTelegram, tmp_path: Path,
                                                                  prepared: Path):
    async with running_bot(fake, tmp_path, "polling", prepared=prepared) as first:
        data = fake.text(31, "/bantuan")
        # The instance died after remembering this update and before answering it.
        async with first.core.db.session() as session:
            session.add(InboundRow(channel="telegram", message_id=str(data["update_id"]), payload=data,
                                   status="pending", received_at=utcnow() - dt.timedelta(minutes=10)))
            await session.commit()
    async with running_bot(fake, tmp_path, "polling") as second:
        await second.settled(data["update_id"])
    assert fake.sent(31)


async def test_replies_of_a_turn_committed_just_before_a_crash_are_sent_at_start(fake: FakeTelegram, tmp_path: Path,
                                                                                prepared: Path):
    async with running_bot(fake, tmp_path, "webhook", prepared=prepared) as first:
        # The instance died after committing this update's turn and before sending its replies.
        async with first.core.db.session() as session:
            session.add(InboundRow(channel="telegram", message_id="4242", status="answered",
                                   payload={"user": "32", "replies": [reply_to_payload(Reply("Jawaban Anda"))]},
                                   received_at=utcnow() - dt.timedelta(minutes=10)))
            await session.commit()
    async with running_bot(fake, tmp_path, "webhook") as second:
        await fake.wait_for(lambda: fake.sent(32), timeout=8)
        await second.settled(4242)
        assert await fake.deliver(fake.text(32, "halo")) == 200  # and the bot goes on as usual
    assert fake.texts(32)[0] == "Jawaban Anda"


async def test_start_retries_while_the_bot_api_is_down_and_gives_up_on_a_bad_token(fake: FakeTelegram,
                                                                                   sqlite_db: Database,
                                                                                   tmp_path: Path):
    async def handle(msg: InboundMessage) -> list[Reply]:
        return [Reply("ok")]

    fake.fail("getMe", 502, times=2)
    channel = TelegramChannel(token=fake.token, base_url=fake.base_url, handle=handle, db=sqlite_db,
                              outbox=Outbox(), media_dir=tmp_path, poll_timeout=1)
    try:
        await asyncio.wait_for(channel.start_with_retry(first_delay=0.02), 5)
        assert channel.ready.is_set() and len(fake.called("getMe")) == 3
        await fake.deliver(fake.text(8, "halo"))
        await fake.wait_for(lambda: fake.sent(8))
    finally:
        await channel.stop()
    wrong = TelegramChannel(token="999:wrong", base_url=fake.base_url, handle=handle, db=sqlite_db,
                            outbox=Outbox(), media_dir=tmp_path)
    await asyncio.wait_for(wrong.start_with_retry(first_delay=0.02), 5)  # returns: the channel stays off
    assert not wrong.ready.is_set()
    await wrong.stop()
