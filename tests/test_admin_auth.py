"""Signing in and out, sessions, throttling, CSRF and security headers of the admin page."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from admin.auth import COOKIE
from admin.pages import CSP
from knowledge.records.models import AuditRow, UserRow
from tests.admin_support import PASSWORD, AdminWorld

EXPECTED_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                "frame-ancestors 'none'; form-action 'self'")


async def test_anonymous_visitor_is_sent_to_login(world: AdminWorld) -> None:
    resp = await world.client.get("/admin/faqs?q=ktp", allow_redirects=False)
    assert resp.status == 303
    assert resp.headers["Location"].startswith("/admin/login?next=")
    page = await world.get("/admin/login")
    assert "Masuk ke halaman admin" in page and 'name="username"' in page and 'name="password"' in page


async def test_the_bare_admin_address_leads_to_the_right_home(world: AdminWorld) -> None:
    resp = await world.client.get("/admin", allow_redirects=False)
    assert resp.status == 303 and resp.headers["Location"] == "/admin/"
    await world.login("dlh.admin")
    resp = await world.client.get("/admin/", allow_redirects=False)
    assert resp.headers["Location"] == "/admin/complaints"
    world.client.session.cookie_jar.clear()
    await world.login("kominfo")
    resp = await world.client.get("/admin/", allow_redirects=False)
    assert resp.headers["Location"] == "/admin/stats"


async def test_login_with_the_right_password_signs_in(any_world: AdminWorld) -> None:
    assert await any_world.login("dlh.admin") == 303
    page = await any_world.get("/admin/faqs")
    assert "dlh.admin" in page and "Dinas Lingkungan Hidup" in page
    async with any_world.db.session() as session:
        actions = (await session.scalars(select(AuditRow.action).where(AuditRow.username == "dlh.admin"))).all()
    assert "login" in actions


async def test_wrong_password_is_refused_with_one_message(world: AdminWorld) -> None:
    assert await world.login("dlh.admin", "salah-sekali-123") == 401
    assert await world.login("tidak.ada", "salah-sekali-123") == 401
    resp = await world.client.get("/admin/faqs", allow_redirects=False)
    assert resp.status == 303  # still signed out


async def test_five_failures_lock_the_account_even_for_the_right_password(world: AdminWorld) -> None:
    for _ in range(5):
        assert await world.login("dlh.admin", "salah-sekali-123") == 401
    assert await world.login("dlh.admin") == 401  # locked for 15 minutes
    world.clock.advance(minutes=16)
    assert await world.login("dlh.admin") == 303


async def test_a_browser_that_signed_in_before_is_not_locked_out_by_a_strangers_guesses(
        world: AdminWorld, aiohttp_client) -> None:
    from admin.devices import COOKIE as DEVICE

    assert await world.login("dlh.admin") == 303  # the owner's browser, now known to the account
    device = world.client.session.cookie_jar.filter_cookies(world.client.make_url("/admin/"))[DEVICE]
    assert device.value.startswith("dlh.admin|")
    world.client.session.cookie_jar.clear_domain(device["domain"] or "127.0.0.1")
    world.client.session.cookie_jar.update_cookies({DEVICE: device.value})  # signed out, the device cookie kept
    stranger = AdminWorld(**{**world.__dict__, "client": await aiohttp_client(world.client.app)})
    for _ in range(5):
        assert await stranger.login("dlh.admin", "salah-sekali-123") == 401
    assert await stranger.login("dlh.admin") == 401  # the stranger waits out the lock
    assert await world.login("dlh.admin", "salah-sekali-123") == 401  # the owner's attempts are still checked
    assert await world.login("dlh.admin") == 303  # but the lock does not hold them back
    # A forged or another account's device cookie does not count.
    for forged in ("dlh.admin|1|0000", device.value.replace("dlh.admin", "kominfo"), device.value + "0"):
        stranger.client.session.cookie_jar.update_cookies({DEVICE: forged})
        assert await stranger.login("dlh.admin") == 401, forged
    world.clock.advance(days=91)  # known browsers are forgotten after 90 days
    for _ in range(5):
        await stranger.login("dlh.admin", "salah-sekali-123")
    world.client.session.cookie_jar.clear()
    world.client.session.cookie_jar.update_cookies({DEVICE: device.value})
    assert await world.login("dlh.admin") == 401


async def test_session_cookie_is_httponly_samesite_and_signed(world: AdminWorld) -> None:
    page = await world.client.get("/admin/login")
    token = (await page.text()).split('name="csrf_token" value="')[1].split('"')[0]
    resp = await world.client.post("/admin/login", data={"username": "dlh.admin", "password": PASSWORD,
                                                         "csrf_token": token}, allow_redirects=False)
    cookie = resp.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/admin"
    assert not cookie["secure"]  # plain HTTP in tests; see the Secure test below
    # A tampered cookie is ignored: the visitor is anonymous again.
    value = cookie.value
    body, sig = value.split(".")
    world.client.session.cookie_jar.clear()
    world.client.session.cookie_jar.update_cookies({COOKIE: body + "x." + sig})
    resp = await world.client.get("/admin/faqs", allow_redirects=False)
    assert resp.status == 303


async def test_secure_cookies_when_served_over_https(world: AdminWorld) -> None:
    world.ctx.secure_cookies = True
    resp = await world.client.get("/admin/login")
    assert resp.cookies[COOKIE]["secure"]


async def test_session_expires_after_a_working_day(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    await world.get("/admin/faqs")
    world.clock.advance(hours=9)
    resp = await world.client.get("/admin/faqs", allow_redirects=False)
    assert resp.status == 303 and "/admin/login" in resp.headers["Location"]


async def test_logout_ends_the_session_even_for_a_copied_cookie(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    url = world.client.make_url("/admin/")
    copied = world.client.session.cookie_jar.filter_cookies(url)[COOKIE].value
    world.client.session.cookie_jar.clear()
    world.client.session.cookie_jar.update_cookies({COOKIE: copied}, url)
    await world.get("/admin/faqs")  # the copy works while the session lasts
    assert "Keluar dari halaman admin" in await world.get("/admin/logout")
    await world.post("/admin/logout", status=303)
    resp = await world.client.get("/admin/faqs", allow_redirects=False)
    assert resp.status == 303
    # The cookie put back (copied before, or stolen) no longer works: signing out ended it on the server.
    world.client.session.cookie_jar.update_cookies({COOKIE: copied}, url)
    resp = await world.client.get("/admin/faqs", allow_redirects=False)
    assert resp.status == 303 and "/admin/login" in resp.headers["Location"]
    assert await world.login("dlh.admin") == 303  # signing in again works
    await world.get("/admin/faqs")


async def test_deactivated_account_is_signed_out_at_once(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    async with world.db.session() as session:
        user = await session.scalar(select(UserRow).where(UserRow.username == "dlh.admin"))
        user.active = False
        await session.commit()
    resp = await world.client.get("/admin/faqs", allow_redirects=False)
    assert resp.status == 303


async def test_password_change_needs_the_old_one_and_ends_other_sessions(world: AdminWorld, aiohttp_client) -> None:
    await world.login("dlh.admin")
    # A second browser signed in as the same admin.
    other = AdminWorld(**{**world.__dict__, "client": await aiohttp_client(world.client.app)})
    await other.login("dlh.admin")
    await other.get("/admin/faqs")

    resp = await world.post("/admin/password", {"old": "salah-sekali-123", "new": "sandi-baru-4567",
                                                "again": "sandi-baru-4567"})
    assert resp.status == 400 and "Kata sandi lama salah" in await resp.text()
    resp = await world.post("/admin/password", {"old": PASSWORD, "new": "pendek", "again": "pendek"})
    assert resp.status == 400
    resp = await world.post("/admin/password", {"old": PASSWORD, "new": "1234567890", "again": "1234567890"})
    assert resp.status == 400 and "terlalu mudah ditebak" in await resp.text()
    resp = await world.post("/admin/password", {"old": PASSWORD, "new": PASSWORD, "again": PASSWORD})
    assert resp.status == 400 and "harus berbeda" in await resp.text()
    await world.post("/admin/password", {"old": PASSWORD, "new": "sandi-baru-4567", "again": "sandi-baru-4567"},
                     status=303)
    await world.get("/admin/faqs")  # this browser stays signed in
    resp = await other.client.get("/admin/faqs", allow_redirects=False)
    assert resp.status == 303  # the other one is signed out
    assert await other.login("dlh.admin", "sandi-baru-4567") == 303


async def test_a_form_sent_after_the_session_ended_leads_back_to_its_page_after_login(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    world.clock.advance(hours=9)
    base = str(world.client.make_url("/"))[:-1]
    for referer, expected in ((f"{base}/admin/complaints/PDG-AAAAAA", "/admin/login?next=/admin/complaints/PDG-AAAAAA"),
                              ("/admin/faqs/new", "/admin/login?next=/admin/faqs/new"),
                              ("https://evil.example/admin/faqs", "/admin/login"),  # another site
                              (f"{base}/chat", "/admin/login"),  # not an admin page
                              ("", "/admin/login")):
        resp = await world.client.post("/admin/complaints/PDG-AAAAAA/note", data={"note": "x"},
                                       headers={"Referer": referer}, allow_redirects=False)
        assert resp.status == 303 and resp.headers["Location"] == expected, referer


async def test_login_redirects_only_inside_the_admin_page(world: AdminWorld) -> None:
    page = await world.client.get("/admin/login")
    token = (await page.text()).split('name="csrf_token" value="')[1].split('"')[0]
    for target, expected in (("/admin/stats", "/admin/stats"), ("https://evil.example/", "/admin/"),
                             ("//evil.example/admin", "/admin/")):
        resp = await world.client.post("/admin/login", data={"username": "dlh.admin", "password": PASSWORD,
                                                             "csrf_token": token, "next": target},
                                       allow_redirects=False)
        assert resp.status == 303
        assert resp.headers["Location"] == expected
        token = await world.token()


async def test_post_without_or_with_a_wrong_csrf_token_is_refused(world: AdminWorld) -> None:
    # Even the login form needs the token.
    resp = await world.post("/admin/login", {"username": "dlh.admin", "password": PASSWORD}, csrf=False)
    assert resp.status == 403
    await world.login("dlh.admin")
    resp = await world.post("/admin/faqs/new", {"question": "Q?", "answer": "A"}, csrf=False)
    assert resp.status == 403
    resp = await world.post("/admin/faqs/new", {"question": "Q?", "answer": "A", "csrf_token": "0" * 64}, csrf=False)
    assert resp.status == 403
    # A token from another session does not work either.
    old_token = await world.token()
    await world.post("/admin/logout", status=303)
    await world.login("dlh.admin")
    resp = await world.post("/admin/faqs/new", {"question": "Q?", "answer": "A", "csrf_token": old_token}, csrf=False)
    assert resp.status == 403
    page = await resp.text()  # said as what it most often is: a tab left open, not an attack
    assert "Halaman kedaluwarsa" in page and "salin isian Anda" in page


async def test_security_headers_on_pages_redirects_and_errors(world: AdminWorld) -> None:
    assert CSP == EXPECTED_CSP
    for path in ("/admin/login", "/admin/faqs", "/admin/tidak-ada"):
        resp = await world.client.get(path, allow_redirects=False)
        assert resp.headers["Content-Security-Policy"] == EXPECTED_CSP, path
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["Referrer-Policy"] == "same-origin"
    await world.login("dlh.admin")
    resp = await world.client.get("/admin/tidak-ada")
    assert resp.status == 404 and "Halaman tidak ditemukan" in await resp.text()
    assert resp.headers["Content-Security-Policy"] == EXPECTED_CSP


async def test_pages_have_no_inline_script_or_style(world: AdminWorld) -> None:
    await world.login("kominfo")
    await world.file_complaint()
    for path in ("/admin/faqs", "/admin/faqs/new", "/admin/complaints", "/admin/stats",
                 "/admin/unanswered", "/admin/users", "/admin/targets", "/admin/audit"):
        page = await world.get(path)
        assert "<script>" not in page and " style=" not in page and "<style" not in page, path
        assert "onclick" not in page and "javascript:" not in page, path


async def test_admin_page_says_things_in_indonesian(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    page = await world.get("/admin/complaints")
    for word in ("Pengaduan", "Keluar", "Ganti kata sandi", "Statistik", "Tampilkan"):
        assert word in page


async def test_clock_is_injectable(world: AdminWorld) -> None:
    assert world.ctx.now() == dt.datetime(2025, 3, 10, 2, 0, tzinfo=dt.timezone.utc)
