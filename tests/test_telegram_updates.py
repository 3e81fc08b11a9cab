"""Update → InboundMessage, with real python-telegram-bot objects built from the fake's update JSON."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Bot, Update

from bot.channels.telegram_bot import ChatOrderedProcessor, file_base_url
from bot.channels.telegram_render import INDEX_PREFIX
from bot.channels.telegram_updates import MediaStore, to_inbound
from tests.fake_telegram import FakeTelegram

JPEG = b"\xff\xd8\xff\xe0" + b"photo-bytes" * 100


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram().start()
    yield server
    await server.close()


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=file_base_url(fake.base_url)) as b:
        yield b


async def convert(bot: Bot, data: dict, media_dir: Path):
    return await to_inbound(Update.de_json(data, bot), MediaStore(bot, media_dir))


async def test_text_command_and_identity(bot: Bot, fake: FakeTelegram, tmp_path: Path):
    data = fake.text(77, "/status PDG-ABC123")
    msg = await convert(bot, data, tmp_path)
    assert (msg.channel, msg.user_id, msg.message_id) == ("telegram", "77", str(data["update_id"]))
    assert msg.command == ("status", "PDG-ABC123")
    assert msg.display_name == "Warga"


async def test_location_and_group_messages(bot: Bot, fake: FakeTelegram, tmp_path: Path):
    msg = await convert(bot, fake.location(77, -0.95, 100.35), tmp_path)
    assert (msg.location.latitude, msg.location.longitude) == (-0.95, 100.35)
    assert await convert(bot, fake.text(-100500, "halo semua", chat_type="supergroup"), tmp_path) is None


async def test_photo_largest_size_downloaded_into_media_folder(bot: Bot, fake: FakeTelegram, tmp_path: Path):
    msg = await convert(bot, fake.photo(77, JPEG, caption="jalan rusak"), tmp_path)
    assert msg.photo is not None and msg.photo.caption == "jalan rusak"
    stored = tmp_path / msg.photo.path
    assert stored.read_bytes() == JPEG  # the largest size, not the thumbnails
    assert stored.parent == tmp_path / "telegram" and len(stored.stem) == 32
    assert [c.method for c in fake.calls][-2:] == ["getFile", "download"]


async def test_non_image_photo_is_refused(bot: Bot, fake: FakeTelegram, tmp_path: Path):
    msg = await convert(bot, fake.photo(77, b"<html>not an image</html>"), tmp_path)
    assert msg.photo is None and msg.unsupported == "photo"
    assert not (tmp_path / "telegram").exists() or not any((tmp_path / "telegram").iterdir())


async def test_photo_download_failure_asks_again(bot: Bot, fake: FakeTelegram, tmp_path: Path):
    fake.fail("getFile", 502)
    msg = await convert(bot, fake.photo(77, JPEG), tmp_path)
    assert msg.photo is None and msg.unsupported == "photo"


async def test_voice_is_unsupported(bot: Bot, fake: FakeTelegram, tmp_path: Path):
    msg = await convert(bot, fake.voice(77), tmp_path)
    assert msg.unsupported == "voice" and msg.text == ""


async def test_button_press_becomes_option_or_typed_number(bot: Bot, fake: FakeTelegram, tmp_path: Path):
    await bot.send_message(77, "Pilih", reply_markup={"inline_keyboard": [[{"text": "Ya", "callback_data": "ya"}]]})
    msg = await convert(bot, fake.press(77, "ya"), tmp_path)
    assert msg.option == "ya" and msg.user_id == "77"
    msg = await convert(bot, fake.press(77, f"{INDEX_PREFIX}2"), tmp_path)
    assert msg.option is None and msg.text == "2"


async def test_chat_ordered_processor_keeps_one_chat_in_order_and_others_concurrent(bot: Bot, fake: FakeTelegram):
    processor = ChatOrderedProcessor(16)
    done: list[str] = []

    async def work(name: str, delay: float) -> None:
        await asyncio.sleep(delay)
        done.append(name)

    a1, a2, b1 = (Update.de_json(fake.text(chat, "x"), bot) for chat in (1, 1, 2))
    await asyncio.gather(processor.process_update(a1, work("a1", 0.05)),
                         processor.process_update(a2, work("a2", 0.0)),
                         processor.process_update(b1, work("b1", 0.01)))
    assert done == ["b1", "a1", "a2"]
