"""Every inbound WhatsApp kind, in the documented webhook shapes, through the whole app."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.channels.whatsapp_client import GraphClient
from bot.channels.whatsapp_inbound import MediaStore, read_notification, sender_of, to_inbound
from handlers import texts
from knowledge.records.models import ResidentRow
from tests.fake_graph import PHONE_NUMBER_ID, TOKEN, FakeGraph
from tests.whatsapp_harness import RESIDENT, Running, running_whatsapp, text_of

JPEG = b"\xff\xd8\xff\xe0" + b"sampah-menumpuk" * 300
BSUID = "ID.1502576394655843"
UNSUPPORTED_START = texts.UNSUPPORTED.split(".")[0]


@pytest.fixture
async def fake() -> AsyncIterator[FakeGraph]:
    server = await FakeGraph().start()
    yield server
    await server.close()


@pytest.fixture
async def bot(fake: FakeGraph, tmp_path: Path) -> AsyncIterator[Running]:
    async with running_whatsapp(fake, tmp_path) as running:
        yield running


async def test_button_reply_selects_the_option(bot: Running, fake: FakeGraph):
    calls = await bot.say(RESIDENT, "syarat akta kelahiran")
    feedback = next(c for c in calls if any(v.startswith("fb:") for v in c.options))
    assert feedback.kind == "button"
    up = next(v for v in feedback.options if v.endswith(":up"))
    calls = await bot.send(fake.button_reply(RESIDENT, up, feedback.options[up]))
    assert "Terima kasih" in text_of(calls)


async def test_list_reply_selects_the_row(bot: Running, fake: FakeGraph):
    calls = await bot.say(RESIDENT, "halo")
    menu = next(c for c in calls if c.kind == "list")
    assert "cmd:lapor" in menu.options
    calls = await bot.send(fake.list_reply(RESIDENT, "cmd:lapor", menu.options["cmd:lapor"]))
    assert "Ceritakan masalahnya" in text_of(calls)


async def test_typed_number_still_selects_an_option(bot: Running, fake: FakeGraph):
    await bot.say(RESIDENT, "halo")
    calls = await bot.say(RESIDENT, "2")  # the menu's second row: "Buat laporan"
    assert "Ceritakan masalahnya" in text_of(calls)


@pytest.mark.parametrize("kind", ["audio", "voice", "sticker", "document", "video", "contacts", "unknown"])
async def test_what_the_bot_cannot_read_gets_a_polite_answer(bot: Running, fake: FakeGraph, kind: str):
    payload = {
        "audio": lambda: fake.audio(RESIDENT, voice=False),
        "voice": lambda: fake.audio(RESIDENT, voice=True),
        "sticker": lambda: fake.sticker(RESIDENT),
        "document": lambda: fake.message(RESIDENT, "document", {"id": "1", "mime_type": "application/pdf",
                                                               "filename": "ktp.pdf"}),
        "video": lambda: fake.message(RESIDENT, "video", {"id": "2", "mime_type": "video/mp4"}),
        "contacts": lambda: fake.message(RESIDENT, "contacts", None, contacts=[
            {"name": {"formatted_name": "Pak RT"}, "phones": [{"phone": "+62 812 0000 1111"}]}]),
        "unknown": lambda: fake.message(RESIDENT, "unsupported", None, errors=[
            {"code": 131051, "title": "Message type unknown"}]),
    }[kind]()
    calls = await bot.send(payload)
    assert UNSUPPORTED_START in text_of(calls)
    async with bot.core.db.session() as session:
        resident = await session.scalar(select(ResidentRow).where(ResidentRow.external_id == RESIDENT))
    assert resident.phone is None  # a shared contact card is someone else's number


async def test_reactions_and_system_notices_get_no_answer(bot: Running, fake: FakeGraph):
    assert await bot.send(fake.reaction(RESIDENT, "👍")) == []  # an emoji on one of our answers
    assert await bot.send(fake.reaction(RESIDENT, "")) == []  # taken back
    system = fake.message(RESIDENT, "system", {"body": "User changed number", "type": "user_changed_number"})
    assert await bot.send(system) == []


async def test_image_is_fetched_with_the_token_and_stored(bot: Running, fake: FakeGraph):
    await bot.say(RESIDENT, "/lapor")
    calls = await bot.send(fake.image(RESIDENT, JPEG, caption="Sampah menumpuk di TPS pasar sudah tiga hari"))
    assert "Foto diterima" in text_of(calls)
    downloads = [c for c in fake.calls if c.path.startswith("/download/")]
    assert len(downloads) == 1
    stored = list((bot.core.settings.media_dir / "whatsapp").glob("*.jpg"))
    assert [p.read_bytes() for p in stored] == [JPEG]


async def test_image_that_is_not_a_photo_is_refused_and_asked_for_again(bot: Running, fake: FakeGraph):
    calls = await bot.send(fake.image(RESIDENT, b"GIF89a not a jpeg", mime="image/gif"))
    assert "foto Anda tidak dapat kami terima" in text_of(calls) and "ketik *lapor*" in text_of(calls)
    assert not (bot.core.settings.media_dir / "whatsapp").exists()
    # Its caption is still read: here a complaint, which starts the flow.
    calls = await bot.send(fake.image(RESIDENT, b"GIF89a", mime="image/gif",
                                      caption="mau lapor sampah menumpuk di TPS pasar sudah tiga hari"))
    assert "foto Anda tidak dapat kami terima" in text_of(calls) and "Dinas Lingkungan Hidup" in text_of(calls)
    await bot.say(RESIDENT, "ya")
    await bot.say(RESIDENT, "lewati")  # the place
    calls = await bot.send(fake.image(RESIDENT, b"<html>not an image</html>", mime="image/jpeg"))
    text = text_of(calls)
    assert "foto Anda tidak dapat kami terima" in text and "lewati" in text  # the photo step is asked again


async def test_resident_is_keyed_by_bsuid_and_answered_on_the_phone_number(bot: Running, fake: FakeGraph):
    calls = await bot.say(RESIDENT, "jam buka disdukcapil", bsuid=BSUID, name="Siti")
    assert calls and {c.recipient for c in calls} == {RESIDENT}
    assert all("to" in c.body for c in calls)
    async with bot.core.db.session() as session:
        resident = await session.scalar(select(ResidentRow).where(ResidentRow.channel == "whatsapp"))
    assert (resident.external_id, resident.display_name) == (BSUID, "Siti")
    assert dt.datetime.now(dt.timezone.utc) - resident.last_inbound_at < dt.timedelta(minutes=1)


async def test_username_only_resident_is_answered_by_bsuid(bot: Running, fake: FakeGraph):
    payload = fake.text(RESIDENT, "halo", bsuid=BSUID)
    value = payload["entry"][0]["changes"][0]["value"]
    del value["messages"][0]["from"], value["contacts"][0]["wa_id"]  # the phone number is withheld
    status, _ = await fake.deliver(payload)
    assert status == 200
    await bot.settled()
    calls = fake.sent(BSUID)
    assert calls and all(c.body.get("recipient") == BSUID and "to" not in c.body for c in calls)


# --- conversion, without the app --------------------------------------------------------------------


async def test_location_keeps_name_and_address(fake: FakeGraph, tmp_path: Path):
    payload = fake.location(RESIDENT, -0.9471, 100.4172, name="Pasar Raya", address="Jl. Pasar Raya, Padang")
    [envelope], statuses = read_notification(payload, PHONE_NUMBER_ID)
    assert statuses == []
    msg = await to_inbound(envelope, MediaStore(GraphClient(base_url=fake.base_url, token=TOKEN,
                                                            phone_number_id=PHONE_NUMBER_ID), tmp_path))
    assert msg is not None and msg.location is not None
    assert (msg.location.latitude, msg.location.longitude) == (-0.9471, 100.4172)
    assert msg.location.address == "Pasar Raya, Jl. Pasar Raya, Padang"
    assert sender_of(envelope).name == "Warga Padang"


async def test_image_sent_as_a_document_is_a_photo_and_the_download_needs_the_token(fake: FakeGraph, tmp_path: Path):
    media_id = fake.add_media(JPEG)
    payload = fake.message(RESIDENT, "document", {"id": media_id, "mime_type": "image/jpeg", "filename": "a.jpg"})
    [envelope], _ = read_notification(payload, PHONE_NUMBER_ID)
    client = GraphClient(base_url=fake.base_url, token=TOKEN, phone_number_id=PHONE_NUMBER_ID)
    try:
        msg = await to_inbound(envelope, MediaStore(client, tmp_path))
        assert msg.photo is not None and (tmp_path / msg.photo.path).read_bytes() == JPEG
        stranger = GraphClient(base_url=fake.base_url, token="wrong", phone_number_id=PHONE_NUMBER_ID)
        try:
            refused = await to_inbound(envelope, MediaStore(stranger, tmp_path))
        finally:
            await stranger.close()
        assert refused.photo is None and refused.unsupported == "photo"
        # The token is never sent to a host other than Meta's or the API's own.
        with pytest.raises(Exception, match="unexpected host"):
            await client.download("https://evil.example.com/steal", 100)
    finally:
        await client.close()
