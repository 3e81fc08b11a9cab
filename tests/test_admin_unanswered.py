"""Unanswered questions and 👎-rated answers, grouped, with "jadikan FAQ" and dismiss."""

from __future__ import annotations

import datetime as dt
import html
import re

from admin.unanswered import cluster
from knowledge.normalize import Normalizer
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
    await world.login("dlh.admin")
    page = await world.get("/admin/unanswered")
    assert "<script>alert" not in page and "&lt;script&gt;" in page
