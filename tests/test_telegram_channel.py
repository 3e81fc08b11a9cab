"""The whole bot on Telegram, in polling and webhook mode: python-telegram-bot talking HTTP to the fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select, update

from bot.channels.telegram_render import LOCATION_LABEL
from knowledge.records.models import ComplaintRow, InboundRow, OpdRow
from tests.fake_telegram import Call, FakeTelegram
from tests.telegram_harness import SECRET, TICKET, Running, prepared_database, running_bot

JPEG = b"\xff\xd8\xff\xe0" + b"jalan-berlubang" * 200
RESIDENT = 5150
DLH_GROUP = "-100777"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram().start()
    yield server
    await server.close()


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return prepared_database(tmp_path_factory.mktemp("telegram-db"))


@pytest.fixture(params=["polling", "webhook"])
async def bot(request: pytest.FixtureRequest, fake: FakeTelegram, tmp_path: Path,
              prepared: Path) -> AsyncIterator[Running]:
    async with running_bot(fake, tmp_path, request.param, prepared=prepared) as running:
        yield running


def buttons(call: Call) -> dict[str, str]:
    """Return {callback_data: label} of a message's inline keyboard."""
    markup = call.params.get("reply_markup") or {}
    return {b["callback_data"]: b["text"] for row in markup.get("inline_keyboard", []) for b in row}


def text_of(calls: list[Call]) -> str:
    return "\n".join(c.params.get("text") or c.params.get("caption") or "" for c in calls)


async def test_commands_registered_in_indonesian(bot: Running, fake: FakeTelegram):
    assert [c["command"] for c in fake.commands] == ["start", "bantuan", "lapor", "status", "batal"]
    assert fake.called("getMe")


async def test_bot_token_stays_out_of_the_logs(fake: FakeTelegram, tmp_path: Path, prepared: Path, caplog):
    caplog.set_level("DEBUG")
    async with running_bot(fake, tmp_path, "polling", prepared=prepared) as bot:
        await bot.say(RESIDENT, "/start")
    assert fake.token not in caplog.text and fake.token.split(":")[1] not in caplog.text


async def test_added_to_a_group_logs_the_chat_id_for_the_opd_command(bot: Running, fake: FakeTelegram, caplog):
    caplog.set_level("INFO", logger="bot.channels.telegram_bot")
    await fake.deliver(fake.added_to_group(-100555))
    await fake.wait_for(lambda: "set-telegram-group SLUG -100555" in caplog.text)
    assert not fake.sent(-100555)


async def test_question_answered_and_feedback_button_pressed(bot: Running, fake: FakeTelegram):
    calls = await bot.say(RESIDENT, "gimana cara urus ktp yg hilang?")
    answer = text_of(calls)
    assert "KTP-el" in answer and "kepolisian" in answer
    assert all(c.params["parse_mode"] == "HTML" for c in calls)
    feedback = next(c for c in calls if any(v.startswith("fb:") for v in buttons(c)))
    up = next(v for v in buttons(feedback) if v.endswith(":up"))
    calls = await bot.press(RESIDENT, up)
    assert "Terima kasih" in text_of(calls)
    assert fake.called("answerCallbackQuery")
    [edit] = fake.called("editMessageReplyMarkup")
    assert edit.params["reply_markup"]["inline_keyboard"][0][0]["text"].startswith("✅ ")  # old buttons retired


async def test_whole_complaint_flow_with_location_photo_and_buttons(bot: Running, fake: FakeTelegram):
    async with bot.core.db.session() as session:
        await session.execute(update(OpdRow).where(OpdRow.slug == "dlh").values(telegram_chat_id=DLH_GROUP))
        await session.commit()
    calls = await bot.say(RESIDENT, "/lapor")
    assert "Ceritakan masalahnya" in text_of(calls)
    calls = await bot.say(RESIDENT, "Sampah di TPS dekat pasar sudah tiga hari tidak diangkut, baunya menyengat")
    for _ in range(12):  # answer whatever the flow asks, the way a resident would
        last = calls[-1]
        options = buttons(last)
        markup = last.params.get("reply_markup") or {}
        if TICKET.search(text_of(calls)):
            break
        if "keyboard" in markup:  # the location step: a reply keyboard with the share button
            share = markup["keyboard"][0][0]
            assert share["text"] == LOCATION_LABEL and share["request_location"] is True
            calls = await bot.send(fake.location(RESIDENT, -0.9471, 100.4172))
        elif "skip" in options and "foto" in last.params["text"].lower():
            calls = await bot.send(fake.photo(RESIDENT, JPEG))
        else:
            choice = next((v for v in options if v in ("route:ok", "name:anon", "confirm:yes")), None)
            choice = choice or next(v for v in options if v.startswith(("cat:", "opd:")))
            calls = await bot.press(RESIDENT, choice)
    filed = text_of(calls)
    ticket = TICKET.search(filed).group(0)
    assert "Dinas Lingkungan Hidup" in filed
    async with bot.core.db.session() as session:
        row = await session.scalar(select(ComplaintRow).where(ComplaintRow.ticket == ticket))
    assert row.latitude == pytest.approx(-0.9471) and row.photo_path
    assert (bot.core.settings.media_dir / row.photo_path).read_bytes() == JPEG
    # The OPD's group gets the notice with the photo and a map link, through the outbox.
    [notice] = await fake.wait_for(lambda: fake.sent(DLH_GROUP), timeout=5)
    assert notice.method == "sendPhoto" and notice.files
    assert ticket in notice.params["caption"] and "openstreetmap.org" in notice.params["caption"]
    # /status shows it to its resident only.
    assert ticket in text_of(await bot.say(RESIDENT, "/status"))
    assert ticket in text_of(await bot.say(RESIDENT, f"/status {ticket}"))
    assert "Dinas Lingkungan Hidup" not in text_of(await bot.say(RESIDENT + 1, f"/status {ticket}"))


async def test_update_delivered_twice_is_handled_once(bot: Running, fake: FakeTelegram):
    data = fake.text(RESIDENT, "jam buka kantor disdukcapil")
    first = await bot.send(data)
    assert first
    if bot.channel.webhook_url:
        # Telegram did not get our 200 in time and POSTs the same update again.
        assert await fake.deliver(data) == 200
    else:
        # Polling: Telegram hands out again what was never confirmed with the offset.
        await fake.deliver(data)
        fake.unconfirm()
    later = await bot.say(RESIDENT, "/bantuan")  # a later update: the duplicate, if handled, came before it
    assert later and not {c.params["text"] for c in first} & {c.params["text"] for c in later}
    assert len(bot.chat_calls(RESIDENT)) == len(first) + len(later)
    async with bot.core.db.session() as session:
        rows = (await session.scalars(select(InboundRow).where(InboundRow.message_id == str(data["update_id"])))).all()
    assert len(rows) == 1 and rows[0].status == "done"


async def test_update_delivered_three_times_at_once_is_handled_once(bot: Running, fake: FakeTelegram):
    await bot.say(RESIDENT, "/start")
    data = fake.text(RESIDENT, "jam buka kantor disdukcapil")
    before = len(bot.chat_calls(RESIDENT))
    assert await asyncio.gather(*(fake.deliver(data) for _ in range(3))) == [200, 200, 200]
    await bot.settled(data["update_id"])
    later = await bot.say(RESIDENT, "/bantuan")  # handled after the copies
    answered = bot.chat_calls(RESIDENT)[before:-len(later)]
    assert len(answered) == 1 and "disdukcapil" in answered[0].params["text"].lower()


async def test_webhook_update_not_recorded_gets_500_and_its_redelivery_is_answered(fake: FakeTelegram,
                                                                                   tmp_path: Path, prepared: Path):
    async with running_bot(fake, tmp_path, "webhook", prepared=prepared) as bot:
        working = bot.channel.handle

        async def failing(msg: object) -> list:
            raise RuntimeError("database unreachable")

        bot.channel.handle = failing
        data = fake.text(RESIDENT, "jadwal pengangkutan sampah")
        assert await fake.deliver(data) == 500  # not recorded: Telegram must deliver it again
        async with bot.core.db.session() as session:
            assert await session.scalar(select(InboundRow.id).where(
                InboundRow.message_id == str(data["update_id"]))) is None
        bot.channel.handle = working
        assert await bot.send(data)


async def test_update_redelivered_after_a_restart_is_handled_once(fake: FakeTelegram, tmp_path: Path,
                                                                   prepared: Path):
    for mode in ("polling", "webhook"):
        data = fake.text(RESIDENT, "syarat akta kelahiran")
        async with running_bot(fake, tmp_path / mode, mode, prepared=prepared) as first_instance:
            assert await first_instance.send(data)
        sent = len(fake.sent(RESIDENT))
        async with running_bot(fake, tmp_path / mode, mode) as second_instance:
            await fake.deliver(data)  # the new instance receives it again (never confirmed)
            await second_instance.say(RESIDENT + 7, "/bantuan")  # handled after the redelivered one
            assert len(fake.sent(RESIDENT)) == sent


async def test_webhook_requires_the_secret(bot: Running, fake: FakeTelegram):
    url = f"http://127.0.0.1:{bot.port}/webhook/telegram"
    data = fake.text(RESIDENT, "halo")
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
                        {"X-Telegram-Bot-Api-Secret-Token": SECRET + "x"}):
            async with http.post(url, json=data, headers=headers) as resp:
                assert resp.status == 401
        if bot.channel.webhook_url:  # only a configured secret opens the door
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with http.post(url, data=b"{not json", headers=headers) as resp:
                assert resp.status == 400
    async with bot.core.db.session() as session:
        seen = await session.scalar(select(InboundRow.id).where(InboundRow.message_id == str(data["update_id"])))
    assert seen is None
    assert not bot.chat_calls(RESIDENT)


async def test_reply_refused_with_429_or_5xx_is_delivered_later(bot: Running, fake: FakeTelegram):
    fake.fail("sendMessage", 429, retry_after=1, chat_id=RESIDENT)
    await bot.say(RESIDENT, "/bantuan")
    [refused] = [c for c in fake.called("sendMessage") if c.status == 429]
    delivered = await fake.wait_for(lambda: bot.chat_calls(RESIDENT), timeout=6)
    assert delivered[0].at - refused.at >= 1.0  # Telegram's retry_after was honoured
    assert delivered[0].params["text"] == refused.params["text"]
    fake.fail("sendMessage", 500, chat_id=RESIDENT + 1)
    await bot.say(RESIDENT + 1, "/bantuan")
    await fake.wait_for(lambda: bot.chat_calls(RESIDENT + 1), timeout=6)


async def test_blocked_resident_does_not_break_the_bot(bot: Running, fake: FakeTelegram):
    fake.blocked.add(str(RESIDENT))
    assert await bot.say(RESIDENT, "/start") == []
    assert await bot.say(RESIDENT + 1, "/start")
