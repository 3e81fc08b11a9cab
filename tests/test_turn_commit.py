"""Group commit: turns ending together share one transaction, yet each is durable before its reply."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from sqlalchemy import func, select, text

from handlers import texts
from handlers.context import Turn
from handlers.dispatch import FEATURES, Dispatcher
from handlers.messages import Claim, InboundMessage, Reply
from handlers.state import SqlStateStore
from knowledge.records.batching import Batcher
from knowledge.records.db import Database
from knowledge.records.events import EventRecorder
from knowledge.records.models import EventRow, InboundRow, ResidentRow
from knowledge.records.residents import ResidentTouch, touch_residents
from tests.conftest_chat import Chat


async def test_items_arriving_together_share_a_round_and_get_their_own_results() -> None:
    rounds: list[list[int]] = []

    async def work(items: list[int]) -> list[int]:
        rounds.append(list(items))
        await asyncio.sleep(0.01)
        return [i * 10 for i in items]

    batcher: Batcher[int, int] = Batcher(work, name="test")
    assert await asyncio.gather(*(batcher.submit(i) for i in range(5))) == [0, 10, 20, 30, 40]
    assert rounds == [[0, 1, 2, 3, 4]]
    first = asyncio.create_task(batcher.submit(1))
    await asyncio.sleep(0.001)  # the round for 1 is running: 2 and 3 wait for the next one
    assert await asyncio.gather(first, batcher.submit(2), batcher.submit(3)) == [10, 20, 30]
    assert rounds[1:] == [[1], [2, 3]]


async def test_a_failing_item_fails_only_its_own_caller(caplog) -> None:
    async def work(items: list[int]) -> list[int]:
        if 3 in items:
            raise ValueError("bad item")
        return list(items)

    batcher: Batcher[int, int] = Batcher(work, name="test")
    with caplog.at_level(logging.WARNING):
        results = await asyncio.gather(*(batcher.submit(i) for i in range(5)), return_exceptions=True)
    assert results[:3] == [0, 1, 2] and results[4] == 4
    assert isinstance(results[3], ValueError)


async def test_a_cancelled_caller_does_not_cancel_the_others_round() -> None:
    done: list[int] = []

    async def work(items: list[int]) -> list[None]:
        await asyncio.sleep(0.02)
        done.extend(items)
        return [None] * len(items)

    batcher: Batcher[int, None] = Batcher(work, name="test")
    impatient = asyncio.create_task(batcher.submit(1))
    patient = asyncio.create_task(batcher.submit(2))
    await asyncio.sleep(0.005)
    impatient.cancel()
    await patient
    assert done == [1, 2]


async def test_touch_residents_creates_updates_and_never_erases(database: Database) -> None:
    async with database.session() as s:
        await touch_residents(s, [ResidentTouch("telegram", "1", "Budi"), ResidentTouch("web", "a")])
        await s.commit()
    async with database.session() as s:  # a resident twice in one statement, names and phone kept
        await touch_residents(s, [ResidentTouch("telegram", "1", None, "081234567890"),
                                  ResidentTouch("telegram", "1", None), ResidentTouch("web", "a", "Ani")])
        await s.commit()
    async with database.session() as s:
        rows = {r.external_id: r for r in (await s.scalars(select(ResidentRow))).all()}
    assert len(rows) == 2
    assert (rows["1"].display_name, rows["1"].phone) == ("Budi", "081234567890")
    assert rows["a"].display_name == "Ani" and rows["a"].last_inbound_at >= rows["a"].created_at


async def test_events_inserted_in_bulk_read_back_like_recorded_ones(database: Database) -> None:
    recorder = EventRecorder("secret-key-for-tests")
    fields: dict[str, Any] = {"channel": "telegram", "external_id": "42", "kind": "question", "text": "hp 081234567890"}
    async with database.session() as s:
        one = await recorder.record(s, **fields)
        await recorder.insert_many(s, [recorder.values(**fields), recorder.values(**fields, data={"a": 1})])
        await s.commit()
    async with database.session() as s:
        rows = (await s.execute(text("SELECT id, resident, text, data IS NULL AS no_data FROM events ORDER BY id"))).all()
    assert [r.id for r in rows][0] == one.id and len(rows) == 3
    assert len({(r.resident, r.text) for r in rows}) == 1 and "081234567890" not in rows[0].text
    assert [r.no_data for r in rows][:2] == [rows[0].no_data, rows[0].no_data]  # None stored alike both ways


def _event_inserts(services: Any) -> list[int]:
    """Spy on the event recorder's multi-row insert: the number of events in each call."""
    sizes: list[int] = []
    original = services.events.insert_many

    async def insert_many(conn: Any, rows: list[dict[str, Any]]) -> None:
        sizes.append(len(rows))
        await original(conn, rows)

    services.events.insert_many = insert_many
    return sizes


async def test_questions_ending_together_commit_together_and_are_durable(chat_services) -> None:
    dispatcher = Dispatcher(chat_services, rate_limit_per_minute=1000)
    chats = [Chat(dispatcher, f"r{i}") for i in range(20)]
    await asyncio.gather(*(c.say("/start") for c in chats))
    inserts = _event_inserts(chat_services)
    results = await asyncio.gather(*(c.say("apa syarat membuat akta kelahiran") for c in chats))
    assert all("surat keterangan lahir" in replies[-1].text for replies in results)
    assert 1 <= len(inserts) < 20 and sum(inserts) == 20  # grouped: fewer event statements than turns
    # Durable before the reply: a fresh store (another instance, or this one restarted) sees every state.
    fresh = SqlStateStore(chat_services.db)
    for c in chats:
        state = await fresh.get(f"test:{c.user_id}")
        assert state["last_question"]["faq"] is not None
    async with chat_services.db.session() as s:
        assert await s.scalar(select(func.count()).select_from(EventRow).where(EventRow.kind == "question")) == 20


async def _unsaveable(turn: Turn) -> list[Reply] | None:
    """A feature whose "rusak" turn leaves a state that cannot be saved."""
    if turn.text == "rusak":
        turn.state["bad"] = {1, 2}  # not JSON: its write fails
        return [Reply("oke")]
    return None


async def test_one_turn_failing_to_save_does_not_fail_the_others(chat_services, caplog) -> None:
    dispatcher = Dispatcher(chat_services, features=(_unsaveable, *FEATURES), rate_limit_per_minute=1000)
    chats = [Chat(dispatcher, f"r{i}") for i in range(6)]
    await asyncio.gather(*(c.say("/start") for c in chats))
    with caplog.at_level(logging.ERROR):
        results = await asyncio.gather(*(c.say("rusak" if i == 2 else "apa syarat membuat akta kelahiran")
                                         for i, c in enumerate(chats)))
    assert [r.text for r in results[2]] == [texts.APOLOGY]
    assert all("surat keterangan lahir" in r[-1].text for i, r in enumerate(results) if i != 2)


async def test_a_feature_that_used_the_session_commits_its_own_transaction(chat_services) -> None:
    chat = Chat(Dispatcher(chat_services, rate_limit_per_minute=1000))
    await chat.say("/start")
    await chat.say("/status")  # reads the resident's complaints through the turn's session
    async with chat_services.db.session() as s:
        kinds = (await s.scalars(select(EventRow.outcome).where(EventRow.kind == "command"))).all()
        resident = await s.scalar(select(ResidentRow).where(ResidentRow.external_id == "warga-1"))
    assert "status" in kinds and resident is not None
    assert await SqlStateStore(chat_services.db).get("test:warga-1") is not None


async def test_group_work_inside_an_open_sqlite_transaction_fails_fast(chat_services) -> None:
    from knowledge.records.db import NestedTransactionError

    store = SqlStateStore(chat_services.db)
    async with chat_services.db.session() as s:
        await s.execute(text("SELECT 1"))
        with pytest.raises(NestedTransactionError):
            await store.get("test:x")  # would wait for the connection this task holds
    msg = InboundMessage(channel="test", user_id="x", text="halo")
    assert await Dispatcher(chat_services, rate_limit_per_minute=1000).handle(msg)


async def test_a_residents_row_is_rewritten_only_when_changed_or_a_minute_old(chat_services) -> None:
    from handlers import commit

    dispatcher = Dispatcher(chat_services, rate_limit_per_minute=1000)
    committer = dispatcher._committer
    now = [1000.0]
    committer.clock = lambda: now[0]

    async def ask(name: str | None, phone: str | None = None) -> tuple[Any, str | None, str | None]:
        await dispatcher.handle(InboundMessage("test", "warga-9", "jadwal sampah", display_name=name, phone=phone))
        async with chat_services.db.session() as s:
            row = (await s.execute(select(ResidentRow).where(ResidentRow.external_id == "warga-9"))).scalar_one()
            return row.last_inbound_at, row.display_name, row.phone

    first = await ask("Siti")
    assert await ask("Siti") == first  # a question moments later: the row is not written again
    assert await ask(None) == first  # no name this time: nothing to change
    renamed = await ask("Siti Rahma")
    assert renamed[1:] == ("Siti Rahma", None) and renamed[0] >= first[0]
    shared = await ask("Siti Rahma", "081234567890")
    assert shared[1:] == ("Siti Rahma", "081234567890")
    now[0] += commit.TOUCH_EVERY
    later = await ask("Siti Rahma")
    assert later[0] > shared[0] and later[1:] == shared[1:]  # a minute on: its last-message time moves


def _claimed(text: str, message_id: str, user: str = "warga-7") -> InboundMessage:
    return InboundMessage("test", user, text, message_id=message_id, claim=Claim("test", message_id))


async def _count(db: Database, model: Any, *where: Any) -> int:
    async with db.session() as s:
        return await s.scalar(select(func.count()).select_from(model).where(*where))


async def test_a_claimed_message_is_recorded_with_its_turn_and_a_repeat_is_dropped_whole(chat_services) -> None:
    dispatcher = Dispatcher(chat_services, rate_limit_per_minute=1000)
    db = chat_services.db
    first = _claimed("apa syarat membuat akta kelahiran", "m1")
    assert "surat keterangan lahir" in (await dispatcher.handle(first))[-1].text and first.claim.new is True
    state = await SqlStateStore(db).get("test:warga-7")
    again = _claimed("jadwal sampah", "m1")  # the same message delivered again: nothing of it is kept
    assert await dispatcher.handle(again) == [] and again.claim.new is False
    assert await SqlStateStore(db).get("test:warga-7") == state
    assert await _count(db, EventRow, EventRow.kind == "question") == 1
    # A turn that used its own session (/status) takes its claim in that transaction.
    status = _claimed("/status", "m2")
    assert await dispatcher.handle(status) and status.claim.new is True
    assert await dispatcher.handle(_claimed("/status", "m2")) == []
    assert await _count(db, EventRow, EventRow.kind == "command", EventRow.outcome == "status") == 1
    async with db.session() as s:
        rows = (await s.execute(select(InboundRow.message_id, InboundRow.status, InboundRow.payload)
                                .where(InboundRow.channel == "test").order_by(InboundRow.message_id))).all()
    # Recorded with the replies, until the channel says they were sent.
    assert [(r.message_id, r.status, r.payload["user"]) for r in rows] == [("m1", "answered", "warga-7"),
                                                                            ("m2", "answered", "warga-7")]
    assert "surat keterangan lahir" in rows[0].payload["replies"][-1]["text"]


async def test_a_repeat_in_a_group_commit_drops_only_its_own_turn(chat_services) -> None:
    dispatcher = Dispatcher(chat_services, rate_limit_per_minute=1000)
    await dispatcher.handle(_claimed("halo", "m1", "warga-1"))
    fresh, repeat = _claimed("jadwal sampah", "m2", "warga-2"), _claimed("jadwal sampah", "m1", "warga-3")
    inserts = _event_inserts(chat_services)
    replies = await asyncio.gather(dispatcher.handle(fresh), dispatcher.handle(repeat))
    assert len(inserts) == 1  # one group
    assert replies[0] and replies[1] == [] and (fresh.claim.new, repeat.claim.new) == (True, False)
    store = SqlStateStore(chat_services.db)
    assert await store.get("test:warga-2") is not None and await store.get("test:warga-3") is None


async def test_a_claim_in_a_rolled_back_commit_is_not_reported_recorded(chat_services, caplog) -> None:
    dispatcher = Dispatcher(chat_services, features=(_unsaveable, *FEATURES), rate_limit_per_minute=1000)
    messages = [_claimed("rusak" if i == 1 else "jadwal sampah", f"m{i}", f"warga-{i}") for i in range(3)]
    with caplog.at_level(logging.ERROR):
        replies = await asyncio.gather(*(dispatcher.handle(m) for m in messages))
    assert [r.text for r in replies[1]] == [texts.APOLOGY]
    # The failed turn's claim was rolled back with it (the channel records that message itself);
    # the others, committed again without it, are recorded.
    assert [m.claim.new for m in messages] == [True, None, True]
    assert await _count(chat_services.db, InboundRow) == 2
