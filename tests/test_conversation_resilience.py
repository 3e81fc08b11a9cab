"""The core under stress: floods, failures, concurrency, long texts."""

from __future__ import annotations

import asyncio
import logging

import pytest

from tests.clock import Clock
from handlers import texts
from handlers.context import Turn
from handlers.dispatch import FEATURES, Dispatcher
from handlers.messages import Reply
from handlers.ratelimit import RateLimiter, Verdict
from handlers.textsplit import split_text
from tests.conftest_chat import Chat


async def test_a_flood_is_limited_per_resident_without_affecting_others(chat_services) -> None:
    dispatcher = Dispatcher(chat_services, rate_limit_per_minute=3)
    clock = dispatcher.limiter.clock = Clock(1000.0)
    flooder, other = Chat(dispatcher, "flooder"), Chat(dispatcher, "calm")
    for _ in range(3):
        assert await flooder.say("/start")
    assert [r.text for r in await flooder.say("/start")] == ["Mohon tunggu sebentar sebelum mengirim pesan lagi."]
    assert await flooder.say("/start") == []  # told once, then silent
    assert await flooder.say("/start") == []
    assert "Buat laporan" in [o.label for r in await other.say("/start") for o in r.options]
    clock.now += 20  # one token back (3 per minute)
    assert await flooder.say("/start")


def test_rate_limiter_bounds_its_memory() -> None:
    limiter = RateLimiter(1, max_keys=100)
    for i in range(1000):
        assert limiter.check(f"r{i}") is Verdict.ALLOW
    assert len(limiter._buckets) == 100


async def test_an_exception_in_a_feature_becomes_an_apology(chat_services, caplog) -> None:
    async def boom(turn: Turn) -> list[Reply] | None:
        if turn.text == "meledak":
            raise RuntimeError("feature bug")
        return None

    chat = Chat(Dispatcher(chat_services, features=(boom, *FEATURES), rate_limit_per_minute=1000))
    await chat.say("/start")
    await chat.say("/lapor")
    with caplog.at_level(logging.ERROR):
        replies = await chat.say("meledak")
    assert "Maaf, terjadi gangguan" in replies[0].text
    assert any(r.exc_info and "feature bug" in str(r.exc_info[1]) for r in caplog.records)
    # The bot keeps working and the resident is still at the step they were at.
    await chat.say("sampah di depan rumah sudah seminggu tidak diangkut")
    assert "Dinas Lingkungan Hidup" in chat.text


async def test_a_broken_database_still_gets_an_apology(chat_services, caplog) -> None:
    class BrokenState:
        async def get(self, key: str) -> dict:
            raise OSError("database is gone")

    chat_services.state = BrokenState()
    chat = Chat(Dispatcher(chat_services, rate_limit_per_minute=1000))
    with caplog.at_level(logging.ERROR):
        replies = await chat.say("halo")
    assert [r.text for r in replies] == [texts.APOLOGY]
    assert "Maaf, terjadi gangguan" in texts.APOLOGY


async def test_turns_of_one_resident_in_order_and_residents_concurrently(chat_services) -> None:
    log: list[str] = []
    slow_started = asyncio.Event()

    async def recorder(turn: Turn) -> list[Reply] | None:
        log.append(f"start {turn.msg.user_id} {turn.text}")
        if turn.text == "lambat":
            slow_started.set()
            await asyncio.sleep(0.2)
        log.append(f"end {turn.msg.user_id} {turn.text}")
        return [Reply(turn.text)]

    dispatcher = Dispatcher(chat_services, features=(recorder,), rate_limit_per_minute=1000)
    a, b = Chat(dispatcher, "a"), Chat(dispatcher, "b")
    await a.say("pertama")  # first contact out of the way

    async def b_after_a_started() -> list[Reply]:
        await slow_started.wait()
        return await b.say("cepat")

    slow = asyncio.create_task(a.say("lambat"))
    await asyncio.sleep(0)
    second = asyncio.create_task(a.say("kedua"))
    fast = await b_after_a_started()
    assert fast[-1].text == "cepat"
    assert not slow.done()  # B was answered while A's slow turn was still running
    await asyncio.gather(slow, second)
    a_events = [e for e in log if " a " in e]
    assert a_events == ["start a pertama", "end a pertama", "start a lambat", "end a lambat",
                        "start a kedua", "end a kedua"]
    assert dispatcher.in_flight == 0
    assert await dispatcher.drain(0.1)


async def test_many_residents_at_once(chat_services) -> None:
    dispatcher = Dispatcher(chat_services, rate_limit_per_minute=1000)
    chats = [Chat(dispatcher, f"r{i}") for i in range(20)]
    results = await asyncio.gather(*(c.say("apa syarat membuat akta kelahiran") for c in chats))
    assert all("surat keterangan lahir" in replies[-1].text for replies in results)


@pytest.mark.parametrize("limit", [20, 50, 4096])
def test_split_text_respects_the_limit_and_keeps_bold_pairs(limit: int) -> None:
    text = ("Paragraf pertama dengan **teks tebal yang cukup panjang** di tengah.\n\n"
            "Baris dua\nBaris tiga dengan **tebal** lagi dan kata-kata lain yang banyak sekali. " * 30)
    pieces = split_text(text, limit)
    assert all(len(p) <= limit for p in pieces)
    assert all(p.count("**") % 2 == 0 for p in pieces)
    assert " ".join(" ".join(pieces).split()).replace("** **", " ").count("tebal") == text.count("tebal")


def test_split_text_prefers_paragraphs_then_lines_then_words() -> None:
    assert split_text("satu dua\n\ntiga empat", 12) == ["satu dua", "tiga empat"]
    assert split_text("satu dua\ntiga empat", 12) == ["satu dua", "tiga empat"]
    assert split_text("satu dua tiga empat", 12) == ["satu dua", "tiga empat"]
    assert split_text("pendek", 4096) == ["pendek"]
    assert split_text("a" * 25, 10) == ["a" * 10, "a" * 10, "a" * 5]


def test_split_text_never_cuts_inside_bold_when_it_can_avoid_it() -> None:
    pieces = split_text("awal **satu dua tiga** akhir", 20)
    assert pieces == ["awal", "**satu dua tiga**", "akhir"]
    pieces = split_text("**" + "x" * 30 + "**", 12)  # a bold run longer than the limit: closed and reopened
    assert all(len(p) <= 12 and p.startswith("**") and p.endswith("**") for p in pieces)
    assert "".join(p.strip("*") for p in pieces) == "x" * 30


async def test_the_memory_state_store_works_too(chat_services) -> None:
    from handlers.state import MemoryStateStore

    chat_services.state = MemoryStateStore()
    chat = Chat(Dispatcher(chat_services, rate_limit_per_minute=1000))
    await chat.say("/start")
    await chat.say("/lapor")
    await chat.say("sampah di depan rumah sudah seminggu tidak diangkut")
    await chat.say("1")
    assert chat.last[-1].request == "location"
