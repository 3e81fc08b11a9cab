"""What the resident was told about a complaint, and whether it reached them.

The messages are the outbox rows of kind "status" that ComplaintService queues for the resident.
A row belongs to its complaint through `payload["ticket"]` on the resident's own channel and
recipient (the outbox's recipient index keeps the lookup cheap); WhatsApp's template retry
copies the payload, so it belongs to the complaint too. Every query is limited to the admin's
OPD (None: Kominfo, every OPD).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.records.models import ComplaintRow, OutboxRow, ResidentRow

log = logging.getLogger(__name__)

SUMMARY_LIMIT = 300
DELIVERED = {"delivered": "Diterima", "read": "Dibaca"}
# Reasons the delivery workers store in `last_error` (English, technical), checked in this order.
# "outside 24-hour window" is bot/channels/whatsapp_sender.py's OUTSIDE_WINDOW (admin cannot import bot).
REASONS = (
    ("outside 24-hour window", "di luar jendela 24 jam WhatsApp"),
    ("forbidden", "pelapor memblokir bot atau menutup obrolan"),
    ("chat unreachable", "obrolan pelapor tidak ditemukan"),
    ("whatsapp could not deliver", "WhatsApp tidak dapat mengantarkan pesan"),
    ("gave up after", "tidak terkirim setelah beberapa kali dicoba"),
    ("lease expired", "pengiriman terhenti di tengah jalan"),
)
UNKNOWN_REASON = "pesan tidak dapat dikirim"


@dataclass(frozen=True)
class Notification:
    """One message to the resident about a complaint, as the complaint page shows it."""

    created_at: dt.datetime
    summary: str
    state: str  # Menunggu | Terkirim | Diterima | Dibaca | Gagal: <alasan>
    failed: bool
    reason: str | None  # Indonesian, when failed
    detail: str | None  # the worker's technical error, for whoever investigates


def reason_text(last_error: str | None) -> str:
    """Return the Indonesian reason for a failed delivery."""
    error = (last_error or "").lower()
    return next((text for needle, text in REASONS if needle in error), UNKNOWN_REASON)


def is_failed(status: str, delivery_status: str | None) -> bool:
    """Return True when a message failed for good, or the provider reported it undeliverable."""
    return status == "failed" or delivery_status == "failed"


def state_text(status: str, delivery_status: str | None, last_error: str | None) -> str:
    """Return the delivery state in Indonesian."""
    if is_failed(status, delivery_status):
        return f"Gagal: {reason_text(last_error)}"
    if status == "sent":
        return DELIVERED.get(delivery_status or "", "Terkirim")
    return "Menunggu"  # pending, sending, or waiting for a retry; web chat: until the resident looks


def summary_text(payload: dict[str, object]) -> str:
    """Return the message without markup, its lines joined, shortened: the first line alone ("Pesan dari DPUPR
    tentang laporan … Anda:") leaves out the note the resident read. The link to /status at the end is left out."""
    text = str(payload.get("text") or "").replace("**", "").strip()
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("Ketik /status")]
    line = " ".join(lines) if lines else "–"
    if len(line) > SUMMARY_LIMIT:
        line = line[:SUMMARY_LIMIT].rstrip() + "…"
    if payload.get("force_template"):
        line += " (dikirim ulang sebagai templat WhatsApp)"
    return line


def _notification(row: OutboxRow) -> Notification:
    failed = is_failed(row.status, row.delivery_status)
    return Notification(created_at=row.created_at, summary=summary_text(row.payload),
                        state=state_text(row.status, row.delivery_status, row.last_error), failed=failed,
                        reason=reason_text(row.last_error) if failed else None, detail=row.last_error)


async def _rows(session: AsyncSession, complaint_ids: Collection[int],
                opd_id: int | None) -> list[tuple[int, OutboxRow]]:
    """Return (complaint id, outbox row) of the resident messages about these complaints, oldest first."""
    query = (select(ComplaintRow.id, OutboxRow)
             .join(ResidentRow, ResidentRow.id == ComplaintRow.resident_id)
             .join(OutboxRow, and_(OutboxRow.channel == ResidentRow.channel,
                                   OutboxRow.recipient == ResidentRow.external_id,
                                   OutboxRow.kind == "status",
                                   OutboxRow.payload["ticket"].as_string() == ComplaintRow.ticket))
             .where(ComplaintRow.id.in_(list(complaint_ids)))
             .order_by(OutboxRow.id))
    if opd_id is not None:
        query = query.where(ComplaintRow.opd_id == opd_id)
    return [(cid, row) for cid, row in (await session.execute(query)).all()]


async def for_complaint(session: AsyncSession, complaint_id: int, opd_id: int | None) -> list[Notification]:
    """Return the messages sent to the resident about one complaint, oldest first."""
    return [_notification(row) for _, row in await _rows(session, [complaint_id], opd_id)]


async def last_failed(session: AsyncSession, complaint_ids: Collection[int], opd_id: int | None) -> set[int]:
    """Return the ids of the complaints whose latest message to the resident failed (one query)."""
    if not complaint_ids:
        return set()
    last: dict[int, OutboxRow] = {}
    for cid, row in await _rows(session, complaint_ids, opd_id):
        last[cid] = row  # oldest first: the latest wins
    return {cid for cid, row in last.items() if is_failed(row.status, row.delivery_status)}
