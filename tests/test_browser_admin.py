"""The admin page in real headless Chromium (Debian's `chromium`, driven by Playwright).

A real `create_app` server runs on a free localhost port: an OPD admin signs in, adds an FAQ,
tries it, and a resident asks it in the web chat and gets it; an admin closes a complaint and
the resident's web chat receives the note. Screenshots of the main pages go to
tests/screenshots/ (git-ignored) for people to look at. Any CSP violation or script error in
the browser console fails the test.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from tests.admin_support import FAST_HASHER, PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
SHOTS = Path(__file__).parent / "screenshots"

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists():
    if os.environ.get("TANYAKOTA_REQUIRE_ALL") == "1":
        pytest.fail(f"{CHROMIUM} is missing and TANYAKOTA_REQUIRE_ALL=1 forbids skipping", pytrace=False)
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)",
                allow_module_level=True)


class Server:
    def __init__(self, app: web.Application, base: str):
        self.app, self.base = app, base

    @property
    def core(self) -> Any:
        from bot import keys

        return self.app[keys.CORE]


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Server]:
    """Run the whole bot (`create_app`) on a free localhost port with a fresh SQLite database."""
    from bot.app import create_app
    from bot.settings import Settings
    from knowledge.records import users

    settings = Settings.from_env({"TANYAKOTA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'tk.db'}",
                                  "TANYAKOTA_SECRET_KEY": "browser-test-secret-0123456789",
                                  "TANYAKOTA_DATA_DIR": str(tmp_path)})
    app = create_app(settings)
    runner = web.AppRunner(app)
    await runner.setup()  # runs start-up: migrate, import the Padang KB, create the kominfo account
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    srv = Server(app, f"http://127.0.0.1:{port}")
    async with srv.core.db.session() as session:
        await users.set_password(session, "kominfo", PASSWORD, hasher=FAST_HASHER)
        await users.create_user(session, "dlh.admin", PASSWORD, "opd", "dlh", hasher=FAST_HASHER)
        await session.commit()
    try:
        yield srv
    finally:
        await runner.cleanup()


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            await b.close()


async def new_page(browser: Any, errors: list[str]) -> Any:
    """Open a page that records console errors (CSP violations show up there)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = await context.new_page()
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    # Failed loads are checked by URL; browsers ask for /favicon.ico on their own.
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    return page


async def login(page: Any, base: str, username: str) -> None:
    await page.goto(f"{base}/admin/login")
    await page.fill("#username", username)
    await page.fill("#password", PASSWORD)
    await page.click("button:has-text('Masuk')")
    await page.wait_for_url(lambda url: "/admin/login" not in url)


async def shot(page: Any, name: str, full: bool = True) -> None:
    """Save a screenshot (long list pages: the first screenful only)."""
    SHOTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


async def ask(page: Any, text: str) -> None:
    await page.fill("#text", text)
    await page.press("#text", "Enter")


async def test_opd_admin_adds_an_faq_and_a_resident_gets_it(server: Server, browser: Any) -> None:
    from playwright.async_api import expect

    errors: list[str] = []
    admin = await new_page(browser, errors)
    await login(admin, server.base, "dlh.admin")
    await shot(admin, "01-complaints-empty")
    await admin.click("nav >> text=FAQ")
    await admin.click("text=+ FAQ baru")
    await admin.fill("#question", "Di mana warga bisa menukar sampah plastik dengan beras?")
    await admin.fill("#alternatives", "tukar sampah plastik jadi beras\nprogram sampah ditukar sembako")
    await admin.fill("#answer", "Tukarkan sampah plastik yang sudah dipilah di **Bank Sampah Induk Kota Padang** "
                                "setiap Sabtu pukul 08.00–11.00 WIB.\n- Bawa sampah dalam keadaan bersih.")
    await admin.fill("#keywords", "tukar sampah, beras, bank sampah")
    await shot(admin, "02-faq-new")
    await admin.click("button:has-text('Simpan')")
    await expect(admin.locator(".notice")).to_contain_text("FAQ baru disimpan")
    await admin.click("a:has-text('Coba')")
    await admin.fill("#q", "tukar sampah plastik dapat beras dimana ya")
    await admin.click("button:has-text('Coba')")
    await expect(admin.locator("#hasil")).to_contain_text("Bot menjawab")
    await expect(admin.locator("#hasil")).to_contain_text("Bank Sampah Induk Kota Padang")
    await shot(admin, "03-faq-try")

    resident = await new_page(browser, errors)
    await resident.goto(f"{server.base}/chat")
    await expect(resident.locator(".msg.bot").first).to_be_visible()
    await ask(resident, "tukar sampah plastik dapat beras dimana ya")
    await expect(resident.locator(".msg.bot").last).to_contain_text("Bank Sampah Induk Kota Padang", timeout=10_000)
    await shot(resident, "04-chat-answer")
    assert not errors, errors


async def test_admin_closes_a_complaint_and_the_resident_is_told(server: Server, browser: Any) -> None:
    from playwright.async_api import expect

    from knowledge.records.residents import get_or_create_resident

    errors: list[str] = []
    resident = await new_page(browser, errors)
    await resident.goto(f"{server.base}/chat")
    await expect(resident.locator(".msg.bot").first).to_be_visible()
    client_id = await resident.evaluate("localStorage.getItem('tanyakota.user')")
    core = server.core
    async with core.db.session() as session:
        person = await get_or_create_resident(session, "web", client_id, "Rina")
        row = await core.complaints.file(session, resident=person, opd="dlh", category="sampah-tidak-diangkut",
                                         description="Sampah di TPS Jl. Veteran sudah 4 hari tidak diangkut.",
                                         latitude=-0.9471, longitude=100.3543, address="Jl. Veteran",
                                         idempotency_key="browser-test-1")
        await session.commit()

    admin = await new_page(browser, errors)
    await login(admin, server.base, "dlh.admin")
    await admin.click(f"text={row.ticket}")
    await expect(admin.locator("h1")).to_contain_text(row.ticket)
    await expect(admin.locator("text=Buka di peta (OpenStreetMap)")).to_be_visible()
    await shot(admin, "05-complaint-detail")
    await admin.select_option("#status", "selesai")
    await admin.fill("#note", "Sampah sudah diangkut oleh petugas DLH pagi ini. Terima kasih laporannya.")
    await admin.click("button:has-text('Simpan dan kirim ke pelapor')")
    await expect(admin.locator(".notice")).to_contain_text("Status pengaduan diubah")
    await shot(admin, "06-complaint-closed")

    await resident.reload()  # the page polls /api/chat/updates at load and every few seconds
    await expect(resident.locator(".msg.bot.notice").last).to_contain_text("Sampah sudah diangkut oleh petugas DLH",
                                                                          timeout=15_000)
    await expect(resident.locator(".msg.bot.notice").last).to_contain_text(row.ticket)
    await shot(resident, "07-chat-status-note")
    assert not errors, errors


async def test_screenshots_of_the_main_pages(server: Server, browser: Any) -> None:
    """Kominfo's view of a city with a month of synthetic activity; every page renders without errors."""
    from playwright.async_api import expect

    from bench.activity import seed_activity

    core = server.core
    now = dt.datetime.now(dt.timezone.utc)
    start = dt.datetime.combine(now.date() - dt.timedelta(days=29), dt.time(), dt.timezone.utc) - dt.timedelta(hours=7)
    await seed_activity(core.db, core.live.kb, start=start, days=30, events=3000, history=300, complaints=80,
                        kb_dir=core.settings.kb_path, now=now, seed=11)
    errors: list[str] = []
    page = await new_page(browser, errors)
    await page.goto(f"{server.base}/admin/login")
    await shot(page, "00-login")
    await login(page, server.base, "kominfo")
    for name, path, must in (
        ("10-stats", "/admin/stats", "Statistik Kota"),
        ("11-complaints", "/admin/complaints", "Pengaduan semua OPD"),
        ("12-unanswered", "/admin/unanswered", "Pertanyaan tak terjawab"),
        ("13-faqs", "/admin/faqs", "FAQ semua OPD"),
        ("14-review", "/admin/review", "Perlu ditinjau"),
        ("15-users", "/admin/users", "Akun admin"),
        ("16-targets", "/admin/targets", "Target angka"),
        ("17-audit", "/admin/audit", "Log audit"),
        ("18-report", "/admin/stats/report", "Laporan bulanan Tanya Kota"),
        ("19-import", "/admin/faqs/import", "Impor dan ekspor FAQ"),
    ):
        await page.goto(f"{server.base}{path}")
        await expect(page.locator("h1")).to_contain_text(must)
        await shot(page, name, full=name not in ("11-complaints", "12-unanswered", "13-faqs", "17-audit"))
    await page.goto(f"{server.base}/admin/complaints")
    await page.locator("table.list a").first.click()
    await expect(page.locator("h1")).to_contain_text("Pengaduan")
    await shot(page, "20-complaint-seeded")
    assert not errors, errors


async def test_pages_fit_a_phone_screen(server: Server, browser: Any) -> None:
    """At 390 px wide a wide table scrolls inside its own box: the page itself never scrolls sideways."""
    from bench.activity import seed_activity

    core = server.core
    now = dt.datetime.now(dt.timezone.utc)
    await seed_activity(core.db, core.live.kb, start=now - dt.timedelta(days=3), days=3, events=300, history=30,
                        complaints=20, kb_dir=core.settings.kb_path, now=now, seed=5)
    errors: list[str] = []
    context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = await context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    await login(page, server.base, "kominfo")
    for path in ("/admin/complaints", "/admin/unanswered", "/admin/faqs", "/admin/stats", "/admin/users"):
        await page.goto(f"{server.base}{path}")
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
        menu_height = await page.evaluate("document.querySelector('.top').getBoundingClientRect().height")
        assert menu_height < 200, (path, menu_height)
    await page.goto(f"{server.base}/admin/complaints")
    await shot(page, "21-complaints-phone", full=False)
    assert not errors, errors


async def test_text_typed_when_the_session_ended_is_put_back_after_login(server: Server, browser: Any) -> None:
    from playwright.async_api import expect

    from knowledge.records.residents import get_or_create_resident

    core = server.core
    async with core.db.session() as session:
        person = await get_or_create_resident(session, "web", "warga-draft", "Rina")
        row = await core.complaints.file(session, resident=person, opd="dlh", category="sampah-tidak-diangkut",
                                         description="Sampah di TPS Jl. Veteran sudah 4 hari tidak diangkut.",
                                         idempotency_key="browser-draft-1")
        await session.commit()
    errors: list[str] = []
    admin = await new_page(browser, errors)
    await login(admin, server.base, "dlh.admin")
    await admin.goto(f"{server.base}/admin/complaints/{row.ticket}")
    note = "Petugas sudah kami jadwalkan mengangkut sampah besok pagi."
    await admin.select_option("#status", "diproses")
    await admin.fill("#note", note)
    await admin.context.clear_cookies()  # the session ends while the admin types
    await admin.click("button:has-text('Simpan dan kirim ke pelapor')")
    await admin.wait_for_url(lambda url: "/admin/login" in url)
    await expect(admin.locator(".notice")).to_contain_text("Sesi Anda sudah berakhir")
    await admin.fill("#username", "dlh.admin")
    await admin.fill("#password", PASSWORD)
    await admin.click("button:has-text('Masuk')")
    await admin.wait_for_url(f"{server.base}/admin/complaints/{row.ticket}")
    await expect(admin.locator("#note")).to_have_value(note)
    await expect(admin.locator("#status")).to_have_value("diproses")
    await expect(admin.locator(".notice")).to_contain_text("sudah dikembalikan")
    await admin.click("button:has-text('Simpan dan kirim ke pelapor')")
    await expect(admin.locator(".notice")).to_contain_text("Status pengaduan diubah")
    assert await admin.evaluate("sessionStorage.length") == 0  # nothing of it stays in the browser
    await admin.reload()
    await expect(admin.locator("#note")).to_have_value("")  # a form that was received is not filled again
    async with core.db.session() as session:
        assert (await core.complaints.get(session, row.ticket)).status == "diproses"
    assert not errors, errors
