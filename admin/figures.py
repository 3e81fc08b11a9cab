"""The quick-win figures: names, Indonesian labels, formats, and which way is better (for targets)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str  # "count" | "rate" (0..1, shown as %) | "hours" | "days" | "score" (1..5)
    better: str | None  # "higher" | "lower" | None (no target makes sense)
    help: str = ""


FIGURES: tuple[Figure, ...] = (
    Figure("residents", "Warga yang memakai bot", "count", "higher", "Warga unik pada periode ini"),
    Figure("residents_new", "Warga baru", "count", "higher", "Pertama kali memakai bot pada periode ini"),
    Figure("residents_returning", "Warga yang kembali", "count", "higher", "Sudah pernah memakai bot sebelumnya"),
    Figure("questions", "Pertanyaan", "count", "higher"),
    Figure("answer_rate", "Pertanyaan terjawab", "rate", "higher", "Bagian pertanyaan yang dijawab bot"),
    Figure("unanswered_rate", "Pertanyaan tak terjawab", "rate", "lower", "Bot tidak tahu jawabannya"),
    Figure("thumbs_up_rate", "Jawaban dinilai 👍", "rate", "higher", "Dari semua penilaian 👍/👎"),
    Figure("complaints", "Pengaduan masuk", "count", None),
    Figure("first_response_hours", "Median waktu tanggapan pertama", "hours", "lower",
           "Dari pengaduan masuk sampai OPD pertama kali mengubah statusnya"),
    Figure("resolution_days", "Median waktu penyelesaian", "days", "lower",
           "Dari pengaduan masuk sampai selesai/ditolak"),
    Figure("within_sla_rate", "Selesai tepat waktu (SLA)", "rate", "higher",
           "Bagian pengaduan selesai yang selesai sebelum batas waktu"),
    Figure("resolution_rate", "Pengaduan selesai", "rate", "higher", "Bagian pengaduan periode ini yang sudah selesai"),
    Figure("satisfaction", "Kepuasan pelapor", "score", "higher", "Rata-rata nilai 1–5 dari pelapor"),
)
BY_KEY = {f.key: f for f in FIGURES}
TARGETABLE = tuple(f for f in FIGURES if f.better)


def fmt(figure: Figure, value: float | None) -> str:
    """Format a value for people: "82%", "1.234", "5,2 jam", "4,1 / 5"; "–" when there is no data."""
    if value is None:
        return "–"
    if figure.unit == "rate":
        return f"{value * 100:.0f}%"
    if figure.unit == "count":
        return f"{value:,.0f}".replace(",", ".")
    number = f"{value:.1f}".replace(".", ",")
    return {"hours": f"{number} jam", "days": f"{number} hari", "score": f"{number} / 5"}.get(figure.unit, number)


def target_input(figure: Figure, value: float | None) -> str:
    """Return a target as typed in the form (rates in percent)."""
    if value is None:
        return ""
    return f"{value * 100:g}" if figure.unit == "rate" else f"{value:g}"


# Numbers as Indonesians write them: "1.000" and "2.500" are thousands, "1,5" a decimal; "2.5" is read
# as a decimal too. Nothing else ("1e308", "inf", "-3").
_THOUSANDS_RE = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_PLAIN_RE = re.compile(r"\d+(?:[.,]\d+)?")
MAX_TARGET = 1e9  # no city has more residents or questions than this


def parse_target(figure: Figure, raw: str) -> float | None:
    """Read a target typed by Kominfo; raise ValueError on nonsense. Empty removes the target."""
    raw = raw.strip().rstrip("%").strip().replace(" ", "")
    if not raw:
        return None
    if _THOUSANDS_RE.fullmatch(raw):
        raw = raw.replace(".", "")
    elif not _PLAIN_RE.fullmatch(raw):
        raise ValueError("not a number")
    value = float(raw.replace(",", "."))
    if value > MAX_TARGET:
        raise ValueError("too large")
    if figure.unit == "count" and value != int(value):
        raise ValueError("a count is a whole number")
    if figure.unit == "rate":
        if value > 100:
            raise ValueError("more than 100%")
        return value / 100
    if figure.unit == "score" and value > 5:
        raise ValueError("more than 5")
    return value


def on_track(figure: Figure, value: float | None, target: float | None) -> bool | None:
    """Return True/False when a figure meets its target, None when either is missing."""
    if value is None or target is None or figure.better is None:
        return None
    return value >= target if figure.better == "higher" else value <= target
