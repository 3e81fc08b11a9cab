"""The OPD's contact on the admin page: the OPD admin fills it in, the bot tells residents who ask for it."""

from __future__ import annotations

from sqlalchemy import select

from knowledge.records.models import AuditRow, OpdRow
from tests.admin_support import AdminWorld


async def _contact(world: AdminWorld, slug: str) -> dict:
    async with world.db.session() as session:
        return dict((await session.scalar(select(OpdRow.contact).where(OpdRow.slug == slug))) or {})


async def test_an_opd_admin_sets_their_contact_and_the_bot_uses_it(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    page = await world.get("/admin/contact")
    assert "Kontak Dinas Lingkungan Hidup" in page and "Jl. Bersih No. 2" in page  # what the file gave
    before_dpupr = await _contact(world, "dpupr")
    await world.post("/admin/contact", {"opd": "dpupr", "phone": "(0751) 123 456", "address": "Jl. Bersih No. 2",
                                        "whatsapp": "", "email": "dlh@kota-uji.go.id"}, status=303)
    assert await _contact(world, "dlh") == {"phone": "(0751) 123 456", "address": "Jl. Bersih No. 2",
                                            "email": "dlh@kota-uji.go.id"}
    assert await _contact(world, "dpupr") == before_dpupr  # an OPD admin edits only their own OPD
    await world.live.refresh()
    assert world.live.kb.opd("dlh").contact.phone == "(0751) 123 456"
    async with world.db.session() as session:
        assert await session.scalar(select(AuditRow.target).where(AuditRow.action == "opd_contact")) == "dlh"


async def test_contact_fields_are_checked(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    resp = await world.post("/admin/contact", {"email": "bukan email", "phone": "belum ada", "address": "x" * 300})
    page = await resp.text()
    assert resp.status == 400
    assert "Alamat email tidak valid" in page and "Telepon harus berisi nomor" in page and "terlalu panjang" in page
    assert "bukan email" in page  # what was typed is kept
    for bad in ("javascript:alert(1)", "ftp://dlh.padang.go.id", "bukan situs"):
        resp = await world.post("/admin/contact", {"website": bad})
        assert resp.status == 400 and "Alamat situs web tidak valid" in await resp.text(), bad
    for good in ("https://dlh.padang.go.id/layanan", "dlh.padang.go.id"):
        await world.post("/admin/contact", {"website": good}, status=303)


async def test_kominfo_edits_any_opds_contact(world: AdminWorld) -> None:
    await world.login("kominfo")
    page = await world.get("/admin/contact?opd=dpupr")
    assert "Kontak Dinas Pekerjaan Umum" in page
    await world.post("/admin/contact", {"opd": "dpupr", "phone": "112"}, status=303)
    assert (await _contact(world, "dpupr")) == {"phone": "112"}
    resp = await world.client.get("/admin/contact?opd=tidak-ada")
    assert resp.status == 404
