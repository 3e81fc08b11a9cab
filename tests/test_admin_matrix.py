"""Authorization matrix: every admin route × anonymous / OPD admin / Kominfo × another OPD's objects.

An OPD admin (dlh) must never read or change another OPD's (dpupr) FAQs, complaints, photos or
figures: such objects are 404, Kominfo-only pages are 403, and nothing changes. Anonymous
visitors are sent to the login page. Kominfo reaches everything.
"""

from __future__ import annotations

import datetime as dt

from aiohttp import FormData
from argon2 import PasswordHasher
from sqlalchemy import select, update

from knowledge.records.models import ComplaintRow, FaqRow, OutboxRow, TargetRow, UserRow
from tests.admin_support import PASSWORD, AdminWorld
from tests.test_admin_complaints import PNG

OTHER_FAQ = "izin-galian-jalan"  # dpupr's


async def _setup(world: AdminWorld) -> dict[str, str]:
    (world.media_dir / "p.png").write_bytes(PNG)
    other = await world.file_complaint(opd="dpupr", category="jalan-rusak", description="RAHASIA-DPUPR jalan rusak",
                                       photo_path="p.png")
    own = await world.file_complaint(description="Sampah milik DLH")
    async with world.db.session() as session:
        await session.execute(update(FaqRow).where(FaqRow.key == OTHER_FAQ).values(review_by=dt.date(2024, 1, 1)))
        user_id = await session.scalar(select(UserRow.id).where(UserRow.username == "dpupr.admin"))
        await session.commit()
    await world.event("unanswered", text="RAHASIA-DPUPR trotoar pecah", opd="dpupr")
    await world.event("feedback", outcome="down", faq_key=OTHER_FAQ, text="RAHASIA-DPUPR izin galian", opd="dpupr")
    return {"ticket": other.ticket, "own": own.ticket, "user": str(user_id)}


def _routes(ids: dict[str, str]) -> list[tuple[str, str, dict[str, str], str]]:
    """(method, path, form, what an OPD admin of dlh must get: "404" | "403" | "hidden")."""
    t, f = ids["ticket"], OTHER_FAQ
    return [
        ("GET", f"/admin/faqs/{f}", {}, "404"),
        ("POST", f"/admin/faqs/{f}", {"question": "diubah", "answer": "diubah", "version": "1"}, "404"),
        ("POST", f"/admin/faqs/{f}/archive", {"archived": "1"}, "404"),
        ("GET", f"/admin/faqs/{f}/versions", {}, "404"),
        ("POST", f"/admin/faqs/{f}/restore", {"version": "1"}, "404"),
        ("GET", "/admin/faqs/export?opd=dpupr", {}, "404"),
        ("GET", f"/admin/complaints/{t}", {}, "404"),
        ("GET", f"/admin/complaints/{t}/photo", {}, "404"),
        ("POST", f"/admin/complaints/{t}/status", {"status": "selesai", "note": "x"}, "404"),
        ("POST", f"/admin/complaints/{t}/note", {"note": "x"}, "404"),
        ("POST", f"/admin/complaints/{t}/reassign", {"opd": "dlh"}, "404"),
        ("POST", f"/admin/complaints/{t}/category", {"category": "jalan-rusak"}, "404"),
        ("GET", "/admin/stats?opd=dpupr", {}, "404"),
        ("GET", "/admin/stats.csv?opd=dpupr", {}, "404"),
        ("GET", "/admin/stats/report?opd=dpupr", {}, "404"),
        ("GET", "/admin/users", {}, "403"),
        ("POST", "/admin/users", {"username": "penyusup", "role": "kominfo"}, "403"),
        ("POST", f"/admin/users/{ids['user']}/active", {"active": "0"}, "403"),
        ("POST", f"/admin/users/{ids['user']}/password", {}, "403"),
        ("GET", "/admin/targets", {}, "403"),
        ("POST", "/admin/targets", {"answer_rate": "10"}, "403"),
        ("GET", "/admin/audit", {}, "403"),
        ("GET", "/admin/faqs?opd=dpupr&q=galian", {}, "hidden"),
        ("GET", "/admin/complaints?opd=dpupr", {}, "hidden"),
        ("GET", f"/admin/complaints?tiket={t}", {}, "hidden"),
        ("GET", "/admin/review", {}, "hidden"),
        ("GET", "/admin/unanswered", {}, "hidden"),
        ("GET", "/admin/stats", {}, "hidden"),
        ("GET", "/admin/stats.csv", {}, "hidden"),
        ("GET", "/admin/faqs/import", {}, "hidden"),
        ("GET", "/admin/faqs", {}, "hidden"),
    ]


async def _request(world: AdminWorld, method: str, path: str, form: dict[str, str]):  # noqa: ANN202
    if method == "GET":
        return await world.client.get(path, allow_redirects=False)
    return await world.post(path, form)


async def _unchanged(world: AdminWorld, ids: dict[str, str]) -> None:
    async with world.db.session() as session:
        faq = await session.scalar(select(FaqRow).where(FaqRow.key == OTHER_FAQ))
        complaint = await session.scalar(select(ComplaintRow).where(ComplaintRow.ticket == ids["ticket"]))
        status_messages = (await session.scalars(select(OutboxRow).where(OutboxRow.kind == "status"))).all()
        dpupr = await session.scalar(select(UserRow).where(UserRow.username == "dpupr.admin"))
        users = (await session.scalars(select(UserRow.username))).all()
        targets = (await session.scalars(select(TargetRow))).all()
    assert faq.question != "diubah" and not faq.archived and faq.version == 1
    assert complaint.status == "baru" and complaint.first_response_at is None
    assert not status_messages and dpupr.active and "penyusup" not in users and not targets
    assert PasswordHasher().verify(dpupr.password_hash, PASSWORD)  # no password was reset


async def test_opd_admin_cannot_reach_another_opds_objects(world: AdminWorld) -> None:
    ids = await _setup(world)
    await world.login("dlh.admin")
    for method, path, form, expected in _routes(ids):
        resp = await _request(world, method, path, form)
        body = await resp.text()
        if expected == "hidden":
            assert resp.status == 200, (method, path, resp.status)
            assert "RAHASIA-DPUPR" not in body and f"/admin/complaints/{ids['ticket']}" not in body, (method, path)
            assert "Bagaimana mengurus izin menggali" not in body, (method, path)
        else:
            assert resp.status == int(expected), (method, path, resp.status)
            assert "RAHASIA-DPUPR" not in body, (method, path)
    # Importing a file for another OPD is refused too.
    form = FormData()
    form.add_field("csrf_token", await world.token())
    form.add_field("opd", "dpupr")
    form.add_field("file", b"slug: dpupr\nname: X\nfaqs: []\n", filename="dpupr.yaml")
    assert (await world.client.post("/admin/faqs/import", data=form)).status == 404
    await _unchanged(world, ids)
    # The admin's own complaint remains reachable (the matrix refuses only what it should).
    assert ids["own"] in await world.get("/admin/complaints")


async def test_anonymous_visitors_reach_nothing(world: AdminWorld) -> None:
    ids = await _setup(world)
    for method, path, form, _ in _routes(ids):
        resp = await _request(world, method, path, form)
        if method == "GET":
            assert resp.status == 303 and resp.headers["Location"].startswith("/admin/login"), (method, path)
        else:
            assert resp.status in (303, 403), (method, path, resp.status)
            assert "RAHASIA-DPUPR" not in await resp.text()
    await _unchanged(world, ids)


async def test_kominfo_reaches_every_opd(world: AdminWorld) -> None:
    ids = await _setup(world)
    await world.login("kominfo")
    for method, path, _form, _ in _routes(ids):
        if method != "GET":
            continue
        resp = await world.client.get(path, allow_redirects=False)
        assert resp.status == 200, (path, resp.status)
    assert ids["ticket"] in await world.get("/admin/complaints?opd=dpupr")
    assert "RAHASIA-DPUPR" in await world.get("/admin/unanswered")
