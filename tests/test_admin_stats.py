"""The quick-win dashboard: figures on a small seeded history, scope, targets, CSV and the monthly report."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import select

from admin.charts import bar_chart
from admin.figures import BY_KEY, fmt, on_track, parse_target
from knowledge.records.models import ResidentRow, TargetRow
from tests.admin_support import AdminWorld

UTC = dt.timezone.utc
PERIOD = "dari=2025-03-01&sampai=2025-03-10"


def at(day: int, hour: int = 2, month: int = 3) -> dt.datetime:
    """Return a UTC time on a day of 2025 (02:00 UTC is 09:00 in Padang)."""
    return dt.datetime(2025, month, day, hour, tzinfo=UTC)


async def seed(world: AdminWorld) -> dict[str, str]:
    """Three residents' questions and feedback, three complaints (two DLH, one DPUPR).

    Complaint figures count the complaints filed in the period, whenever they were closed or rated.
    """
    await world.event("question", user="A", outcome="answer", answered=True, faq_key="jadwal-buang-sampah",
                      opd="dlh", at=at(1, month=2))  # A was here before the period: returning
    for day in (3, 4):
        await world.event("question", user="A", outcome="answer", answered=True, faq_key="jadwal-buang-sampah",
                          opd="dlh", at=at(day))
    await world.event("question", user="B", channel="telegram", outcome="abstain", answered=False, at=at(4))
    await world.event("unanswered", user="B", channel="telegram", text="harga tiket pesawat", at=at(4))
    await world.event("question", user="C", outcome="answer", answered=True, faq_key="ktp-el-hilang",
                      opd="disdukcapil", at=at(5))
    await world.event("feedback", user="C", outcome="up", faq_key="ktp-el-hilang", opd="disdukcapil", at=at(5))
    await world.event("feedback", user="A", outcome="down", faq_key="jadwal-buang-sampah", opd="dlh", at=at(4))
    await world.event("question", user="D", outcome="answer", answered=True, at=at(15))  # after the period

    world.clock.now = at(3)  # Monday 3 March, 09:00 WIB
    c1 = await world.file_complaint(description="c1", user="r1")
    c2 = await world.file_complaint(description="c2", user="r2", category="pencemaran")
    c3 = await world.file_complaint(opd="dpupr", category="jalan-rusak", description="c3", user="r3")
    async with world.db.session() as session:
        world.clock.now = at(3, 4)
        await world.complaints.set_status(session, c1.ticket, "diproses", note="", actor="dlh.admin")
        world.clock.now = at(4, 2)
        await world.complaints.set_status(session, c2.ticket, "diterima", note="", actor="dlh.admin")
        world.clock.now = at(5)
        await world.complaints.set_status(session, c1.ticket, "selesai", note="ok", actor="dlh.admin")
        world.clock.now = at(11)  # due 10 March (5 working days): one day late
        await world.complaints.set_status(session, c2.ticket, "selesai", note="ok", actor="dlh.admin")
        for ticket, user, stars in ((c1.ticket, "r1", 5), (c2.ticket, "r2", 3)):
            resident = await session.scalar(select(ResidentRow).where(ResidentRow.external_id == user))
            assert await world.complaints.rate(session, resident.id, ticket, stars)
        await session.commit()
    return {"c1": c1.ticket, "c2": c2.ticket, "c3": c3.ticket}


async def _csv(world: AdminWorld, query: str) -> dict[str, list[str]]:
    resp = await world.client.get(f"/admin/stats.csv?{query}")
    assert resp.status == 200 and resp.content_type == "text/csv"
    rows = list(csv.reader(io.StringIO(await resp.text())))
    assert rows[0] == ["bagian", "kunci", "keterangan", "nilai", "target", "sesuai_target"]
    return {r[1]: r for r in rows if r[0] == "angka"} | {f"{r[0]}:{r[1]}:{r[2]}": r for r in rows if r[0] != "angka"}


async def test_city_figures_for_a_period(any_world: AdminWorld) -> None:
    world = any_world
    await seed(world)
    await world.login("kominfo")
    figures = await _csv(world, PERIOD)
    value = {k: r[3] for k, r in figures.items()}
    assert value["residents"] == "3" and value["residents_new"] == "2" and value["residents_returning"] == "1"
    assert value["questions"] == "4" and value["answer_rate"] == "0.75" and value["unanswered_rate"] == "0.25"
    assert value["thumbs_up_rate"] == "0.5"
    assert value["complaints"] == "3"
    assert value["first_response_hours"] == "13.0"  # median of 2 h and 24 h
    assert value["resolution_days"] == "5.0"  # median of 2 and 8 days
    assert value["within_sla_rate"] == "0.5" and value["resolution_rate"] == "0.6667"
    assert value["satisfaction"] == "4.0"
    assert figures["kanal:web:warga"][3] == "2" and figures["kanal:telegram:warga baru"][3] == "1"
    assert figures["pertanyaan_teratas:jadwal-buang-sampah:"][3] == "2"
    assert figures["pengaduan_per_opd::Dinas Lingkungan Hidup"][3] == "2"
    page = await world.get(f"/admin/stats?{PERIOD}")
    assert "75%" in page and "Jam berapa boleh membuang sampah ke TPS?" in page and "<svg" in page
    assert "1 Maret 2025 – 10 Maret 2025" in page


async def test_daily_chart_counts_by_city_day(any_world: AdminWorld) -> None:
    world = any_world
    # 23:30 UTC on 3 March is already 4 March in Padang (UTC+7).
    await world.event("question", user="late", outcome="answer", answered=True, at=dt.datetime(2025, 3, 3, 23, 30,
                                                                                                tzinfo=UTC))
    await world.login("kominfo")
    page = await world.get("/admin/stats?dari=2025-03-03&sampai=2025-03-04")
    assert "4/3: Pertanyaan 1" in page and "3/3: Pertanyaan 0" in page


async def test_opd_admin_sees_only_own_figures(world: AdminWorld) -> None:
    await seed(world)
    await world.login("dlh.admin")
    value = {k: r[3] for k, r in (await _csv(world, PERIOD)).items()}
    assert value["questions"] == "2" and value["residents"] == "1" and value["complaints"] == "2"
    assert value["thumbs_up_rate"] == "0.0" and value["resolution_rate"] == "1.0"
    page = await world.get(f"/admin/stats?{PERIOD}")
    assert "Statistik Dinas Lingkungan Hidup" in page and "Pengaduan per OPD" not in page


async def test_kominfo_can_look_at_one_opd(world: AdminWorld) -> None:
    await seed(world)
    await world.login("kominfo")
    value = {k: r[3] for k, r in (await _csv(world, f"{PERIOD}&opd=dpupr")).items()}
    assert value["complaints"] == "1" and value["questions"] == "0" and value["resolution_rate"] == "0.0"


async def test_targets_mark_figures_on_or_off_track(world: AdminWorld) -> None:
    await seed(world)
    async with world.db.session() as session:
        session.add_all([TargetRow(figure="answer_rate", value=0.8), TargetRow(figure="unanswered_rate", value=0.3)])
        await session.commit()
    await world.login("kominfo")
    figures = await _csv(world, PERIOD)
    assert figures["answer_rate"][4:] == ["0.8", "tidak"]
    assert figures["unanswered_rate"][4:] == ["0.3", "ya"]
    page = await world.get(f"/admin/stats?{PERIOD}")
    assert "Belum sesuai target" in page and "Sesuai target" in page


async def test_monthly_report_is_printable(world: AdminWorld) -> None:
    await seed(world)
    await world.login("dlh.admin")
    page = await world.get("/admin/stats/report?month=2025-03")
    assert "Laporan bulanan Tanya Kota" in page and "Maret 2025" in page and "data-print" in page
    assert "Dinas Lingkungan Hidup" in page
    await world.get("/admin/stats/report?month=2025-13", status=400)
    assert "Bulan berjalan: angka sampai" in page  # the month under way stops today
    assert "Bulan berjalan" not in await world.get("/admin/stats/report?month=2025-02")
    await world.get("/admin/stats/report?month=2025-04", status=400)  # not begun


def test_figure_formatting_and_targets() -> None:
    assert fmt(BY_KEY["answer_rate"], 0.756) == "76%"
    assert fmt(BY_KEY["questions"], 12345) == "12.345"
    assert fmt(BY_KEY["first_response_hours"], 5.25) == "5,2 jam"
    assert fmt(BY_KEY["satisfaction"], None) == "–"
    assert parse_target(BY_KEY["answer_rate"], "80%") == 0.8
    assert parse_target(BY_KEY["answer_rate"], "72,5 %") == 0.725
    # Indonesian numbers: a dot groups thousands, a comma starts the decimals.
    assert parse_target(BY_KEY["questions"], "2.500") == 2500
    assert parse_target(BY_KEY["questions"], "1.000.000") == 1_000_000
    assert parse_target(BY_KEY["first_response_hours"], "1,5") == 1.5
    assert parse_target(BY_KEY["first_response_hours"], "2.5") == 2.5
    assert parse_target(BY_KEY["questions"], "") is None
    for nonsense in ("1e308", "inf", "nan", "-3", "1.5", "12abc", "99999999999"):
        with pytest.raises(ValueError):
            parse_target(BY_KEY["questions"], nonsense)
    assert on_track(BY_KEY["resolution_days"], 3.0, 5.0) is True
    assert on_track(BY_KEY["answer_rate"], 0.7, 0.8) is False
    assert on_track(BY_KEY["complaints"], 10, 5) is None


def test_bar_chart_scales_to_the_largest_value() -> None:
    chart = bar_chart("t", ["a", "b"], [("s", "S", [5, 10])])
    heights = [b.height for b in chart.bars]
    assert heights[1] == 2 * heights[0] and not chart.empty
    assert bar_chart("t", ["a"], [("s", "S", [0])]).empty


async def test_a_withdrawn_complaint_counts_but_not_against_the_opd(any_world: AdminWorld) -> None:
    world = any_world
    await seed(world)
    world.clock.now = at(6)
    c4 = await world.file_complaint(description="c4", user="r4")
    async with world.db.session() as session:
        resident = await session.scalar(select(ResidentRow).where(ResidentRow.external_id == "r4"))
        assert (await world.complaints.withdraw(session, resident.id, c4.ticket)).status == "dibatalkan"
        await session.commit()
    await world.login("kominfo")
    value = {k: r[3] for k, r in (await _csv(world, PERIOD)).items()}
    assert value["complaints"] == "4"
    # Solved 2 of the 3 the OPDs had to solve; response and resolution times only count staff's work.
    assert value["resolution_rate"] == "0.6667" and value["first_response_hours"] == "13.0"
    assert value["resolution_days"] == "5.0"
    page = await world.get(f"/admin/complaints/{c4.ticket}")
    assert "Dibatalkan pelapor" in page and "Dibatalkan atas permintaan pelapor" in page


async def test_a_period_reaching_into_the_future_stops_today_and_says_so(world: AdminWorld) -> None:
    from admin.timeutil import parse_period

    today = dt.date(2025, 3, 10)  # the world's clock
    cases = {
        ("2025-01-01", "2027-12-31"): (dt.date(2025, 1, 1), today, "dipotong sampai hari ini"),
        ("1900-01-01", "2100-12-31"): (today - dt.timedelta(days=366), today, "satu tahun"),
        ("abc", "2025-03-05"): (dt.date(2025, 2, 4), dt.date(2025, 3, 5), "tidak dapat dibaca"),
        ("2025-03-05", "2025-03-01"): (dt.date(2025, 3, 1), dt.date(2025, 3, 5), "ditukar"),
        ("2025-03-01", "2025-03-05"): (dt.date(2025, 3, 1), dt.date(2025, 3, 5), ""),
    }
    for (start, end), (first, last, note) in cases.items():
        period = parse_period(world.ctx, start, end)
        assert (period.start, period.last) == (first, last), (start, end)
        assert (note in period.note) if note else period.note == "", (start, end, period.note)
    await world.login("kominfo")
    page = await world.get("/admin/stats?dari=2025-01-01&sampai=2027-12-31")
    assert "dipotong sampai hari ini" in page and "1 Januari 2025 – 10 Maret 2025" in page
