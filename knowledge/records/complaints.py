"""Complaints: filing (exactly once), the status lifecycle, the timeline, ratings and due dates.

Lifecycle (an admin reads the Indonesian `ComplaintError` when a change is not allowed):

    baru      -> diterima | diproses | selesai | ditolak | dialihkan
    diterima  -> diproses | selesai | ditolak | dialihkan
    diproses  -> selesai | ditolak | dialihkan
    selesai, ditolak: final (reopening is a later feature)
    baru | diterima | diproses -> dibatalkan: the resident withdraws it (`withdraw`); final too, and
    staff cannot set it

"dialihkan" (reassign) is recorded as a timeline event with from/to OPD; the complaint
then belongs to the new OPD with status "baru" again, so it shows in that OPD's inbox as
needing action. Its due date stays as it was (the promise made to the resident does not
restart); its category, one of the old OPD's, is cleared. Rejecting ("ditolak") needs a
reason: the resident reads it. `first_response_at` is set by the first staff change other
than a reassignment: passing a complaint on is not answering it, and the new OPD's response
time would otherwise read zero.

Methods take the caller's session and flush; the caller commits. Commit before telling
the resident a complaint was filed: `file()` is idempotent by `idempotency_key`, so a
retried or doubled submission returns the same row instead of a second complaint.
Extensions to the contract: `clock` (constructor), `get(session, ticket)`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Collection
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.kb import KnowledgeBase
from knowledge.records import notices
from knowledge.records.models import CategoryRow, ComplaintEventRow, ComplaintRow, OpdRow, ResidentRow, utcnow
from knowledge.records.notices import status_label
from knowledge.records.outbox import Outbox
from knowledge.records.tickets import new_ticket
from knowledge.records.workdays import add_working_days

log = logging.getLogger(__name__)

STATUSES = ("baru", "diterima", "diproses", "selesai", "ditolak", "dialihkan", "dibatalkan")
FINAL = frozenset({"selesai", "ditolak", "dibatalkan"})
WITHDRAWABLE = frozenset({"baru", "diterima", "diproses", "dialihkan"})  # a resident may still withdraw these
RATEABLE = frozenset({"selesai", "ditolak"})  # the OPD's work a resident may rate
REOPENABLE = RATEABLE  # closed by staff: Kominfo may reopen them (a withdrawal is the resident's own)
_ACTIONS = frozenset({"diterima", "diproses", "selesai", "ditolak", "dialihkan"})
STAFF_STATUSES = _ACTIONS - {"dialihkan"}  # chosen in the status form; "dialihkan" is the reassign form's
TRANSITIONS: dict[str, frozenset[str]] = {
    "baru": _ACTIONS,
    "diterima": _ACTIONS - {"diterima"},
    "diproses": frozenset({"selesai", "ditolak", "dialihkan"}),
    "selesai": frozenset(),
    "ditolak": frozenset(),
    "dibatalkan": frozenset(),
    "dialihkan": _ACTIONS,  # never stored by this service; accepted like "baru" if found
}
TICKET_ATTEMPTS = 10

__all__ = ["STATUSES", "FINAL", "WITHDRAWABLE", "REOPENABLE", "STAFF_STATUSES", "TRANSITIONS", "ComplaintError", "ComplaintService", "status_label"]


class ComplaintError(Exception):
    """A complaint change that cannot be made; the message is Indonesian, for the admin."""


def _required(note: str, missing: str) -> str:
    """Return a note that may not be empty, stripped; ComplaintError(missing) when it is empty."""
    note = note.strip()
    if not note:
        raise ComplaintError(missing)
    return note


class ComplaintService:
    """File complaints and move them through their lifecycle, telling residents and OPDs."""

    def __init__(self, kb: Callable[[], KnowledgeBase], outbox: Outbox, *, holidays: Collection[dt.date] = frozenset(),
                 timezone: str = "Asia/Jakarta", clock: Callable[[], dt.datetime] = utcnow):
        self._kb = kb
        self.outbox = outbox
        self.holidays = frozenset(holidays)
        self.tz = ZoneInfo(timezone)
        self.clock = clock

    def today(self) -> dt.date:
        """Return today's date in the city."""
        return self.clock().astimezone(self.tz).date()

    async def file(self, session: AsyncSession, *, resident: ResidentRow, opd: str, category: str | None,
                   description: str, latitude: float | None = None, longitude: float | None = None,
                   address: str | None = None, photo_path: str | None = None, show_name: bool = False,
                   idempotency_key: str, kelurahan: str | None = None, kecamatan: str | None = None) -> ComplaintRow:
        """Create a complaint once per idempotency_key (a retry returns the first one)."""
        if not idempotency_key:
            raise ValueError("idempotency_key is required")
        existing = await self._by_key(session, idempotency_key)
        if existing is not None:
            return existing
        if not description.strip():
            raise ComplaintError("Isi laporan tidak boleh kosong.")
        opd_row = await self._opd(session, opd)
        kb = self._kb()
        now = self.clock()
        due = add_working_days(self.today(), kb.sla_days(category), self.holidays)
        for _ in range(TICKET_ATTEMPTS):
            row = ComplaintRow(
                ticket=new_ticket(kb.city.code), resident_id=resident.id, opd_id=opd_row.id, category_code=category,
                description=description.strip(), latitude=latitude, longitude=longitude, address=address,
                photo_path=photo_path, show_name=show_name, status="baru", due_date=due, created_at=now,
                updated_at=now, idempotency_key=idempotency_key, kelurahan=kelurahan, kecamatan=kecamatan)
            try:
                async with session.begin_nested():
                    session.add(row)
                    await session.flush()
                break
            except IntegrityError:
                # Either the same submission won a race (return it) or the ticket collided (draw again).
                existing = await self._by_key(session, idempotency_key)
                if existing is not None:
                    return existing
                log.info("ticket %s already taken; drawing another", row.ticket)
        else:
            raise ComplaintError("Nomor tiket tidak dapat dibuat. Silakan coba lagi.")
        event = ComplaintEventRow(complaint_id=row.id, status="baru", note="", actor="resident", to_opd=opd_row.slug,
                                  created_at=now)
        session.add(event)
        await session.flush()
        await self._notify_opd(session, row, opd_row, event)
        log.info("complaint %s filed for %s (category %s, due %s)", row.ticket, opd_row.slug, category, due)
        return row

    async def set_status(self, session: AsyncSession, ticket: str, status: str, *, note: str = "", actor: str,
                         to_opd: str | None = None, notify: bool = True) -> ComplaintRow:
        """Change a complaint's status (or reassign it with "dialihkan") and tell the resident."""
        row = await self._existing(session, ticket)
        if status not in _ACTIONS:
            raise ComplaintError(f"Status '{status}' tidak dapat dipilih petugas. Pilih salah satu: "
                                 + ", ".join(status_label(s) for s in sorted(STAFF_STATUSES)) + ".")
        if row.status in FINAL:
            raise ComplaintError(f"Laporan {row.ticket} sudah berstatus {status_label(row.status)}; "
                                 "statusnya tidak dapat diubah lagi.")
        if status not in TRANSITIONS.get(row.status, frozenset()):
            raise ComplaintError(f"Status laporan {row.ticket} tidak dapat diubah dari "
                                 f"{status_label(row.status)} menjadi {status_label(status)}.")
        note = note.strip()
        if status == "ditolak" and not note:
            raise ComplaintError("Tuliskan alasan penolakan; warga akan membacanya.")
        if status == "selesai" and not note:  # the last word the resident hears: what was done
            raise ComplaintError("Tuliskan apa yang sudah dikerjakan; warga akan membacanya sebelum memberi nilai.")
        now = self.clock()
        old_opd = await session.get(OpdRow, row.opd_id)
        assert old_opd is not None  # foreign key
        event = ComplaintEventRow(complaint_id=row.id, status=status, note=note, actor=actor, created_at=now)
        new_opd = None
        if status == "dialihkan":
            if not to_opd:
                raise ComplaintError("Pilih OPD tujuan pengalihan.")
            new_opd = await self._opd(session, to_opd)
            if new_opd.id == old_opd.id:
                raise ComplaintError(f"Laporan {row.ticket} sudah ditangani {old_opd.name}; pilih OPD lain.")
            event.from_opd, event.to_opd = old_opd.slug, new_opd.slug
            row.opd_id, row.status, row.category_code = new_opd.id, "baru", None
        else:
            row.status = status
            if status in FINAL:
                row.resolved_at = now
            if row.first_response_at is None:
                row.first_response_at = now
        row.updated_at = now
        session.add(event)
        await session.flush()
        if new_opd is not None:
            await self._notify_opd(session, row, new_opd, event, from_opd=old_opd)
        if notify:
            await self._notify_resident(session, row, event, new_opd or old_opd)
        log.info("complaint %s: %s by %s", row.ticket, status, actor)
        return row

    async def withdraw(self, session: AsyncSession, resident_id: int, ticket: str) -> ComplaintRow | None:
        """Withdraw a resident's own complaint at their request; None when it is not theirs.

        Allowed while the OPD has not finished it (`WITHDRAWABLE`); raises ComplaintError otherwise.
        Withdrawing is not the OPD's response: `first_response_at` is left as it is, so response-time
        figures only count what staff did. The resident is not sent a message (they asked for it).
        """
        row = await self.get(session, ticket, lock=True)  # under the lock, as staff changes are
        if row is None or row.resident_id != resident_id:
            return None
        if row.status not in WITHDRAWABLE:
            raise ComplaintError(f"Laporan {row.ticket} sudah berstatus {status_label(row.status)}; "
                                 "laporan ini tidak dapat dibatalkan lagi.")
        now = self.clock()
        row.status, row.resolved_at, row.updated_at = "dibatalkan", now, now
        session.add(ComplaintEventRow(complaint_id=row.id, status="dibatalkan", note="Dibatalkan atas permintaan pelapor.",
                                      actor="resident", created_at=now))
        await session.flush()
        log.info("complaint %s withdrawn by its resident", row.ticket)
        return row

    async def reopen(self, session: AsyncSession, ticket: str, note: str, *, actor: str) -> ComplaintRow:
        """Reopen a complaint staff closed (a wrong click, a resident's objection): it is "diproses" again,
        its closing time and rating cleared, and the resident is told why."""
        row = await self._existing(session, ticket)
        if row.status not in REOPENABLE:
            raise ComplaintError(f"Laporan {row.ticket} berstatus {status_label(row.status)}; hanya laporan yang "
                                 "Selesai atau Ditolak yang dapat dibuka kembali.")
        note = _required(note, "Tuliskan alasan membuka kembali; warga akan membacanya.")
        now = self.clock()
        row.status, row.resolved_at, row.rating, row.rated_at, row.updated_at = "diproses", None, None, None, now
        await self._tell(session, row, ComplaintEventRow(complaint_id=row.id, status="diproses", note=note,
                                                         actor=actor, created_at=now))
        log.info("complaint %s reopened by %s", row.ticket, actor)
        return row

    async def message_resident(self, session: AsyncSession, ticket: str, note: str, *,
                               actor: str) -> ComplaintEventRow:
        """Send the resident a message about their open complaint without changing its status (a progress
        update, a question); the first one counts as the OPD's first response."""
        row = await self._existing(session, ticket)
        if row.status in FINAL:
            raise ComplaintError(f"Laporan {row.ticket} sudah ditutup ({status_label(row.status)}); "
                                 "pesan tidak dapat dikirim lagi.")
        note = _required(note, "Pesan untuk pelapor tidak boleh kosong.")
        now = self.clock()
        event = ComplaintEventRow(complaint_id=row.id, status=None, note=note, internal=False, actor=actor,
                                  created_at=now)
        if row.first_response_at is None:
            row.first_response_at = now
        row.updated_at = now
        await self._tell(session, row, event)
        log.info("complaint %s: message to the resident by %s", row.ticket, actor)
        return event

    async def _tell(self, session: AsyncSession, row: ComplaintRow, event: ComplaintEventRow) -> None:
        """Add an event to the timeline and send it to the resident, from the complaint's OPD."""
        session.add(event)
        await session.flush()
        opd = await session.get(OpdRow, row.opd_id)
        assert opd is not None  # foreign key
        await self._notify_resident(session, row, event, opd)

    async def set_category(self, session: AsyncSession, ticket: str, code: str, *, actor: str) -> ComplaintRow:
        """Set an open complaint's category to one of its OPD's (a forwarded complaint has none; the router's
        may be wrong). The timeline notes it, internally. The due date the resident was given stands."""
        row = await self._existing(session, ticket)
        if row.status in FINAL:
            raise ComplaintError(f"Laporan {row.ticket} sudah ditutup; kategorinya tidak diubah lagi.")
        category = await session.scalar(select(CategoryRow).where(CategoryRow.code == code,
                                                                  CategoryRow.opd_id == row.opd_id))
        if category is None:
            raise ComplaintError("Pilih salah satu kategori OPD ini.")
        if row.category_code == category.code:
            return row
        old = await session.scalar(select(CategoryRow.name).where(CategoryRow.code == row.category_code)) \
            if row.category_code else None
        row.category_code, row.updated_at = category.code, self.clock()
        session.add(ComplaintEventRow(complaint_id=row.id, status=None, internal=True, actor=actor,
                                      note=f"Kategori diubah: {old or '–'} → {category.name}.", created_at=row.updated_at))
        await session.flush()
        return row

    async def add_note(self, session: AsyncSession, ticket: str, note: str, *, actor: str) -> ComplaintEventRow:
        """Add an internal note to the timeline (the resident is not told)."""
        row = await self._existing(session, ticket, lock=False)
        note = _required(note, "Catatan tidak boleh kosong.")
        event = ComplaintEventRow(complaint_id=row.id, status=None, note=note, internal=True, actor=actor,
                                  created_at=self.clock())
        session.add(event)
        await session.flush()
        return event

    async def _existing(self, session: AsyncSession, ticket: str, *, lock: bool = True) -> ComplaintRow:
        """Return the complaint staff act on (locked unless `lock` is False); ComplaintError when unknown."""
        row = await self.get(session, ticket, lock=lock)
        if row is None:
            raise ComplaintError(f"Laporan {ticket} tidak ditemukan.")
        return row

    async def get(self, session: AsyncSession, ticket: str, *, lock: bool = False) -> ComplaintRow | None:
        """Return a complaint by ticket number (any resident: for staff), or None."""
        stmt = select(ComplaintRow).where(ComplaintRow.ticket == ticket.strip().upper())
        if lock:
            stmt = stmt.with_for_update()
        return await session.scalar(stmt)

    async def list_for_resident(self, session: AsyncSession, resident_id: int) -> list[ComplaintRow]:
        """Return a resident's complaints, newest first."""
        rows = await session.scalars(select(ComplaintRow).where(ComplaintRow.resident_id == resident_id)
                                     .order_by(ComplaintRow.created_at.desc(), ComplaintRow.id.desc()))
        return list(rows.all())

    async def get_for_resident(self, session: AsyncSession, resident_id: int, ticket: str) -> ComplaintRow | None:
        """Return the resident's own complaint by ticket; None for a ticket someone else filed."""
        return await session.scalar(select(ComplaintRow).where(
            ComplaintRow.ticket == ticket.strip().upper(), ComplaintRow.resident_id == resident_id))

    async def rate(self, session: AsyncSession, resident_id: int, ticket: str, rating: int) -> bool:
        """Record the resident's 1–5 rating of a finished complaint; False if not theirs or not finished.

        A resident may change their mind (the last rating counts, and the timeline says it was changed);
        the same rating sent again (a button pressed twice) changes nothing."""
        rating = int(rating)
        if not 1 <= rating <= 5:
            return False
        row = await self.get_for_resident(session, resident_id, ticket)
        if row is None or row.status not in RATEABLE:
            return False
        if row.rating == rating:
            return True
        now = self.clock()
        note = (f"Warga memberi nilai {rating} dari 5." if row.rating is None
                else f"Warga mengubah nilainya dari {row.rating} menjadi {rating} dari 5.")
        row.rating, row.rated_at = rating, now
        session.add(ComplaintEventRow(complaint_id=row.id, status=None, note=note, internal=False, actor="resident",
                                      created_at=now))
        await session.flush()
        return True

    async def add_photo(self, session: AsyncSession, resident_id: int, ticket: str, photo_path: str) -> bool:
        """Attach a photo the resident sent after filing to their open complaint that has none; False when it is
        not theirs, already closed or already has a photo. The timeline says so."""
        row = await self.get_for_resident(session, resident_id, ticket)
        if row is None or row.status in FINAL or row.photo_path:
            return False
        row.photo_path, row.updated_at = photo_path, self.clock()
        session.add(ComplaintEventRow(complaint_id=row.id, status=None, note="Warga menambahkan foto.", internal=False,
                                      actor="resident", created_at=row.updated_at))
        await session.flush()
        return True

    async def timeline(self, session: AsyncSession, complaint_id: int) -> list[ComplaintEventRow]:
        """Return a complaint's events, oldest first."""
        rows = await session.scalars(select(ComplaintEventRow).where(ComplaintEventRow.complaint_id == complaint_id)
                                     .order_by(ComplaintEventRow.created_at, ComplaintEventRow.id))
        return list(rows.all())

    async def overdue(self, session: AsyncSession, today: dt.date) -> list[ComplaintRow]:
        """Return unfinished complaints whose due date has passed, most overdue first."""
        rows = await session.scalars(select(ComplaintRow).where(
            ComplaintRow.status.not_in(FINAL), ComplaintRow.due_date < today)
            .order_by(ComplaintRow.due_date, ComplaintRow.id))
        return list(rows.all())

    async def _by_key(self, session: AsyncSession, key: str) -> ComplaintRow | None:
        return await session.scalar(select(ComplaintRow).where(ComplaintRow.idempotency_key == key))

    async def _opd(self, session: AsyncSession, slug: str) -> OpdRow:
        row = await session.scalar(select(OpdRow).where(OpdRow.slug == slug))
        if row is None:
            raise ComplaintError(f"OPD '{slug}' tidak ditemukan.")
        return row

    async def _notify_opd(self, session: AsyncSession, row: ComplaintRow, opd: OpdRow, event: ComplaintEventRow,
                          from_opd: OpdRow | None = None) -> None:
        """Queue a notice for the OPD's Telegram group, if it has one."""
        if not opd.telegram_chat_id:
            return
        category = self._kb().category(row.category_code)
        text = notices.opd_notice_text(
            ticket=row.ticket, category=category.name if category else row.category_code, description=row.description,
            due_date=row.due_date, address=row.address, latitude=row.latitude, longitude=row.longitude,
            photo=bool(row.photo_path), from_opd=from_opd.name if from_opd else None)
        payload = notices.payload(text, kind="opd_notice")
        # The Telegram channel renders a richer notice from these fields (map link, the photo itself).
        payload["photo"] = row.photo_path
        payload["template"] = {
            "name": "opd_notice", "ticket": row.ticket, "category": category.name if category else row.category_code,
            "description": row.description, "due_date": row.due_date.isoformat(), "address": row.address,
            "kelurahan": row.kelurahan, "kecamatan": row.kecamatan, "latitude": row.latitude,
            "longitude": row.longitude, "from_opd": from_opd.name if from_opd else None}
        await self.outbox.enqueue(session, channel="telegram", recipient=opd.telegram_chat_id, kind="opd_notice",
                                  payload=payload, dedup_key=f"complaint:{row.id}:event:{event.id}:opd")

    async def _notify_resident(self, session: AsyncSession, row: ComplaintRow, event: ComplaintEventRow,
                               opd: OpdRow) -> None:
        """Queue the resident's message about a status change on their own channel."""
        resident = await session.get(ResidentRow, row.resident_id)
        if resident is None:
            return
        options = None
        if event.status is None:  # a message, the status unchanged
            text = notices.message_text(row.ticket, opd.name, event.note)
        elif event.status == "dialihkan":
            text = notices.reassigned_text(row.ticket, opd.name, event.note)
        else:
            text = notices.status_text(row.ticket, row.status, opd.name, event.note)
            if row.status == "selesai":
                options = notices.rating_options(row.ticket)
        payload = notices.payload(text, options)
        payload["ticket"] = row.ticket  # ties the message to its complaint (admin page: delivery state)
        if resident.channel == "whatsapp":
            # Outside WhatsApp's 24-hour window only an approved template may be sent.
            payload["template"] = {"name": "status_laporan", "language": "id",
                                   "params": [row.ticket, status_label(event.status or row.status), opd.name],
                                   "note": event.note}
        await self.outbox.enqueue(session, channel=resident.channel, recipient=resident.external_id, kind="status",
                                  payload=payload, dedup_key=f"complaint:{row.id}:event:{event.id}:resident")
