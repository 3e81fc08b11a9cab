"""Complaints: filing exactly once, the status lifecycle, reassignment, ratings and due dates."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select, update

from tests.clock import Clock
from knowledge.kb import KnowledgeBase
from knowledge.records import complaints as complaints_module
from knowledge.records import kbstore
from knowledge.records.complaints import ComplaintError, ComplaintService, status_label
from knowledge.records.db import Database
from knowledge.records.models import ComplaintRow, OpdRow, OutboxRow, ResidentRow
from knowledge.records.outbox import Outbox
from knowledge.records.residents import get_or_create_resident
from knowledge.records.tickets import TICKET_RE

FRIDAY_MORNING = dt.datetime(2026, 3, 6, 2, 0, tzinfo=dt.timezone.utc)  # 09:00 WIB


@pytest.fixture
async def db(database: Database, padang_kb: KnowledgeBase) -> AsyncIterator[Database]:
    async with database.session() as s:
        await kbstore.import_kb(s, padang_kb)
        await s.execute(update(OpdRow).where(OpdRow.slug == "dlh").values(telegram_chat_id="-100777"))
        await s.commit()
    yield database


@pytest.fixture
def clock() -> Clock:
    return Clock(FRIDAY_MORNING)


@pytest.fixture
def service(padang_kb: KnowledgeBase, clock: Clock) -> ComplaintService:
    return ComplaintService(lambda: padang_kb, Outbox(), holidays={dt.date(2026, 3, 9)}, clock=clock)


async def resident(db: Database, external_id: str = "1001", channel: str = "telegram") -> ResidentRow:
    async with db.session() as s:
        row = await get_or_create_resident(s, channel, external_id, "Budi")
        await s.commit()
        return row


async def file(db: Database, service: ComplaintService, who: ResidentRow, key: str = "k1", opd: str = "dlh",
               category: str | None = "sampah-tidak-diangkut") -> ComplaintRow:
    async with db.session() as s:
        row = await service.file(s, resident=who, opd=opd, category=category,
                                 description="Sampah di TPS Jl. Sudirman 3 hari tidak diangkut, hp 081234567890",
                                 address="Jl. Sudirman", idempotency_key=key)
        await s.commit()
        return row


async def outbox_rows(db: Database, kind: str | None = None) -> list[OutboxRow]:
    async with db.session() as s:
        stmt = select(OutboxRow).order_by(OutboxRow.id)
        if kind:
            stmt = stmt.where(OutboxRow.kind == kind)
        return list((await s.scalars(stmt)).all())


async def set_status(db: Database, service: ComplaintService, ticket: str, status: str, **kw) -> ComplaintRow:
    async with db.session() as s:
        row = await service.set_status(s, ticket, status, actor=kw.pop("actor", "admin.dlh"), **kw)
        await s.commit()
        return row


async def test_file_gives_a_ticket_due_date_timeline_and_opd_notice(db: Database, service: ComplaintService,
                                                                    padang_kb: KnowledgeBase) -> None:
    who = await resident(db)
    row = await file(db, service, who)
    assert TICKET_RE.fullmatch(row.ticket) and row.ticket.startswith("PDG-")
    assert padang_kb.sla_days("sampah-tidak-diangkut") == 3
    assert row.due_date == dt.date(2026, 3, 12)  # filed Friday; Monday 9 March is a holiday in this test
    assert (row.status, row.opd_id is not None, row.first_response_at) == ("baru", True, None)
    async with db.session() as s:
        events = await service.timeline(s, row.id)
    assert [(e.status, e.actor, e.to_opd) for e in events] == [("baru", "resident", "dlh")]
    [notice] = await outbox_rows(db)
    assert (notice.kind, notice.channel, notice.recipient) == ("opd_notice", "telegram", "-100777")
    assert row.ticket in notice.payload["text"] and "08••••••90" in notice.payload["text"]
    assert "081234567890" not in notice.payload["text"]


async def test_no_notice_for_an_opd_without_a_group(db: Database, service: ComplaintService) -> None:
    await file(db, service, await resident(db), opd="dpupr", category=None)
    assert await outbox_rows(db) == []


async def test_due_date_uses_the_city_day_and_default_sla(db: Database, service: ComplaintService,
                                                          clock: Clock) -> None:
    clock.now = dt.datetime(2026, 3, 6, 18, 0, tzinfo=dt.timezone.utc)  # Saturday 01:00 in Padang
    row = await file(db, service, await resident(db), category=None)
    assert row.due_date == dt.date(2026, 3, 16)  # 5 working days from Saturday, Monday 9th a holiday


async def test_retry_returns_the_same_complaint(db: Database, service: ComplaintService) -> None:
    who = await resident(db)
    first = await file(db, service, who, key="confirm-42")
    again = await file(db, service, who, key="confirm-42")
    assert (again.id, again.ticket) == (first.id, first.ticket)
    async with db.session() as s:
        assert await s.scalar(select(func.count()).select_from(ComplaintRow)) == 1
    assert len(await outbox_rows(db, "opd_notice")) == 1


async def test_concurrent_double_submit_makes_one_complaint(db: Database, service: ComplaintService) -> None:
    who = await resident(db)
    rows = await asyncio.gather(*(file(db, service, who, key="double-tap") for _ in range(5)))
    assert len({r.id for r in rows}) == 1
    async with db.session() as s:
        assert await s.scalar(select(func.count()).select_from(ComplaintRow)) == 1


async def test_ticket_collision_draws_another(db: Database, service: ComplaintService,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    who = await resident(db)
    tickets = iter(["PDG-AAAAAA", "PDG-AAAAAA", "PDG-BBBBBB"])
    monkeypatch.setattr(complaints_module, "new_ticket", lambda code: next(tickets))
    assert (await file(db, service, who, key="a")).ticket == "PDG-AAAAAA"
    assert (await file(db, service, who, key="b")).ticket == "PDG-BBBBBB"


async def test_lifecycle_tells_the_resident_and_asks_for_a_rating(db: Database, service: ComplaintService,
                                                                  clock: Clock) -> None:
    who = await resident(db)
    ticket = (await file(db, service, who)).ticket
    clock.now += dt.timedelta(hours=2)
    row = await set_status(db, service, ticket, "diterima")
    assert row.first_response_at == clock.now and row.resolved_at is None
    await set_status(db, service, ticket, "diproses", note="Truk dijadwalkan besok pagi.")
    clock.now += dt.timedelta(days=1)
    row = await set_status(db, service, ticket, "selesai", note="Sampah sudah diangkut.")
    assert row.status == "selesai" and row.resolved_at == clock.now
    assert row.first_response_at == FRIDAY_MORNING + dt.timedelta(hours=2)
    messages = await outbox_rows(db, "status")
    assert all((m.channel, m.recipient) == ("telegram", "1001") for m in messages)
    texts = [m.payload["text"] for m in messages]
    assert texts[1].startswith(f"Laporan **{ticket}** Anda sekarang berstatus **Sedang diproses** oleh "
                               "Dinas Lingkungan Hidup.\nCatatan petugas: Truk dijadwalkan besok pagi.")
    assert "**Selesai**" in texts[2] and "Sampah sudah diangkut." in texts[2]
    assert [o["value"] for o in messages[2].payload["options"]] == [f"rate:{ticket}:{n}" for n in range(1, 6)]
    assert messages[0].payload["options"] == []
    async with db.session() as s:
        statuses = [e.status for e in await service.timeline(s, row.id)]
    assert statuses == ["baru", "diterima", "diproses", "selesai"]


@pytest.mark.parametrize("path, bad", [
    ((), "baru"),
    (("diproses",), "diterima"),
    (("selesai",), "diproses"),
    (("ditolak",), "selesai"),
    ((), "dibatalkan"),
])
async def test_invalid_transitions_are_refused_in_indonesian(db: Database, service: ComplaintService,
                                                             path: tuple[str, ...], bad: str) -> None:
    ticket = (await file(db, service, await resident(db))).ticket
    for status in path:
        await set_status(db, service, ticket, status, note="alasan")
    with pytest.raises(ComplaintError, match="Laporan|Status") as info:
        await set_status(db, service, ticket, bad, note="x")
    assert "tidak" in str(info.value)


async def test_rejecting_needs_a_reason_and_unknown_ticket_is_reported(db: Database,
                                                                       service: ComplaintService) -> None:
    ticket = (await file(db, service, await resident(db))).ticket
    with pytest.raises(ComplaintError, match="alasan penolakan"):
        await set_status(db, service, ticket, "ditolak")
    with pytest.raises(ComplaintError, match="apa yang sudah dikerjakan"):  # closing says what was done
        await set_status(db, service, ticket, "selesai", note="  ")
    with pytest.raises(ComplaintError, match="tidak dapat dipilih petugas") as info:  # the resident's own
        await set_status(db, service, ticket, "dibatalkan")
    assert "Dialihkan" not in str(info.value) and "Selesai" in str(info.value)
    with pytest.raises(ComplaintError, match="tidak ditemukan"):
        await set_status(db, service, "PDG-ZZZZZZ", "diterima")
    row = await set_status(db, service, ticket, "ditolak", note="Bukan wilayah Kota Padang.")
    assert row.resolved_at is not None
    [message] = await outbox_rows(db, "status")
    assert "Alasan: Bukan wilayah Kota Padang." in message.payload["text"]


async def test_reassigning_moves_the_complaint_to_the_new_inbox(db: Database, service: ComplaintService) -> None:
    original = await file(db, service, await resident(db))
    await set_status(db, service, original.ticket, "diterima")
    async with db.session() as s:
        await s.execute(update(OpdRow).where(OpdRow.slug == "dpupr").values(telegram_chat_id="-100888"))
        await s.commit()
    row = await set_status(db, service, original.ticket, "dialihkan", to_opd="dpupr", actor="kominfo",
                           note="Drainase, bukan sampah.")
    async with db.session() as s:
        dpupr = await s.scalar(select(OpdRow).where(OpdRow.slug == "dpupr"))
        events = await service.timeline(s, row.id)
    assert (row.opd_id, row.status, row.due_date) == (dpupr.id, "baru", original.due_date)
    assert original.category_code and row.category_code is None  # the old OPD's category is not the new one's
    assert [(e.status, e.from_opd, e.to_opd) for e in events][-1] == ("dialihkan", "dlh", "dpupr")
    resident_msg = (await outbox_rows(db, "status"))[-1]
    assert "dialihkan ke **Dinas Pekerjaan Umum" in resident_msg.payload["text"]
    notices = await outbox_rows(db, "opd_notice")
    assert [n.recipient for n in notices] == ["-100777", "-100888"]
    assert "dialihkan ke OPD Anda" in notices[1].payload["text"]
    # The new OPD acts on it like a new complaint.
    assert (await set_status(db, service, original.ticket, "diproses", actor="admin.pu")).status == "diproses"
    with pytest.raises(ComplaintError, match="pilih OPD lain"):
        await set_status(db, service, original.ticket, "dialihkan", to_opd="dpupr")
    with pytest.raises(ComplaintError, match="tidak ditemukan"):
        await set_status(db, service, original.ticket, "dialihkan", to_opd="tidak-ada")
    with pytest.raises(ComplaintError, match="OPD tujuan"):
        await set_status(db, service, original.ticket, "dialihkan")


async def test_notify_false_and_internal_notes_stay_internal(db: Database, service: ComplaintService) -> None:
    row = await file(db, service, await resident(db), opd="dpupr", category=None)
    await set_status(db, service, row.ticket, "diterima", notify=False)
    async with db.session() as s:
        note = await service.add_note(s, row.ticket, "Cek lokasi dulu.", actor="admin.pu")
        await s.commit()
        with pytest.raises(ComplaintError):
            await service.add_note(s, row.ticket, "  ", actor="admin.pu")
    assert note.internal and note.status is None
    assert await outbox_rows(db) == []


async def test_resident_sees_only_their_own_complaints(db: Database, service: ComplaintService,
                                                       clock: Clock) -> None:
    budi, siti = await resident(db, "1"), await resident(db, "2")
    first = await file(db, service, budi, key="a")
    clock.now += dt.timedelta(minutes=1)
    second = await file(db, service, budi, key="b")
    other = await file(db, service, siti, key="c")
    async with db.session() as s:
        assert [r.id for r in await service.list_for_resident(s, budi.id)] == [second.id, first.id]
        assert (await service.get_for_resident(s, budi.id, first.ticket.lower())).id == first.id
        assert await service.get_for_resident(s, budi.id, other.ticket) is None
        assert (await service.get(s, other.ticket)).id == other.id


async def test_rating_only_for_own_finished_complaints(db: Database, service: ComplaintService) -> None:
    budi, siti = await resident(db, "1"), await resident(db, "2")
    row = await file(db, service, budi)
    async with db.session() as s:
        assert not await service.rate(s, budi.id, row.ticket, 5)  # not finished yet
    await set_status(db, service, row.ticket, "selesai", note="Sudah diangkut.")
    async with db.session() as s:
        assert not await service.rate(s, siti.id, row.ticket, 5)
        assert not await service.rate(s, budi.id, row.ticket, 6)
        assert await service.rate(s, budi.id, row.ticket, 4)
        await s.commit()
    async with db.session() as s:
        rated = await service.get(s, row.ticket)
        assert (rated.rating, rated.rated_at is not None) == (4, True)
        # The same stars again (a button pressed twice) change nothing; other stars replace the rating, said so.
        assert await service.rate(s, budi.id, row.ticket, 4)
        assert await service.rate(s, budi.id, row.ticket, 2)
        await s.commit()
    async with db.session() as s:
        rated = await service.get(s, row.ticket)
        notes = [e.note for e in await service.timeline(s, rated.id) if e.note and "nilai" in e.note]
        assert rated.rating == 2
        assert notes == ["Warga memberi nilai 4 dari 5.", "Warga mengubah nilainya dari 4 menjadi 2 dari 5."]


async def test_overdue_lists_unfinished_complaints_past_their_due_date(db: Database,
                                                                      service: ComplaintService) -> None:
    who = await resident(db)
    late = await file(db, service, who, key="a")
    done = await file(db, service, who, key="b")
    await set_status(db, service, done.ticket, "selesai", note="Sudah diangkut.")
    async with db.session() as s:
        assert await service.overdue(s, late.due_date) == []
        assert [r.id for r in await service.overdue(s, late.due_date + dt.timedelta(days=1))] == [late.id]


async def test_a_withdrawn_complaint_is_final_and_never_overdue(db: Database, service: ComplaintService) -> None:
    who = await resident(db)
    row = await file(db, service, who, key="a")
    async with db.session() as s:
        other = await resident(db, "2002")
        assert await service.withdraw(s, other.id, row.ticket) is None  # not theirs
        assert (await service.withdraw(s, who.id, row.ticket)).status == "dibatalkan"
        await s.commit()
    async with db.session() as s:
        assert await service.overdue(s, row.due_date + dt.timedelta(days=30)) == []
        with pytest.raises(ComplaintError):
            await service.withdraw(s, who.id, row.ticket)  # once is enough
        [*_, event] = await service.timeline(s, row.id)
        assert (event.status, event.actor) == ("dibatalkan", "resident")


def test_status_labels() -> None:
    assert [status_label(s) for s in complaints_module.STATUSES] == [
        "Baru", "Diterima", "Sedang diproses", "Selesai", "Ditolak", "Dialihkan", "Dibatalkan pelapor"]


async def test_whatsapp_resident_messages_carry_a_template(db: Database, service: ComplaintService) -> None:
    who = await resident(db, "628123", channel="whatsapp")
    row = await file(db, service, who, opd="dpupr", category=None)
    await set_status(db, service, row.ticket, "diproses")
    [message] = await outbox_rows(db, "status")
    assert message.channel == "whatsapp" and message.payload["template"]["params"][0] == row.ticket


async def test_reassigning_is_not_a_first_response(db: Database, service: ComplaintService) -> None:
    original = await file(db, service, await resident(db))
    row = await set_status(db, service, original.ticket, "dialihkan", to_opd="dpupr", actor="dlh.admin")
    assert row.first_response_at is None  # the new OPD's response time starts from the filing, not from 0
    row = await set_status(db, service, original.ticket, "diterima", actor="dpupr.admin")
    assert row.first_response_at is not None


async def test_a_photo_sent_after_filing_is_added_once_to_the_residents_open_complaint(
        db: Database, service: ComplaintService) -> None:
    budi, siti = await resident(db, "1"), await resident(db, "2")
    row = await file(db, service, budi)
    async with db.session() as s:
        assert not await service.add_photo(s, siti.id, row.ticket, "telegram/x.jpg")  # not hers
        assert await service.add_photo(s, budi.id, row.ticket, "telegram/a.jpg")
        assert not await service.add_photo(s, budi.id, row.ticket, "telegram/b.jpg")  # it has one now
        await s.commit()
    async with db.session() as s:
        stored = await service.get(s, row.ticket)
        assert stored.photo_path == "telegram/a.jpg"
        notes = [e.note for e in await service.timeline(s, stored.id)]
        assert notes.count("Warga menambahkan foto.") == 1
    closed = await file(db, service, budi, key="k2")
    await set_status(db, service, closed.ticket, "selesai", note="Sudah diangkut.")
    async with db.session() as s:
        assert not await service.add_photo(s, budi.id, closed.ticket, "telegram/c.jpg")  # closed
