"""Texts sent outside a conversation turn: complaint updates for residents and notices for OPD groups.

All in one place so wording stays consistent. Bahasa Indonesia, polite, short, next step clear.
Markup: `**bold**` and plain lines (channels render it, see handlers/messages.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from knowledge.privacy import mask

STATUS_LABELS = {
    "baru": "Baru",
    "diterima": "Diterima",
    "diproses": "Sedang diproses",
    "selesai": "Selesai",
    "ditolak": "Ditolak",
    "dialihkan": "Dialihkan",
    "dibatalkan": "Dibatalkan pelapor",
}
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
DESCRIPTION_LIMIT = 600  # characters of a complaint shown in a group notice


def status_label(status: str) -> str:
    """Return the Indonesian label residents and admins see for a status."""
    return STATUS_LABELS.get(status, status.capitalize())


def tanggal(day: dt.date) -> str:
    """Return a date the Indonesian way, e.g. "5 Maret 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _note_line(label: str, note: str) -> str:
    note = note.strip()
    return f"\n{label}: {note}" if note else ""


def status_text(ticket: str, status: str, opd_name: str, note: str = "") -> str:
    """Return the resident's message for a status change (not for "dialihkan")."""
    label = status_label(status)
    if status == "selesai":
        return (f"Laporan **{ticket}** Anda sudah **{label}** ditangani oleh {opd_name}."
                f"{_note_line('Catatan petugas', note)}\n\n"
                "Bagaimana penanganannya? Beri nilai 1 (buruk) sampai 5 (sangat baik).")
    if status == "ditolak":
        return (f"Laporan **{ticket}** Anda **{label}** oleh {opd_name}."
                f"{_note_line('Alasan', note)}\n"
                "Jika ada keterangan tambahan, silakan kirim laporan baru dengan /lapor.")
    return (f"Laporan **{ticket}** Anda sekarang berstatus **{label}** oleh {opd_name}."
            f"{_note_line('Catatan petugas', note)}\n"
            f"Ketik /status {ticket} untuk melihat perkembangannya.")


def message_text(ticket: str, opd_name: str, note: str) -> str:
    """Return an OPD's message to the resident about an open complaint (its status unchanged)."""
    return (f"Pesan dari {opd_name} tentang laporan **{ticket}** Anda:"
            f"{_note_line('Pesan petugas', note)}\n"
            f"Ketik /status {ticket} untuk melihat perkembangannya.")


def reassigned_text(ticket: str, to_opd_name: str, note: str = "") -> str:
    """Return the resident's message when a complaint moves to another OPD."""
    return (f"Laporan **{ticket}** Anda dialihkan ke **{to_opd_name}** agar ditangani oleh instansi yang tepat."
            f"{_note_line('Catatan petugas', note)}\n"
            f"Ketik /status {ticket} untuk melihat perkembangannya.")


def rating_options(ticket: str) -> list[dict[str, str]]:
    """Return the 1–5 rating choices (serialised options) for a resolved complaint."""
    return [{"label": f"{n} ⭐", "value": f"rate:{ticket}:{n}"} for n in range(1, 6)]


def opd_notice_text(*, ticket: str, category: str | None, description: str, due_date: dt.date,
                    address: str | None = None, latitude: float | None = None, longitude: float | None = None,
                    photo: bool = False, from_opd: str | None = None) -> str:
    """Return the notice posted in an OPD's Telegram group for a new or reassigned complaint."""
    head = (f"📥 Laporan dialihkan ke OPD Anda dari {from_opd}: **{ticket}**" if from_opd
            else f"📥 Laporan baru: **{ticket}**")
    lines = [head]
    if category:
        lines.append(f"Kategori: {category}")
    lines.append(f"Batas waktu: {tanggal(due_date)}")
    place = address or (f"{latitude:.5f}, {longitude:.5f}" if latitude is not None and longitude is not None else None)
    if place:
        lines.append(f"Lokasi: {place}")
    if photo:
        lines.append("Ada foto (lihat di halaman admin).")
    text = mask(description.strip())
    if len(text) > DESCRIPTION_LIMIT:
        text = text[:DESCRIPTION_LIMIT].rstrip() + "…"
    lines += ["", text, "", "Tindak lanjuti di halaman admin, menu Pengaduan."]
    return "\n".join(lines)


def payload(text: str, options: list[dict[str, str]] | None = None, kind: str = "status") -> dict[str, Any]:
    """Return an outbox payload (a serialised Reply) for a text and options."""
    return {"text": text, "options": options or [], "photo": None, "request": None, "kind": kind}
