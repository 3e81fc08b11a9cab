"""OPD notifications on Telegram: new-complaint notices and the daily escalation of overdue complaints.

New complaints reach the outbox as kind "opd_notice" when `ComplaintService.file` commits; the
Telegram sender renders them with `payload_reply`: ticket, category, summary, kelurahan/address,
an OpenStreetMap link and the photo (sent with sendPhoto). Once a day, after `hour` in the city's
time zone, `Escalator` queues the list of overdue complaints for the Kominfo group; the outbox's
unique dedup key ("escalation:<chat>:<date>") makes several instances and restarts send it once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from handlers.messages import Reply
from knowledge.kb import KnowledgeBase
from knowledge.privacy import mask
from knowledge.records.models import OpdRow, OutboxRow
from knowledge.records.notices import status_label, tanggal
from handlers.messages import reply_from_payload
from knowledge.records.workdays import working_days_between

if TYPE_CHECKING:
    from knowledge.records.complaints import ComplaintService
    from knowledge.records.db import Database
    from knowledge.records.models import ComplaintRow
    from knowledge.records.outbox import Outbox

log = logging.getLogger(__name__)

SUMMARY_LIMIT = 500  # characters of the complaint text in a group notice
ESCALATION_LIMIT = 60  # complaints listed in one escalation; the rest are counted


def osm_link(latitude: float, longitude: float) -> str:
    """Return an OpenStreetMap link with a marker at the point."""
    return (f"https://www.openstreetmap.org/?mlat={latitude:.6f}&mlon={longitude:.6f}"
            f"#map=18/{latitude:.6f}/{longitude:.6f}")


def payload_reply(payload: dict[str, Any]) -> Reply:
    """Return the Reply to send for an outbox payload (OPD notices are rendered from their template)."""
    template = payload.get("template") or {}
    if template.get("name") == "opd_notice":
        return Reply(opd_notice_text(template), photo=payload.get("photo") or template.get("photo"),
                     kind="opd_notice")
    return reply_from_payload(payload)


def opd_notice_text(t: dict[str, Any]) -> str:
    """Return a new-complaint notice for an OPD group from the notice's template fields."""
    head = (f"📥 Laporan dialihkan ke OPD Anda dari {t['from_opd']}: **{t['ticket']}**" if t.get("from_opd")
            else f"📥 Laporan baru: **{t['ticket']}**")
    lines = [head]
    if t.get("category"):
        lines.append(f"Kategori: {t['category']}")
    if t.get("due_date"):
        lines.append(f"Batas waktu: {tanggal(dt.date.fromisoformat(t['due_date']))}")
    place = ", ".join(p for p in (t.get("address"), _kelurahan(t)) if p)
    if place:
        lines.append(f"Lokasi: {place}")
    lat, lon = t.get("latitude"), t.get("longitude")
    if lat is not None and lon is not None:
        lines.append(f"Peta: {osm_link(float(lat), float(lon))}")
    summary = mask(str(t.get("description") or "").strip())
    if len(summary) > SUMMARY_LIMIT:
        summary = summary[:SUMMARY_LIMIT].rstrip() + "…"
    lines += ["", summary, "", "Tindak lanjuti di halaman admin, menu Pengaduan."]
    return "\n".join(lines)


def _kelurahan(t: dict[str, Any]) -> str | None:
    parts = [f"Kel. {t['kelurahan']}" if t.get("kelurahan") else None,
             f"Kec. {t['kecamatan']}" if t.get("kecamatan") else None]
    return ", ".join(p for p in parts if p) or None


def escalation_text(rows: list[tuple[ComplaintRow, str]], kb: KnowledgeBase, today: dt.date,
                    holidays: Collection[dt.date] = ()) -> str:
    """Return the daily list of overdue complaints: (complaint, OPD name) pairs, most overdue first."""
    lines = [f"⏰ **{len(rows)} laporan melewati batas waktu** ({tanggal(today)})", ""]
    for complaint, opd_name in rows[:ESCALATION_LIMIT]:
        late = max(1, working_days_between(complaint.due_date, today, holidays))
        category = kb.category(complaint.category_code)
        what = f" — {category.name}" if category else ""
        lines.append(f"• **{complaint.ticket}** — {opd_name}{what} — {status_label(complaint.status)}, "
                     f"terlambat {late} hari kerja")
    if len(rows) > ESCALATION_LIMIT:
        lines.append(f"… dan {len(rows) - ESCALATION_LIMIT} laporan lainnya.")
    lines += ["", "Daftar lengkap ada di halaman admin, menu Pengaduan."]
    return "\n".join(lines)


@dataclass
class Escalator:
    """Queue the overdue-complaint list for the Kominfo group once per day."""

    db: Database
    complaints: ComplaintService
    outbox: Outbox
    kb: Callable[[], KnowledgeBase]
    chat_id: str
    timezone: str = "Asia/Jakarta"
    hour: int = 8  # local time after which the day's list is sent
    holidays: Collection[dt.date] = ()
    check_every: float = 600.0

    def dedup_key(self, day: dt.date) -> str:
        return f"escalation:telegram:{self.chat_id}:{day.isoformat()}"

    async def run_once(self, now: dt.datetime | None = None) -> bool:
        """Queue today's list if it is time, there is something overdue and it is not queued yet."""
        local = (now or dt.datetime.now(dt.timezone.utc)).astimezone(ZoneInfo(self.timezone))
        if local.hour < self.hour:
            return False
        today = local.date()
        key = self.dedup_key(today)
        async with self.db.session() as session:
            if await session.scalar(select(OutboxRow.id).where(OutboxRow.dedup_key == key)):
                return False
            overdue = await self.complaints.overdue(session, today)
            if not overdue:
                return False
            names = {o.id: o.short_name or o.name for o in (await session.scalars(select(OpdRow))).all()}
            overdue = sorted(overdue, key=lambda c: (c.due_date, c.ticket))
            text = escalation_text([(c, names.get(c.opd_id, "?")) for c in overdue], self.kb(), today,
                                   self.holidays)
            payload = {"text": text, "options": [], "photo": None, "request": None, "kind": "escalation"}
            row = await self.outbox.enqueue(session, channel="telegram", recipient=self.chat_id,
                                            kind="escalation", payload=payload, dedup_key=key)
            await session.commit()
        if row is not None:
            log.info("queued the escalation of %d overdue complaint(s) for %s", len(overdue), today)
        return row is not None

    async def run(self) -> None:
        """Check every `check_every` seconds until cancelled."""
        while True:
            try:
                await self.run_once()
            except Exception:  # a failed check is retried at the next tick
                log.exception("overdue escalation check failed")
            await asyncio.sleep(self.check_every)
