"""FAQ editing on the admin page: list, new, edit, archive, versions, restore, review, try, import/export."""

from __future__ import annotations

import datetime as dt

import yaml
from aiohttp import FormData
from sqlalchemy import select

from knowledge.records.kbstore import revision
from knowledge.records.live import LiveKnowledge
from knowledge.records.models import AuditRow, FaqRow, FaqVersionRow
from tests.admin_support import AdminWorld
from tests.conftest_chat import chat_kb

NEW_FAQ = {
    "question": "Bagaimana cara mendaftar bank sampah?",
    "alternatives": "daftar bank sampah\ncara ikut bank sampah di kelurahan",
    "answer": "Datang ke bank sampah terdekat dengan membawa KTP.\n- Pilah sampah dulu.",
    "keywords": "bank sampah, nasabah",
    "source": "DLH Kota Uji",
    "review_by": "2026-12-31",
}


async def _faq(world: AdminWorld, key: str) -> FaqRow:
    async with world.db.session() as session:
        row = await session.scalar(select(FaqRow).where(FaqRow.key == key))
    assert row is not None
    return row


async def test_opd_admin_sees_only_own_faqs_and_can_search(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    page = await world.get("/admin/faqs")
    assert "Jam berapa boleh membuang sampah ke TPS?" in page
    assert "KTP-el" not in page  # disdukcapil's entries
    page = await world.get("/admin/faqs?q=tps")
    assert "Jam berapa boleh membuang sampah" in page
    page = await world.get("/admin/faqs?q=ktp")
    assert "Belum ada FAQ" in page


async def test_new_faq_is_saved_versioned_audited_and_answered_by_the_bot(any_world: AdminWorld) -> None:
    world = any_world
    other_instance = LiveKnowledge(world.db, chat_kb(), check_every=0)  # another `serve` on the same database
    await other_instance.refresh(force=True)
    await world.login("dlh.admin")
    before = await _rev(world)
    resp = await world.post("/admin/faqs/new", NEW_FAQ, status=303)
    key = resp.headers["Location"].split("/admin/faqs/")[1].split("?")[0]
    assert key.startswith("dlh-bagaimana-cara-mendaftar-bank-sampah")
    row = await _faq(world, key)
    assert row.alternatives == ["daftar bank sampah", "cara ikut bank sampah di kelurahan"]
    assert row.keywords == ["bank sampah", "nasabah"] and row.review_by == dt.date(2026, 12, 31)
    assert row.updated_by == "dlh.admin" and row.version == 1
    assert await _rev(world) == before + 1  # every instance reloads
    async with world.db.session() as session:
        versions = (await session.scalars(select(FaqVersionRow).where(FaqVersionRow.faq_id == row.id))).all()
        audit = (await session.scalars(select(AuditRow).where(AuditRow.action == "faq_create"))).all()
    assert [(v.version, v.action, v.changed_by) for v in versions] == [(1, "create", "dlh.admin")]
    assert audit[0].target == key and audit[0].username == "dlh.admin"
    # The bot answers it after a refresh (LiveKnowledge polls the revision).
    await world.live.refresh()
    match = world.live.matcher.match("gimana cara daftar bank sampah")
    assert match.decision == "answer" and match.faq.id == key
    assert await other_instance.refresh() and other_instance.kb.faq(key) is not None
    # The "coba" box shows the answer and the score.
    page = await world.get("/admin/faqs/try?q=gimana+cara+daftar+bank+sampah")
    assert "Bot menjawab" in page and NEW_FAQ["question"] in page and "Skor kecocokan" in page


async def _rev(world: AdminWorld) -> int:
    async with world.db.session() as session:
        return await revision(session)


async def test_form_errors_are_shown_in_indonesian(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    resp = await world.post("/admin/faqs/new", {"question": "", "answer": "", "review_by": "31-12-2026"})
    page = await resp.text()
    assert resp.status == 400
    assert "Pertanyaan wajib diisi" in page and "Jawaban wajib diisi" in page and "Tanggal tidak valid" in page


async def test_a_question_another_entry_already_has_is_refused(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    existing = await _faq(world, "jadwal-buang-sampah")
    copy = {**NEW_FAQ, "question": existing.question.upper().rstrip("?") + " ?"}  # case and spacing aside
    resp = await world.post("/admin/faqs/new", copy)
    page = await resp.text()
    assert resp.status == 400 and "sudah ada di FAQ lain" in page
    resp = await world.post("/admin/faqs/new", {**NEW_FAQ, "alternatives": existing.question})
    assert resp.status == 400 and "sudah ada di FAQ lain" in await resp.text()
    # Saving an entry with its own question unchanged is fine; an archived entry's question may be reused.
    edited = {"question": existing.question, "answer": "Pukul 18.00–06.00 WIB.", "alternatives": "",
              "keywords": "sampah", "version": str(existing.version)}
    await world.post("/admin/faqs/jadwal-buang-sampah", edited, status=303)
    await world.post("/admin/faqs/jadwal-buang-sampah/archive", {"archived": "1"}, status=303)
    await world.post("/admin/faqs/new", copy, status=303)


async def test_kominfo_chooses_the_opd_for_a_new_faq(world: AdminWorld) -> None:
    await world.login("kominfo")
    resp = await world.post("/admin/faqs/new", {**NEW_FAQ, "opd": ""})
    assert resp.status == 400 and "Pilih OPD" in await resp.text()
    resp = await world.post("/admin/faqs/new", {**NEW_FAQ, "question": "Jalan rusak lapor ke mana?", "opd": "dpupr"},
                            status=303)
    key = resp.headers["Location"].split("/admin/faqs/")[1].split("?")[0]
    assert key.startswith("dpupr-")


async def test_opd_admin_cannot_create_for_another_opd(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    resp = await world.post("/admin/faqs/new", {**NEW_FAQ, "opd": "dpupr"}, status=303)
    key = resp.headers["Location"].split("/admin/faqs/")[1].split("?")[0]
    assert key.startswith("dlh-")  # the OPD field is ignored: always the admin's own OPD


async def test_edit_archive_versions_and_restore(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    key = "jadwal-buang-sampah"
    original = await _faq(world, key)
    page = await world.get(f"/admin/faqs/{key}")
    assert original.question in page and 'name="version"' in page
    edited = {"question": original.question, "answer": "Pukul 18.00–06.00 WIB.", "alternatives": "",
              "keywords": "sampah", "version": str(original.version)}
    await world.post(f"/admin/faqs/{key}", edited, status=303)
    row = await _faq(world, key)
    assert row.answer == "Pukul 18.00–06.00 WIB." and row.version == original.version + 1
    # A stale form (someone else saved meanwhile) is refused instead of overwriting.
    resp = await world.post(f"/admin/faqs/{key}", {**edited, "answer": "lama"})
    assert resp.status == 400 and "sudah diubah" in await resp.text()
    # Versions show who changed what.
    page = await world.get(f"/admin/faqs/{key}/versions")
    assert "Jawaban" in page and "dlh.admin" in page and f"Pulihkan versi {original.version}" in page
    # Restore the first version: its content comes back as a new version.
    await world.post(f"/admin/faqs/{key}/restore", {"version": str(original.version)}, status=303)
    row = await _faq(world, key)
    assert row.answer == original.answer and row.version == original.version + 2
    # Archive: the bot stops answering it; unarchive brings it back.
    await world.post(f"/admin/faqs/{key}/archive", {"archived": "1"}, status=303)
    assert (await _faq(world, key)).archived
    await world.live.refresh()
    assert world.live.kb.faq(key) is None
    assert "Jam berapa boleh" not in await world.get("/admin/faqs")
    assert "Jam berapa boleh" in await world.get("/admin/faqs?arsip=1")
    await world.post(f"/admin/faqs/{key}/archive", {"archived": "0"}, status=303)
    await world.live.refresh()
    assert world.live.kb.faq(key) is not None
    async with world.db.session() as session:
        actions = (await session.scalars(select(AuditRow.action).order_by(AuditRow.id))).all()
    assert {"faq_update", "faq_restore", "faq_archive", "faq_unarchive"} <= set(actions)


async def test_restore_of_an_unknown_version_is_404(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    resp = await world.post("/admin/faqs/jadwal-buang-sampah/restore", {"version": "99"})
    assert resp.status == 404


async def test_review_list_shows_entries_past_their_date(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    await world.post("/admin/faqs/new", {**NEW_FAQ, "review_by": "2025-01-31"}, status=303)
    page = await world.get("/admin/review")
    assert NEW_FAQ["question"] in page and "31 Januari 2025" in page
    assert "perlu ditinjau" in (await world.get("/admin/faqs"))
    world.clock.now = dt.datetime(2024, 12, 1, tzinfo=dt.timezone.utc)  # before the date: nothing to review
    assert NEW_FAQ["question"] not in await world.get("/admin/review")


async def test_try_box_shows_abstain_and_suggestions(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    page = await world.get("/admin/faqs/try?q=resep+rendang+padang")
    assert "Bot tidak tahu" in page
    page = await world.get("/admin/faqs/try?q=ktp+hilang")
    assert "KTP-el" in page and "Skor kecocokan" in page
    # Another OPD's entry is shown (it is what the bot would say) but not linked for editing.
    assert 'href="/admin/faqs/ktp-el-hilang"' not in page


async def test_export_gives_the_opd_yaml_file(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    resp = await world.client.get("/admin/faqs/export")
    assert resp.status == 200 and 'filename="dlh.yaml"' in resp.headers["Content-Disposition"]
    data = yaml.safe_load(await resp.text())
    assert data["slug"] == "dlh" and [f["id"] for f in data["faqs"]] == ["jadwal-buang-sampah"]
    assert data["complaint_categories"][0]["code"] == "sampah-tidak-diangkut"


def _upload(text: str, token: str, opd: str | None = None) -> FormData:
    form = FormData()
    form.add_field("csrf_token", token)
    if opd:
        form.add_field("opd", opd)
    form.add_field("file", text.encode(), filename="dlh.yaml", content_type="application/x-yaml")
    return form


async def test_import_round_trips_and_reports_problems(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    exported = yaml.safe_load(await (await world.client.get("/admin/faqs/export")).text())
    exported["faqs"][0]["answer"] = "Jawaban baru dari file."
    exported["faqs"].append({"id": "dlh-bank-sampah", "question": "Apa itu bank sampah?",
                             "answer": "Tempat menabung sampah."})
    resp = await world.client.post("/admin/faqs/import", data=_upload(yaml.safe_dump(exported, allow_unicode=True),
                                                                      await world.token()))
    page = await resp.text()
    assert resp.status == 200, page
    assert "1 FAQ baru, 1 diubah" in page
    assert (await _faq(world, "jadwal-buang-sampah")).answer == "Jawaban baru dari file."
    assert (await _faq(world, "dlh-bank-sampah")).updated_by == "dlh.admin"
    # An archived entry stays archived when an (older) file still has it, and the page says so.
    await world.post("/admin/faqs/dlh-bank-sampah/archive", {"archived": "1"}, status=303)
    exported["faqs"][-1]["answer"] = "Jawaban lama dari file lama."
    resp = await world.client.post("/admin/faqs/import", data=_upload(yaml.safe_dump(exported, allow_unicode=True),
                                                                      await world.token()))
    assert "1 FAQ di file ini sedang diarsipkan" in await resp.text()
    row = await _faq(world, "dlh-bank-sampah")
    assert row.archived and row.answer == "Tempat menabung sampah."
    # A broken file: problems with their lines, nothing saved.
    broken = "slug: dlh\nname: DLH\nfaqs:\n  - id: dlh-rusak\n    question: Tanpa jawaban?\n"
    resp = await world.client.post("/admin/faqs/import", data=_upload(broken, await world.token()))
    page = await resp.text()
    assert resp.status == 400 and "File tidak diimpor" in page and "Baris 4" in page and "answer" in page
    assert "&#39;answer&#39; wajib diisi" in page or "'answer' wajib diisi" in page  # said in Indonesian
    picture = FormData()
    picture.add_field("csrf_token", await world.token())
    picture.add_field("file", b"\x89PNG\r\n\x1a\n\x00", filename="dlh.yaml", content_type="application/x-yaml")
    resp = await world.client.post("/admin/faqs/import", data=picture)
    assert resp.status == 400 and "File tidak dapat dibaca" in await resp.text()
    resp = await world.client.post("/admin/faqs/import", data=_upload("faqs: [\n", await world.token()))
    assert resp.status == 400 and "Format YAML tidak valid" in await resp.text()
    # Another OPD's slug or another OPD's FAQ id is refused.
    resp = await world.client.post("/admin/faqs/import", data=_upload(
        "slug: dpupr\nname: DPUPR\nfaqs: []\n", await world.token()))
    assert resp.status == 400 and "bukan &#39;dlh&#39;" in await resp.text()
    stolen = "slug: dlh\nname: DLH\nfaqs:\n  - id: ktp-el-hilang\n    question: Q?\n    answer: A\n"
    resp = await world.client.post("/admin/faqs/import", data=_upload(stolen, await world.token()))
    assert resp.status == 400 and "sudah dipakai OPD lain" in await resp.text()
    async with world.db.session() as session:
        ktp = await session.scalar(select(FaqRow).where(FaqRow.key == "ktp-el-hilang"))
    assert ktp.question != "Q?"


async def test_xss_in_faq_text_is_rendered_inert(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    resp = await world.post("/admin/faqs/new", {"question": f"Pertanyaan {payload}", "answer": f"Jawaban {payload}",
                                                "alternatives": payload, "keywords": payload, "source": payload},
                            status=303)
    key = resp.headers["Location"].split("/admin/faqs/")[1].split("?")[0]
    for path in ("/admin/faqs", f"/admin/faqs/{key}", f"/admin/faqs/{key}/versions",
                 f"/admin/faqs/try?q={payload}"):
        page = await world.get(path)
        assert "<script>alert" not in page and "<img src=x" not in page, path
    assert "&lt;script&gt;" in await world.get(f"/admin/faqs/{key}")


def test_control_characters_pasted_into_an_faq_are_dropped() -> None:
    from admin.faqstore import parse_form

    faq, errors = parse_form({"question": "Jam\x00 buka\x07 kantor?", "answer": "Senin\x00–Jumat\n\t08.00\x1b",
                              "alternatives": "jam\x00 layanan", "keywords": "jam\x00, buka"})
    assert not errors
    assert (faq.question, faq.answer, faq.alternatives, faq.keywords) == (
        "Jam buka kantor?", "Senin–Jumat\n\t08.00", ("jam layanan",), ("jam", "buka"))
