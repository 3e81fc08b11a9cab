"""The web chat over HTTP: /chat, /api/chat, photo upload and status updates, through create_app."""

from __future__ import annotations

import re
from pathlib import Path

import aiohttp
import pytest

from bot import keys
from bot.app import create_app
from bot.settings import Settings
from tests.conftest_chat import CHAT_KB, TEST_SECRET, TICKET_RE

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def settings_for(tmp_path: Path, **extra: str) -> Settings:
    env = {"TANYAKOTA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'web.db'}", "TANYAKOTA_KB": str(CHAT_KB),
           "TANYAKOTA_SECRET_KEY": TEST_SECRET, "TANYAKOTA_MEDIA_DIR": str(tmp_path / "media"), **extra}
    return Settings.from_env(env)


@pytest.fixture
async def client(aiohttp_client, tmp_path: Path):
    return await aiohttp_client(create_app(settings_for(tmp_path)))


async def say(client, user: str, text: str) -> list[dict]:
    resp = await client.post("/api/chat", json={"user": user, "text": text})
    assert resp.status == 200, await resp.text()
    return (await resp.json())["replies"]


async def test_chat_api_answers_in_the_documented_shape(client) -> None:
    resp = await client.post("/api/chat", json={"user": "browser-1", "text": "apa syarat membuat akta kelahiran"})
    assert resp.status == 200
    assert resp.content_type == "application/json"
    body = await resp.json()
    assert set(body) == {"replies"}
    for reply in body["replies"]:
        assert isinstance(reply["text"], str) and all(isinstance(o, str) for o in reply["options"])
    assert "surat keterangan lahir" in body["replies"][-1]["text"]
    assert body["replies"][-1]["options"] == ["👍 Ya", "👎 Tidak"]


async def test_options_are_chosen_by_label_or_number(client) -> None:
    await say(client, "b2", "/start")
    replies = await say(client, "b2", "Buat laporan")
    assert "Ceritakan masalahnya" in replies[-1]["text"]
    await say(client, "b2", "batal")
    await say(client, "b2", "/start")
    replies = await say(client, "b2", "4")
    assert "112" in replies[-1]["text"]


@pytest.mark.parametrize("body, status", [
    (b"not json", 400),
    (b"[1, 2]", 400),
    (b'{"text": "halo"}', 400),
    (b'{"user": "", "text": "halo"}', 400),
    (b'{"user": 5, "text": "halo"}', 400),
    (('{"user": "' + "x" * 129 + '", "text": "halo"}').encode(), 400),
    (b'{"user": "u", "text": 5}', 400),
    (b'{"user": "u", "location": {"latitude": "a"}}', 400),
    (b'{"user": "u", "location": {"latitude": 95, "longitude": 100}}', 400),
])
async def test_bad_requests_get_a_json_error(client, body: bytes, status: int) -> None:
    resp = await client.post("/api/chat", data=body, headers={"Content-Type": "application/json"})
    assert resp.status == status
    assert "error" in await resp.json()


async def test_long_user_id_of_128_characters_is_fine(client) -> None:
    assert await say(client, "x" * 128, "halo")


async def test_huge_and_binary_text_get_polite_answers(client) -> None:
    replies = await say(client, "b3", "ktp saya hilang " + "a" * 100_000)
    assert any("1.000 karakter" in r["text"] for r in replies)
    replies = await say(client, "b3", "\x00\x01\ufffd\ufffd\ufffd")
    assert "Maaf" in replies[-1]["text"]


async def test_the_page_and_its_assets_with_security_headers(client) -> None:
    resp = await client.get("/chat")
    assert resp.status == 200
    html = await resp.text()
    assert '<script src="/static/chat/chat.js"' in html
    assert "<script>" not in html and "style=" not in html  # nothing inline: the CSP forbids it
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    for asset in ("/static/chat/chat.js", "/static/chat/chat.css"):
        resp = await client.get(asset)
        assert resp.status == 200, asset
    js = await (await client.get("/static/chat/chat.js")).text()
    assert ".innerHTML" not in js  # texts go in as text nodes
    resp = await client.get("/", allow_redirects=False)
    assert resp.status == 302 and resp.headers["Location"] == "/chat"


async def test_location_from_the_browser(client) -> None:
    await say(client, "b4", "/lapor")
    await say(client, "b4", "sampah di depan rumah sudah seminggu tidak diangkut")
    replies = await say(client, "b4", "ya")
    assert replies[-1]["request"] == "location"
    resp = await client.post("/api/chat", json={"user": "b4", "location": {"latitude": -0.95, "longitude": 100.35}})
    assert (await resp.json())["replies"][-1]["request"] == "photo"


async def upload(client, user: str, data: bytes, filename: str = "foto.jpg") -> aiohttp.ClientResponse:
    form = aiohttp.FormData()
    form.add_field("user", user)
    form.add_field("photo", data, filename=filename, content_type="image/jpeg")
    return await client.post("/api/chat/photo", data=form)


async def test_photo_upload_in_the_complaint_flow(client, tmp_path: Path) -> None:
    await say(client, "b5", "/lapor")
    await say(client, "b5", "sampah di depan rumah sudah seminggu tidak diangkut")
    await say(client, "b5", "ya")
    await say(client, "b5", "lewati")
    resp = await upload(client, "b5", PNG, "x.png")
    assert resp.status == 200
    # The web chat knows no name: it is asked, and may be skipped (the complaint is then anonymous).
    assert (await resp.json())["replies"][-1]["text"].startswith("Siapa nama Anda? (opsional)")
    summary = (await say(client, "b5", "lewati"))[-1]["text"]
    assert "Ringkasan laporan" in summary and "Foto: ada" in summary and "Nama: anonim" in summary
    stored = list((tmp_path / "media" / "web").iterdir())
    assert len(stored) == 1 and stored[0].suffix == ".png" and stored[0].read_bytes() == PNG
    assert "x.png" not in stored[0].name  # a random name, not the uploaded one


async def test_photo_upload_is_checked(client, tmp_path: Path) -> None:
    assert (await upload(client, "b6", b"GIF89a" + b"\x00" * 10)).status == 415
    assert (await upload(client, "b6", b"<script>alert(1)</script>")).status == 415
    assert (await upload(client, "b6", JPEG + b"\x00" * (5 * 1024 * 1024))).status == 413
    assert (await upload(client, "", JPEG)).status == 400
    resp = await client.post("/api/chat/photo", json={"user": "b6"})
    assert resp.status == 400
    assert not (tmp_path / "media" / "web").exists() or not list((tmp_path / "media" / "web").iterdir())


async def test_status_updates_are_polled(client) -> None:
    user = "b7"
    await say(client, user, "/lapor")
    await say(client, user, "sampah di depan rumah sudah seminggu tidak diangkut")
    for answer in ("ya", "lewati", "lewati", "lewati"):
        await say(client, user, answer)
    replies = await say(client, user, "ya")
    ticket = re.search(TICKET_RE, replies[-1]["text"]).group(0)
    resp = await client.get("/api/chat/updates", params={"user": user})
    assert (await resp.json()) == {"replies": []}
    core = client.app[keys.CORE]
    async with core.db.session() as session:
        await core.complaints.set_status(session, ticket, "selesai", note="Sampah sudah diangkut", actor="dlh")
        await session.commit()
    body = await (await client.get("/api/chat/updates", params={"user": user})).json()
    [update] = body["replies"]
    assert ticket in update["text"] and "Sampah sudah diangkut" in update["text"]
    assert update["options"] == ["1 ⭐", "2 ⭐", "3 ⭐", "4 ⭐", "5 ⭐"]
    assert (await (await client.get("/api/chat/updates", params={"user": user})).json()) == {"replies": []}
    assert (await (await client.get("/api/chat/updates", params={"user": "someone-else"})).json()) == {"replies": []}
    # The resident had meanwhile started another complaint, whose category menu is waiting: the rating's
    # label (as the page sends it) is the rating, not the third category, and the open step comes back.
    await say(client, user, "/lapor")
    waiting = await say(client, user, "lampu jalan di gang kami mati")
    replies = await say(client, user, "3 ⭐")
    assert "(3/5)" in replies[0]["text"] and replies[-1]["text"] == waiting[-1]["text"]
    replies = await say(client, user, "nilai 5")  # changing one's mind, in words
    assert "diubah dari 3 menjadi 5/5" in replies[0]["text"]
    assert (await client.get("/api/chat/updates")).status == 400


CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"]


async def send(page, text: str) -> None:
    """Type a message and wait for the bot's answer (Enter does nothing while a request is in flight)."""
    before = await page.locator(".msg.bot").count()
    await page.wait_for_selector("#send:enabled")
    await page.fill("#text", text)
    await page.press("#text", "Enter")
    # Polled from here: the page's CSP (rightly) forbids the eval that wait_for_function needs.
    for _ in range(200):
        if await page.locator(".msg.bot").count() > before:
            return
        await page.wait_for_timeout(50)
    raise AssertionError(f"no answer to {text!r}")


@pytest.mark.browser
async def test_the_page_in_a_real_browser(tmp_path: Path) -> None:
    import os
    import socket

    from aiohttp import web

    if not CHROMIUM.exists():
        if os.environ.get("TANYAKOTA_REQUIRE_ALL") == "1":
            pytest.fail("/usr/bin/chromium is missing and TANYAKOTA_REQUIRE_ALL=1")
        pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium)")
    from playwright.async_api import async_playwright

    runner = web.AppRunner(create_app(settings_for(tmp_path)))
    await runner.setup()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
            page = await browser.new_page(viewport={"width": 390, "height": 800})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            await page.goto(f"http://127.0.0.1:{port}/chat")
            await page.wait_for_selector("text=Tanya Kota Uji")  # the greeting, sent by the page on first visit
            await send(page, "apa syarat membuat akta kelahiran")
            await page.wait_for_selector("text=surat keterangan lahir")
            assert await page.locator("#choices button").count() == 2
            await page.locator("#choices button").first.click()
            await page.wait_for_selector("text=Terima kasih atas masukan")
            await send(page, "<img src=x onerror=window.pwned=1> **tebal**")
            await page.wait_for_selector(".msg.me >> text=<img src=x")
            assert await page.locator(".log img").count() == 0
            assert not await page.evaluate("window.pwned === 1")
            for text in ("lapor", "sampah di depan rumah sudah seminggu tidak diangkut"):
                await send(page, text)
            await page.wait_for_selector("text=Sudah benar?")
            await page.click("#choices >> text=Ya, benar")
            await page.wait_for_selector("#share-location:visible")
            for text in ("lewati", "lewati", "lewati", "ya"):
                await send(page, text)
            await page.wait_for_selector("text=/TST-[0-9A-Z]{6}/")
            assert await page.locator(".log b", has_text="Dinas Lingkungan Hidup (DLH)").count() >= 1
            Path("tests/screenshots").mkdir(exist_ok=True)
            await page.screenshot(path="tests/screenshots/webchat.png")
            await page.reload()  # the conversation survives a reload
            await page.wait_for_selector("text=/TST-[0-9A-Z]{6}/")
            await browser.close()
        assert not errors, errors
    finally:
        await runner.cleanup()
