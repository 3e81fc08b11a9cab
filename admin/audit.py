"""The audit log: who changed what, and when. Every change an admin makes writes one row."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from admin.auth import Admin
from knowledge.records.models import AuditRow

log = logging.getLogger(__name__)

# Indonesian labels for the audit page.
ACTIONS = {
    "login": "Masuk",
    "login_failed": "Gagal masuk",
    "logout": "Keluar",
    "password_change": "Ganti kata sandi",
    "faq_create": "FAQ dibuat",
    "faq_update": "FAQ diubah",
    "faq_archive": "FAQ diarsipkan",
    "faq_unarchive": "FAQ diaktifkan kembali",
    "faq_restore": "Versi FAQ dipulihkan",
    "faq_import": "Impor file FAQ",
    "faq_export": "Ekspor file FAQ",
    "opd_contact": "Kontak OPD diubah",
    "complaint_status": "Status pengaduan diubah",
    "complaint_note": "Catatan internal",
    "complaint_message": "Pesan ke pelapor",
    "complaint_reopen": "Pengaduan dibuka kembali",
    "complaint_reassign": "Pengaduan dialihkan",
    "unanswered_dismiss": "Pertanyaan diabaikan",
    "user_create": "Akun dibuat",
    "user_deactivate": "Akun dinonaktifkan",
    "user_activate": "Akun diaktifkan",
    "user_password_reset": "Kata sandi akun direset",
    "target_set": "Target diubah",
}


async def record(session: AsyncSession, who: Admin | str, action: str, target: str | None = None,
                 now: dt.datetime | None = None, **detail: Any) -> None:
    """Add an audit row in the caller's transaction (so it commits with the change itself)."""
    username = who if isinstance(who, str) else who.username
    clean = {k: v for k, v in detail.items() if v not in (None, "", [], {})}
    row = AuditRow(username=username[:64], action=action, target=(target or "")[:200] or None, detail=clean or None)
    if now is not None:
        row.created_at = now
    session.add(row)
    log.info("audit: %s %s %s", username, action, target or "")


async def page(session: AsyncSession, *, offset: int = 0, limit: int = 100, username: str | None = None,
               action: str | None = None) -> tuple[list[AuditRow], int]:
    """Return one page of the audit log, newest first, and the number of rows matching."""
    query = select(AuditRow)
    count = select(func.count(AuditRow.id))
    if username:
        query, count = query.where(AuditRow.username == username), count.where(AuditRow.username == username)
    if action:
        query, count = query.where(AuditRow.action == action), count.where(AuditRow.action == action)
    rows = (await session.scalars(query.order_by(AuditRow.created_at.desc(), AuditRow.id.desc())
                                  .offset(offset).limit(limit))).all()
    return list(rows), int(await session.scalar(count) or 0)
