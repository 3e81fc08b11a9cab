"""The complaint inbox: filters, one complaint, status changes that reach the resident, notes, reassignment."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from knowledge.records.models import AuditRow, ComplaintRow, OutboxRow
from tests.admin_support import AdminWorld

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


async def _place(world: AdminWorld, ticket: str, kelurahan: str, kecamatan: str) -> None:
    async with world.db.session() as session:
        await session.execute(update(ComplaintRow).where(ComplaintRow.ticket == ticket)
                              .values(kelurahan=kelurahan, kecamatan=kecamatan))
        await session.commit()


async def _outbox(world: AdminWorld) -> list[OutboxRow]:
    async with world.db.session() as session:
        return list((await session.scalars(select(OutboxRow).order_by(OutboxRow.id))).all())


async def test_inbox_lists_own_complaints_with_filters(world: AdminWorld) -> None:
    a = await world.file_complaint(description="Sampah menumpuk di Pasar Raya")
    b = await world.file_complaint(description="Air sungai hitam dan bau", category="pencemaran")
    c = await world.file_complaint(opd="dpupr", category="jalan-rusak", description="Jalan berlubang besar")
    await _place(world, a.ticket, "Kampung Jao", "Padang Barat")
    await _place(world, b.ticket, "Air Tawar Barat", "Padang Utara")
    await world.login("dlh.admin")
    page = await world.get("/admin/complaints")
    assert a.ticket in page and b.ticket in page and c.ticket not in page
    page = await world.get("/admin/complaints?kategori=pencemaran")
    assert b.ticket in page and a.ticket not in page
    page = await world.get("/admin/complaints?kecamatan=Padang+Barat")
    assert a.ticket in page and b.ticket not in page
    page = await world.get("/admin/complaints?kelurahan=Air+Tawar+Barat")
    assert b.ticket in page and a.ticket not in page
    page = await world.get("/admin/complaints?status=selesai")
    assert a.ticket not in page and "Tidak ada pengaduan" in page
    # A ticket searched as a resident reads it out: without its city code, in lower case, "I" for "1".
    suffix = a.ticket.split("-")[1]
    for typed in (suffix.lower(), f"pdg{suffix.lower()}", a.ticket.replace("1", "I")):
        page = await world.get(f"/admin/complaints?tiket={typed}")
        assert a.ticket in page and b.ticket not in page, typed
    # Overdue: the due date passes (3 working days for sampah-tidak-diangkut, 5 by default).
    world.clock.advance(days=4)
    await world.login("dlh.admin")  # a session lasts one working day
    page = await world.get("/admin/complaints?terlambat=1")
    assert a.ticket in page and b.ticket not in page and "terlambat" in page
    # Kominfo sees every OPD's complaints and can filter by OPD.
    world.client.session.cookie_jar.clear()
    await world.login("kominfo")
    page = await world.get("/admin/complaints")
    assert a.ticket in page and c.ticket in page
    page = await world.get("/admin/complaints?opd=dpupr")
    assert c.ticket in page and a.ticket not in page


async def test_detail_shows_text_photo_map_link_timeline_and_sla(world: AdminWorld) -> None:
    (world.media_dir / "2025").mkdir()
    (world.media_dir / "2025" / "foto.png").write_bytes(PNG)
    row = await world.file_complaint(latitude=-0.95, longitude=100.35, address="Jl. Sudirman 1",
                                     photo_path="2025/foto.png")
    await world.login("dlh.admin")
    page = await world.get(f"/admin/complaints/{row.ticket}")
    assert "Sampah di TPS tidak diangkut 3 hari" in page and "Jl. Sudirman 1" in page
    assert "https://www.openstreetmap.org/?mlat=-0.950000&amp;mlon=100.350000" in page
    assert f'src="/admin/complaints/{row.ticket}/photo"' in page
    assert "sisa 3 hari kerja" in page  # filed Monday, 3 working days
    assert "Budi" in page and "Web chat" in page
    assert re.search(r"\d{2}\.\d{2} WIB", page)  # times say their zone (the test city is Asia/Jakarta)
    resp = await world.client.get(f"/admin/complaints/{row.ticket}/photo")
    assert resp.status == 200 and resp.content_type == "image/png" and await resp.read() == PNG


async def test_photo_outside_the_media_folder_is_not_served(world: AdminWorld, tmp_path) -> None:
    (tmp_path / "secret.png").write_bytes(PNG)
    row = await world.file_complaint(photo_path="../secret.png")
    await world.login("dlh.admin")
    resp = await world.client.get(f"/admin/complaints/{row.ticket}/photo")
    assert resp.status == 404


async def test_status_change_notifies_the_resident_through_the_outbox(any_world: AdminWorld) -> None:
    world = any_world
    row = await world.file_complaint(user="warga-42")
    await world.login("dlh.admin")
    await world.post(f"/admin/complaints/{row.ticket}/status",
                     {"status": "diproses", "note": "Truk dijadwalkan besok."}, status=303)
    world.clock.advance(hours=5)
    await world.post(f"/admin/complaints/{row.ticket}/status",
                     {"status": "selesai", "note": "Sampah sudah diangkut pagi ini."}, status=303)
    messages = [m for m in await _outbox(world) if m.kind == "status"]
    assert [(m.channel, m.recipient) for m in messages] == [("web", "warga-42")] * 2
    text = messages[1].payload["text"]
    assert row.ticket in text and "Sampah sudah diangkut pagi ini." in text
    assert [o["value"] for o in messages[1].payload["options"]][0].startswith(f"rate:{row.ticket}:")
    page = await world.get(f"/admin/complaints/{row.ticket}")
    assert "Truk dijadwalkan besok." in page and "Selesai" in page and "sudah ditutup" in page
    async with world.db.session() as session:
        saved = await session.scalar(select(ComplaintRow).where(ComplaintRow.ticket == row.ticket))
        audit = (await session.scalars(select(AuditRow).where(AuditRow.action == "complaint_status"))).all()
    assert saved.status == "selesai" and saved.resolved_at is not None and saved.first_response_at is not None
    assert [a.detail["ke"] for a in audit] == ["diproses", "selesai"]
    # A closed complaint cannot change again; the service's reason is shown.
    resp = await world.post(f"/admin/complaints/{row.ticket}/status", {"status": "diproses", "note": "x"})
    assert resp.status == 400 and "tidak dapat diubah" in await resp.text()


async def test_rejecting_needs_a_reason(world: AdminWorld) -> None:
    row = await world.file_complaint()
    await world.login("dlh.admin")
    resp = await world.post(f"/admin/complaints/{row.ticket}/status", {"status": "ditolak", "note": ""})
    assert resp.status == 400 and "alasan" in await resp.text()
    assert '<option value="ditolak" selected>' in await resp.text()  # the choice is kept for the retry
    # A refused change keeps the note typed for the resident.
    await world.post(f"/admin/complaints/{row.ticket}/status", {"status": "diproses", "note": "Dicek."}, status=303)
    resp = await world.post(f"/admin/complaints/{row.ticket}/status", {"status": "diproses",  # (a second tab)
                                                                       "note": "Petugas <b>datang</b> besok."})
    page = await resp.text()
    assert resp.status == 400 and "Petugas &lt;b&gt;datang&lt;/b&gt; besok." in page


async def test_internal_note_is_not_sent_to_the_resident(world: AdminWorld) -> None:
    row = await world.file_complaint()
    await world.login("dlh.admin")
    await world.post(f"/admin/complaints/{row.ticket}/note", {"note": "Koordinasi dengan kelurahan."}, status=303)
    assert not [m for m in await _outbox(world) if m.kind == "status"]
    page = await world.get(f"/admin/complaints/{row.ticket}")
    assert "Catatan internal" in page and "Koordinasi dengan kelurahan." in page


async def test_closing_needs_a_note_and_only_the_officers_statuses_are_offered(world: AdminWorld) -> None:
    row = await world.file_complaint()
    await world.login("dlh.admin")
    page = await world.get(f"/admin/complaints/{row.ticket}")
    offered = re.findall(r'<option value="([a-z]+)"', page.split('id="status"')[1].split("</select>")[0])
    assert offered == ["diterima", "diproses", "selesai", "ditolak"]  # not the resident's own "dibatalkan"
    resp = await world.post(f"/admin/complaints/{row.ticket}/status", {"status": "selesai", "note": ""})
    assert resp.status == 400 and "apa yang sudah dikerjakan" in await resp.text()
    resp = await world.post(f"/admin/complaints/{row.ticket}/status", {"status": "dibatalkan", "note": "x"})
    assert resp.status == 400
    await world.post(f"/admin/complaints/{row.ticket}/status", {"status": "diproses", "note": ""}, status=303)
    page = await world.get(f"/admin/complaints/{row.ticket}")
    offered = re.findall(r'<option value="([a-z]+)"', page.split('id="status"')[1].split("</select>")[0])
    assert offered == ["selesai", "ditolak"]


async def test_a_message_reaches_the_resident_without_changing_the_status(any_world: AdminWorld) -> None:
    world = any_world
    row = await world.file_complaint(user="warga-7")
    await world.login("dlh.admin")
    await world.post(f"/admin/complaints/{row.ticket}/message",
                     {"note": "Truk pengangkut sedang diperbaiki; sampah diangkut Kamis."}, status=303)
    [message] = [m for m in await _outbox(world) if m.kind == "status"]
    assert (message.channel, message.recipient) == ("web", "warga-7")
    assert "Pesan petugas: Truk pengangkut sedang diperbaiki; sampah diangkut Kamis." in message.payload["text"]
    assert row.ticket in message.payload["text"] and "rate:" not in str(message.payload)
    page = await world.get(f"/admin/complaints/{row.ticket}?pesan=pesan")  # where the form leads
    assert "<strong>Pesan ke pelapor</strong>" in page and "Pesan dikirim ke pelapor" in page
    # The table of what the resident was sent shows the message itself, not only its first line.
    sent = page.split("Pemberitahuan ke pelapor")[1]
    assert "Pesan petugas: Truk pengangkut sedang diperbaiki; sampah diangkut Kamis." in sent
    async with world.db.session() as session:
        saved = await session.scalar(select(ComplaintRow).where(ComplaintRow.ticket == row.ticket))
    assert saved.status == "baru" and saved.first_response_at is not None  # a reply is a response
    resp = await world.post(f"/admin/complaints/{row.ticket}/message", {"note": "  "})
    assert resp.status == 400 and "tidak boleh kosong" in await resp.text()
    await world.post(f"/admin/complaints/{row.ticket}/note", {"note": "Cek\x00 lagi\x07 besok\nya"}, status=303)
    assert "Cek lagi besok" in await world.get(f"/admin/complaints/{row.ticket}")  # control characters dropped
    await world.post(f"/admin/complaints/{row.ticket}/status", {"status": "ditolak", "note": "Bukan DLH."},
                     status=303)
    resp = await world.post(f"/admin/complaints/{row.ticket}/message", {"note": "Satu hal lagi."})
    assert resp.status == 400 and "sudah ditutup" in await resp.text()
    other = await world.file_complaint(opd="dpupr", category="jalan-rusak", description="Jalan berlubang besar")
    resp = await world.post(f"/admin/complaints/{other.ticket}/message", {"note": "Bukan urusan DLH."})
    assert resp.status == 404  # another OPD's complaint


async def test_kominfo_reopens_a_closed_complaint_and_the_resident_is_told(any_world: AdminWorld) -> None:
    world = any_world
    row = await world.file_complaint(user="warga-9")
    await world.login("dlh.admin")
    await world.post(f"/admin/complaints/{row.ticket}/status", {"status": "selesai", "note": "Sudah diangkut."},
                     status=303)
    assert "Buka kembali" not in await world.get(f"/admin/complaints/{row.ticket}")  # not for an OPD admin
    resp = await world.post(f"/admin/complaints/{row.ticket}/reopen", {"note": "Salah klik."})
    assert resp.status == 403
    world.client.session.cookie_jar.clear()
    await world.login("kominfo")
    assert "Buka kembali" in await world.get(f"/admin/complaints/{row.ticket}")
    resp = await world.post(f"/admin/complaints/{row.ticket}/reopen", {"note": ""})
    assert resp.status == 400 and "alasan membuka kembali" in await resp.text()
    await world.post(f"/admin/complaints/{row.ticket}/reopen",
                     {"note": "Pelapor mengabarkan sampah belum diangkut."}, status=303)
    async with world.db.session() as session:
        saved = await session.scalar(select(ComplaintRow).where(ComplaintRow.ticket == row.ticket))
    assert (saved.status, saved.resolved_at, saved.rating) == ("diproses", None, None)
    last = [m for m in await _outbox(world) if m.kind == "status"][-1]
    assert "Pelapor mengabarkan sampah belum diangkut." in last.payload["text"] and "rate:" not in str(last.payload)
    page = await world.get(f"/admin/complaints/{row.ticket}")
    assert "Simpan dan kirim ke pelapor" in page  # open again: the OPD can close it properly
    resp = await world.post(f"/admin/complaints/{row.ticket}/reopen", {"note": "Lagi."})
    assert resp.status == 400 and "hanya laporan yang Selesai atau Ditolak" in await resp.text()


async def test_reassignment_moves_the_complaint_to_the_other_inbox(world: AdminWorld) -> None:
    row = await world.file_complaint(description="Jalan di depan rumah berlubang")
    await world.login("dlh.admin")
    resp = await world.post(f"/admin/complaints/{row.ticket}/reassign", {"opd": "dpupr", "note": "Urusan jalan."},
                            status=303)
    assert resp.headers["Location"].startswith("/admin/complaints")
    assert row.ticket not in await world.get("/admin/complaints")
    await world.get(f"/admin/complaints/{row.ticket}", status=404)  # no longer DLH's
    messages = [m for m in await _outbox(world) if m.kind == "status"]
    assert len(messages) == 1 and "Urusan jalan." in messages[0].payload["text"]
    world.client.session.cookie_jar.clear()
    await world.login("dpupr.admin")
    page = await world.get("/admin/complaints")
    assert row.ticket in page and "Baru" in page
    page = await world.get(f"/admin/complaints/{row.ticket}")
    assert "(dari DLH ke DPUPR)" in page
    # It came without a category; DPUPR gives it one of its own (not another OPD's), internally.
    assert "Tetapkan kategori" in page and '<option value="jalan-rusak"' in page and "pencemaran" not in page
    resp = await world.post(f"/admin/complaints/{row.ticket}/category", {"category": "pencemaran"})
    assert resp.status == 400 and "kategori OPD ini" in await resp.text()
    await world.post(f"/admin/complaints/{row.ticket}/category", {"category": "jalan-rusak"}, status=303)
    page = await world.get(f"/admin/complaints/{row.ticket}?pesan=kategori")
    assert "Kategori diubah: – → Jalan" in page and "Ubah kategori" in page
    assert len([m for m in await _outbox(world) if m.kind == "status"]) == 1  # the resident is not told


async def test_reassignment_to_the_same_or_unknown_opd_is_refused(world: AdminWorld) -> None:
    row = await world.file_complaint()
    await world.login("dlh.admin")
    for target in ("dlh", "tidak-ada", ""):
        resp = await world.post(f"/admin/complaints/{row.ticket}/reassign", {"opd": target})
        assert resp.status == 400, target


async def test_xss_in_complaint_text_is_rendered_inert(world: AdminWorld) -> None:
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)>"><svg onload=alert(3)>'
    row = await world.file_complaint(description=f"Sampah {payload}", address=payload)
    await world.login("dlh.admin")
    await world.post(f"/admin/complaints/{row.ticket}/note", {"note": payload}, status=303)
    for path in ("/admin/complaints", f"/admin/complaints/{row.ticket}"):
        page = await world.get(path)
        assert "<script>alert" not in page and "<img src=x" not in page and "<svg onload" not in page, path
        assert "&lt;script&gt;" in page


async def test_inbox_location_falls_back_to_the_address_or_the_map_point(world: AdminWorld) -> None:
    by_address = await world.file_complaint(description="Lampu jalan mati", address="Jl. Belakang Olo No. 12")
    by_point = await world.file_complaint(description="Drainase tersumbat", latitude=-0.95, longitude=100.35)
    placed = await world.file_complaint(description="Sampah menumpuk", address="Jl. Bagindo Aziz Chan")
    await _place(world, placed.ticket, "Kampung Jao", "Padang Barat")
    await world.login("dlh.admin")
    page = await world.get("/admin/complaints")
    rows = {row.split("</tr>")[0] for row in page.split("<tr>")[2:]}
    row_of = {ticket: next(r for r in rows if ticket in r)
              for ticket in (by_address.ticket, by_point.ticket, placed.ticket)}
    assert "Jl. Belakang Olo No. 12" in row_of[by_address.ticket]
    assert "titik peta" in row_of[by_point.ticket]
    assert "Kampung Jao" in row_of[placed.ticket] and "Bagindo" not in row_of[placed.ticket]
