"""Unanswered questions and 👎-rated answers, grouped, with "jadikan FAQ" and dismiss."""

from __future__ import annotations

import datetime as dt
import html
import re

from sqlalchemy import select

from admin.unanswered import cluster
from knowledge.normalize import Normalizer
from knowledge.records.models import FaqRow
from tests.admin_support import AdminWorld

T = dt.datetime(2025, 3, 9, 5, tzinfo=dt.timezone.utc)


def test_similar_questions_fall_into_one_group() -> None:
    tokens = Normalizer.default().tokens
    groups = cluster([
        ("gimana cara daftar bank sampah", "dlh", T),
        ("cara mendaftar bank sampah dmn ya", None, T),
        ("daftar bank sampah gmn caranya", "dlh", T),
        ("jadwal vaksin anak di puskesmas", None, T),
        ("jadwal vaksinasi anak puskesmas kapan", None, T),
        ("harga tiket pesawat", None, T),
    ], tokens)
    sizes = sorted((g.count for g in groups), reverse=True)
    assert sizes == [3, 2, 1]
    bank = max(groups, key=lambda g: g.count)
    assert bank.opd == "dlh" and len(bank.examples) == 3


async def _seed(world: AdminWorld) -> None:
    for i, text in enumerate(("gimana cara daftar bank sampah", "cara mendaftar bank sampah dmn ya",
                              "daftar bank sampah gmn caranya")):
        await world.event("unanswered", user=f"w{i}", text=text, opd="dlh", at=T)
    await world.event("unanswered", text="trotoar depan sekolah pecah siapa yang perbaiki", opd="dpupr", at=T)
    await world.event("feedback", outcome="down", faq_key="jadwal-buang-sampah", text="jam buang sampah", at=T)
    await world.event("feedback", outcome="down", faq_key="jadwal-buang-sampah", text="boleh buang sampah siang?", at=T)
    await world.event("feedback", outcome="up", faq_key="jadwal-buang-sampah", text="jam buang sampah", at=T)


async def test_opd_admin_sees_groups_counts_and_rated_answers(world: AdminWorld) -> None:
    await _seed(world)
    await world.login("dlh.admin")
    page = await world.get("/admin/unanswered")
    assert "bank sampah" in page and '<td class="num">3</td>' in page
    assert "trotoar" not in page  # dpupr's
    assert "Jam berapa boleh membuang sampah ke TPS?" in page and '<td class="num">2</td>' in page
    assert "boleh buang sampah siang?" in page


async def test_make_faq_prefills_the_form(world: AdminWorld) -> None:
    await _seed(world)
    await world.login("dlh.admin")
    page = await world.get("/admin/unanswered")
    link = html.unescape(re.search(r'href="(/admin/faqs/new\?[^"]+)"', page).group(1))
    form = await world.get(link)
    assert re.search(r'name="question" value="[^"]*bank sampah[^"]*"', form)
    alternatives = re.search(r'name="alternatives" rows="4">([^<]*)<', form).group(1)
    assert alternatives.count("bank sampah") == 2  # the other questions become alternatives
    # Saving the FAQ made from the group takes the group off the list.
    question = html.unescape(re.search(r'name="question" value="([^"]*)"', form).group(1))
    group = html.unescape(re.search(r'name="group" value="([^"]*)"', form).group(1))
    await world.post("/admin/faqs/new", {"question": question, "alternatives": "", "group": group,
                                         "answer": "Datang ke bank sampah kelurahan dengan KTP."}, status=303)
    page = await world.get("/admin/unanswered")
    assert "bank sampah" not in page


async def test_dismissed_group_comes_back_when_asked_again(world: AdminWorld) -> None:
    await _seed(world)
    await world.login("dlh.admin")
    page = await world.get("/admin/unanswered")
    signature = html.unescape(re.search(r'name="kind" value="question">\s*<input type="hidden" name="signature" '
                                        r'value="([^"]+)"', page).group(1))
    await world.post("/admin/unanswered/dismiss", {"kind": "question", "signature": signature}, status=303)
    await world.post("/admin/unanswered/dismiss", {"kind": "feedback", "signature": "jadwal-buang-sampah"}, status=303)
    page = await world.get("/admin/unanswered")
    assert "bank sampah" not in page and "Tidak ada jawaban yang dinilai" in page
    # Still visible to another OPD's view? Kominfo did not dismiss it: it still sees the group.
    world.client.session.cookie_jar.clear()
    await world.login("kominfo")
    assert "bank sampah" in await world.get("/admin/unanswered")
    # A new, similar question after the dismissal brings the group back.
    world.clock.advance(minutes=5)
    await world.event("unanswered", user="w9", text="cara daftar bank sampah", opd="dlh")
    world.client.session.cookie_jar.clear()
    await world.login("dlh.admin")
    assert "bank sampah" in await world.get("/admin/unanswered")


async def test_dismiss_needs_a_group(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    resp = await world.post("/admin/unanswered/dismiss", {"kind": "apa", "signature": ""})
    assert resp.status == 400


async def test_xss_in_questions_is_rendered_inert(world: AdminWorld) -> None:
    await world.event("unanswered", text='<script>alert(1)</script> bank sampah', opd="dlh", at=T)
    await world.event("choice", outcome="faq", faq_key="jadwal-buang-sampah", text='"><script>alert(2)</script>', at=T)
    await world.login("dlh.admin")
    page = await world.get("/admin/unanswered")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)" in page and "&lt;script&gt;alert(2)" in page


async def _seed_choices(world: AdminWorld) -> None:
    """Residents who picked an entry from the "did you mean" menu, in their own words."""
    for i, text in enumerate(("jam brp boleh buang sampah min", "buang sampah ke tps bisa siang?",
                              "kapan waktu membuang sampah ke tempat pembuangan sementara")):  # already an alternative
        await world.event("choice", outcome="faq", user=f"w{i}", faq_key="jadwal-buang-sampah", opd="dlh",
                          text=text, at=T)
    await world.event("choice", outcome="faq", faq_key="jadwal-buang-sampah", opd="dlh", at=T)  # a follow-up: no text
    await world.event("choice", outcome="faq", faq_key="ktp-el-hilang", opd="disdukcapil", text="ktp ilang gmn", at=T)


async def test_questions_answered_by_a_choice_become_alternatives(any_world: AdminWorld) -> None:
    world = any_world
    await _seed_choices(world)
    await world.login("dlh.admin")
    page = await world.get("/admin/unanswered")
    assert "<title>Pertanyaan tak terjawab" in page
    [_, chosen] = page.split("setelah warga memilih dari saran")
    assert "Jam berapa boleh membuang sampah ke TPS?" in chosen and '<td class="num">4</td>' in chosen
    assert "jam brp boleh buang sampah min" in chosen and "buang sampah ke tps bisa siang?" in chosen
    assert "tempat pembuangan sementara" not in chosen  # the entry has that phrasing already
    assert "ktp ilang" not in page  # disdukcapil's entry
    link = html.unescape(re.search(r'href="(/admin/faqs/jadwal-buang-sampah\?[^"]+)"', chosen).group(1))
    form = await world.get(link)
    assert "2 pertanyaan warga ditambahkan" in form
    alternatives = html.unescape(re.search(r'name="alternatives" rows="4">([^<]*)<', form).group(1)).splitlines()
    assert alternatives[0] == "kapan waktu membuang sampah ke tempat pembuangan sementara"
    assert sorted(alternatives[1:]) == ["buang sampah ke tps bisa siang?", "jam brp boleh buang sampah min"]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert fields["group"] == "jadwal-buang-sampah"
    # The admin drops one that does not fit, and saves: the entry has the other, and the group is dealt with.
    await world.post("/admin/faqs/jadwal-buang-sampah", {
        "version": fields["version"], "group": fields["group"], "question": "Jam berapa boleh membuang sampah ke TPS?",
        "alternatives": "\n".join(alternatives[:2]), "answer": "Sampah dibuang ke TPS pukul **18.00–06.00**.",
        "keywords": "sampah, tps, jam"}, status=303)
    async with world.db.session() as session:
        row = await session.scalar(select(FaqRow).where(FaqRow.key == "jadwal-buang-sampah"))
    assert row is not None and row.alternatives == alternatives[:2]
    page = await world.get("/admin/unanswered")
    assert "Tidak ada pertanyaan yang dijawab lewat pilihan saran" in page
    # Kominfo sees every OPD's entries, and can set a group aside.
    world.client.session.cookie_jar.clear()
    await world.login("kominfo")
    page = await world.get("/admin/unanswered")
    assert "ktp ilang gmn" in page
    await world.post("/admin/unanswered/dismiss", {"kind": "choice", "signature": "ktp-el-hilang"}, status=303)
    assert "ktp ilang gmn" not in await world.get("/admin/unanswered")


async def test_new_phrasings_in_the_link_are_only_added_to_the_form(world: AdminWorld) -> None:
    await world.login("dlh.admin")
    form = await world.get("/admin/faqs/jadwal-buang-sampah?variasi=%3Cb%3Ejam%3C/b%3E&variasi=%20&group=lain")
    assert "1 pertanyaan warga ditambahkan" in form and "&lt;b&gt;jam&lt;/b&gt;" in form and "<b>jam" not in form
    assert 'name="group"' not in form  # a group that is not this entry's is not dismissed by saving it
    async with world.db.session() as session:
        row = await session.scalar(select(FaqRow).where(FaqRow.key == "jadwal-buang-sampah"))
    assert row is not None and row.alternatives == ["kapan waktu membuang sampah ke tempat pembuangan sementara"]
