"""Dates in the city's time zone: today, periods for the dashboard, working-day countdowns."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, replace

from admin.context import AdminContext

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")


def city_zone(ctx: AdminContext) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(ctx.live.kb.city.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, AttributeError):
        return zoneinfo.ZoneInfo("Asia/Jakarta")


# Indonesia's zones by their usual names; another zone shows its own abbreviation.
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def zone_label(zone: zoneinfo.ZoneInfo, moment: dt.datetime) -> str:
    """Return the name residents use for the city's time zone ("WIB"), shown after every time."""
    return ZONE_NAMES.get(zone.key) or moment.astimezone(zone).tzname() or zone.key


def city_today(ctx: AdminContext) -> dt.date:
    """Return today's date in the city."""
    return ctx.now().astimezone(city_zone(ctx)).date()


def local(ctx: AdminContext, moment: dt.datetime | None) -> dt.datetime | None:
    """Return a stored UTC time in the city's zone (for display)."""
    return moment.astimezone(city_zone(ctx)) if moment else None


def long_date(day: dt.date) -> str:
    """Return a date the Indonesian way: "5 Maret 2025"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Period:
    """A span of whole days in the city [start, end), with its UTC bounds for queries."""

    start: dt.date
    end: dt.date  # exclusive
    start_utc: dt.datetime
    end_utc: dt.datetime
    note: str = ""  # how the dates asked for were changed (parse_period), in Indonesian

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last(self) -> dt.date:
        """Return the last day in the period."""
        return self.end - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        last = self.last
        return long_date(self.start) if last == self.start else f"{long_date(self.start)} – {long_date(last)}"


def period(ctx: AdminContext, start: dt.date, end: dt.date) -> Period:
    """Return the period from `start` up to (not including) `end`, in the city's zone."""
    zone = city_zone(ctx)

    def utc(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), zone).astimezone(dt.timezone.utc)

    return Period(start, end, utc(start), utc(end))


def month_period(ctx: AdminContext, year: int, month: int) -> Period:
    """Return one calendar month as a period."""
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1)
    return period(ctx, start, end)


def parse_period(ctx: AdminContext, start: str | None, end: str | None, default_days: int = 30) -> Period:
    """Read `dari`/`sampai` (inclusive dates) from a form; default: the last 30 days up to today.

    Dates that cannot be used are changed, and the period's `note` says how: an unreadable date takes its
    default, a start after the end swaps them, an end after today stops at today (the future has no
    figures), and a span over a year keeps its last 366 days (a page stays fast).
    """
    today = city_today(ctx)
    notes = []
    try:
        last = dt.date.fromisoformat(end) if end else today
    except ValueError:
        last = today
        notes.append("Tanggal akhir tidak dapat dibaca; dipakai hari ini.")
    try:
        first = dt.date.fromisoformat(start) if start else last - dt.timedelta(days=default_days - 1)
    except ValueError:
        first = last - dt.timedelta(days=default_days - 1)
        notes.append(f"Tanggal mulai tidak dapat dibaca; dipakai {default_days} hari sampai tanggal akhir.")
    if first > last:
        first, last = last, first
        notes.append("Tanggal mulai setelah tanggal akhir; keduanya ditukar.")
    if last > today:
        last = today
        notes.append("Tanggal akhir setelah hari ini; periode dipotong sampai hari ini.")
        first = min(first, last)
    if first < last - dt.timedelta(days=366):
        first = last - dt.timedelta(days=366)
        notes.append("Periode paling panjang satu tahun; yang ditampilkan 366 hari terakhirnya.")
    return replace(period(ctx, first, last + dt.timedelta(days=1)), note=" ".join(notes))
