"""Kominfo's pages: creating and deactivating accounts, resetting passwords, targets, and the audit log."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select, update

from knowledge.records.models import AuditRow, TargetRow, UserRow
from tests.admin_support import AdminWorld


async def test_kominfo_creates_an_opd_account_that_can_sign_in(world: AdminWorld) -> None:
    await world.login("kominfo")
    resp = await world.post("/admin/users", {"username": "DLH.Budi", "role": "opd", "opd": "dlh"})
    page = await resp.text()
    assert resp.status == 200 and "dlh.budi" in page
    password = re.search(r'<p class="secret">([^<]+)</p>', page).group(1)
    assert len(password) >= 16
    assert password not in await world.get("/admin/users")  # shown once only
    # The page that showed it, reloaded, sends the form again: no second account, and a plain explanation.
    resp = await world.post("/admin/users", {"username": "DLH.Budi", "role": "opd", "opd": "dlh"})
    page = await resp.text()
    assert resp.status == 400 and "sudah Anda buat tadi" in page and password not in page
    world.client.session.cookie_jar.clear()
    assert await world.login("dlh.budi", password) == 303
    # A password Kominfo chose is replaced by the admin's own before any other page opens.
    resp = await world.client.get("/admin/faqs", allow_redirects=False)
    assert resp.status == 303 and resp.headers["Location"] == "/admin/password?pesan=wajib-ganti"
    assert "Ganti dengan kata sandi pilihan Anda sendiri" in await world.get("/admin/password?pesan=wajib-ganti")
    resp = await world.client.post("/admin/complaints/TST-AAAAAA/note", allow_redirects=False,
                                   data={"note": "x", "csrf_token": await world.token()})
    assert resp.status == 303 and "/admin/password" in resp.headers["Location"]
    await world.post("/admin/password", {"old": password, "new": "kopi-hujan-sendiri-1", "again": "kopi-hujan-sendiri-1"},
                     status=303)
    assert "Dinas Lingkungan Hidup" in await world.get("/admin/faqs")


async def test_account_form_errors_are_explained(world: AdminWorld) -> None:
    await world.login("kominfo")
    for form, message in (({"username": "dlh.admin", "role": "opd", "opd": "dlh"}, "sudah dipakai"),
                          ({"username": "x", "role": "opd", "opd": "dlh"}, "Nama pengguna harus"),
                          ({"username": "baru.satu", "role": "opd", "opd": ""}, "harus memilih OPD")):
        resp = await world.post("/admin/users", form)
        assert resp.status == 400 and message in await resp.text(), form


async def test_deactivating_an_account_signs_it_out(world: AdminWorld, aiohttp_client) -> None:
    other = AdminWorld(**{**world.__dict__, "client": await aiohttp_client(world.client.app)})
    await other.login("dlh.admin")
    await world.login("kominfo")
    async with world.db.session() as session:
        user_id = await session.scalar(select(UserRow.id).where(UserRow.username == "dlh.admin"))
        own_id = await session.scalar(select(UserRow.id).where(UserRow.username == "kominfo"))
    await world.post(f"/admin/users/{user_id}/active", {"active": "0"}, status=303)
    assert (await other.client.get("/admin/faqs", allow_redirects=False)).status == 303
    assert await other.login("dlh.admin") == 401
    resp = await world.post(f"/admin/users/{own_id}/active", {"active": "0"})
    assert resp.status == 400  # not oneself
    await world.post(f"/admin/users/{user_id}/active", {"active": "1"}, status=303)
    assert await other.login("dlh.admin") == 303


async def test_targets_are_saved_and_validated(world: AdminWorld) -> None:
    await world.login("kominfo")
    page = await world.get("/admin/targets")
    assert "Pertanyaan terjawab" in page
    resp = await world.post("/admin/targets", {"answer_rate": "150"})
    assert resp.status == 400 and "Angka tidak valid" in await resp.text()
    await world.post("/admin/targets", {"answer_rate": "80", "first_response_hours": "24", "satisfaction": "4,2"},
                     status=303)
    async with world.db.session() as session:
        targets = {t.figure: t.value for t in (await session.scalars(select(TargetRow))).all()}
    assert targets == {"answer_rate": 0.8, "first_response_hours": 24.0, "satisfaction": 4.2}
    page = await world.get("/admin/targets")
    assert 'value="80"' in page and 'value="4.2"' in page
    await world.post("/admin/targets", {"answer_rate": "", "first_response_hours": "24", "satisfaction": "4.2"},
                     status=303)
    async with world.db.session() as session:
        assert await session.get(TargetRow, "answer_rate") is None


async def test_audit_log_records_who_changed_what(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    await world.post("/admin/faqs/new", {"question": "Apa itu TPS 3R?", "answer": "Tempat olah sampah."}, status=303)
    world.client.session.cookie_jar.clear()
    await world.login("kominfo")
    page = await world.get("/admin/audit")
    assert "FAQ dibuat" in page and "dlh.admin" in page and "Masuk" in page
    page = await world.get("/admin/audit?pengguna=dlh.admin&aksi=faq_create")
    assert "dlh-apa-itu-tps-3r" in page and "1 catatan" in page
    async with world.db.session() as session:
        rows = (await session.scalars(select(AuditRow).where(AuditRow.action == "faq_create"))).all()
    assert rows[0].created_at == world.clock()


async def _user_id(world: AdminWorld, username: str) -> int:
    async with world.db.session() as session:
        return await session.scalar(select(UserRow.id).where(UserRow.username == username))


async def test_kominfo_resets_a_password_and_the_accounts_sessions_end(world: AdminWorld, aiohttp_client) -> None:
    other = AdminWorld(**{**world.__dict__, "client": await aiohttp_client(world.client.app)})
    assert await other.login("dlh.admin") == 303
    async with world.db.session() as session:  # a lock from failed logins is lifted by the reset
        await session.execute(update(UserRow).where(UserRow.username == "dlh.admin")
                              .values(locked_until=world.clock() + dt.timedelta(hours=1)))
        await session.commit()
    await world.login("kominfo")
    user_id = await _user_id(world, "dlh.admin")
    listing = await world.get("/admin/users")
    assert f'action="/admin/users/{user_id}/password"' in listing
    stamp = listing.split(f'action="/admin/users/{user_id}/password"')[1].split('name="stamp" value="')[1].split('"')[0]
    resp = await world.post(f"/admin/users/{user_id}/password", {"stamp": stamp}, status=200)
    page = await resp.text()
    assert "Kata sandi akun <strong>dlh.admin</strong> sudah direset" in page
    password = re.search(r'<p class="secret">([^<]+)</p>', page).group(1)
    # The same form sent again (a refresh of that page) does not replace the password just handed out.
    resp = await world.post(f"/admin/users/{user_id}/password", {"stamp": stamp}, status=400)
    assert "sudah diganti sejak halaman ini dibuka" in await resp.text()
    assert len(password) >= 16
    assert password not in await world.get("/admin/users")  # shown once only
    # The account's open session ended; the old password no longer works, the new one does.
    resp = await other.client.get("/admin/faqs", allow_redirects=False)
    assert resp.status == 303 and resp.headers["Location"].startswith("/admin/login")
    assert await other.login("dlh.admin") == 401
    assert await other.login("dlh.admin", password) == 303
    resp = await other.client.get("/admin/faqs", allow_redirects=False)  # the reset password is changed first
    assert resp.status == 303 and resp.headers["Location"].startswith("/admin/password")
    # Kominfo's own session goes on; the audit log names the account, never the password.
    await world.get("/admin/users")
    async with world.db.session() as session:
        rows = (await session.scalars(select(AuditRow).where(AuditRow.action == "user_password_reset"))).all()
    assert [(r.username, r.target, r.detail) for r in rows] == [("kominfo", "dlh.admin", None)]
    assert "Kata sandi akun direset" in await world.get("/admin/audit")


async def test_password_reset_is_refused_without_csrf_for_oneself_and_for_unknown_accounts(
        world: AdminWorld) -> None:
    await world.login("kominfo")
    user_id = await _user_id(world, "dlh.admin")
    async with world.db.session() as session:
        before = await session.scalar(select(UserRow.password_hash).where(UserRow.id == user_id))
    resp = await world.post(f"/admin/users/{user_id}/password", {}, csrf=False)
    assert resp.status == 403
    resp = await world.post(f"/admin/users/{await _user_id(world, 'kominfo')}/password", {})
    assert resp.status == 400 and "Ganti kata sandi" in await resp.text()
    assert (await world.post("/admin/users/999999/password", {})).status == 404
    async with world.db.session() as session:
        assert await session.scalar(select(UserRow.password_hash).where(UserRow.id == user_id)) == before
        assert not (await session.scalars(select(AuditRow).where(AuditRow.action == "user_password_reset"))).all()
    assert await world.login("dlh.admin") == 303  # still the old password


async def test_opd_admins_cannot_reset_passwords(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    resp = await world.post(f"/admin/users/{await _user_id(world, 'dpupr.admin')}/password", {})
    assert resp.status == 403 and "secret" not in await resp.text()
    world.client.session.cookie_jar.clear()
    assert await world.login("dpupr.admin") == 303
