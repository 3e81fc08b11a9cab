"""Synthetic city activity for the dashboard benchmark and the admin screenshots.

`seed_activity(db, kb, start=..., days=30)` writes interaction events (questions, unanswered
questions, 👍/👎, commands, complaint steps) and a month of complaints with a realistic
lifecycle (first response, resolution, ratings) straight into the tables, in bulk. Residents
appear only as random pseudonyms, as the real event recorder stores them. Deterministic for
a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from knowledge.kb import KnowledgeBase
from knowledge.records.db import Database
from knowledge.records.models import ComplaintEventRow, ComplaintRow, EventRow, OpdRow, ResidentRow
from knowledge.records.tickets import new_ticket
from knowledge.records.workdays import add_working_days

CHANNELS = (("telegram", 0.5), ("whatsapp", 0.35), ("web", 0.15))
UNANSWERED = (
    "jadwal vaksin anak di puskesmas {k}", "kapan jadwal imunisasi balita di {k}", "vaksin anak hari apa ya",
    "cara bayar pbb online", "bayar pajak bumi bangunan lewat hp gmn", "pbb bisa dibayar di indomaret?",
    "ada lowongan kerja di pemko?", "info loker pemko padang", "kapan ada pasar murah", "pasar murah di {k} kapan",
    "syarat izin keramaian pesta", "izin keramaian untuk baralek", "cara daftar ppdb smp negeri",
    "ppdb sd zonasi {k} gmn", "berapa tarif parkir di pantai", "dimana tempat uji emisi motor",
    "wifi gratis di taman {k}", "jam buka perpustakaan daerah",
)
STEPS = ("describe", "route", "category", "location", "photo", "confirm", "filed")
RATINGS = ((1, 0.05), (2, 0.07), (3, 0.15), (4, 0.35), (5, 0.38))
UTC = dt.timezone.utc
EVENT_COLUMNS = ("created_at", "channel", "resident", "kind", "outcome", "faq_key", "opd", "score", "answered",
                 "latency_ms", "text")


@dataclass(frozen=True)
class Seeded:
    events: int
    history: int  # events before the period (so some residents are "returning")
    residents: int
    complaints: int
    by_kind: dict[str, int]


def _pick(rng: random.Random, weighted: tuple[tuple[object, float], ...]) -> object:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _places(kb_dir: Path) -> list[tuple[str, str]]:
    path = kb_dir / "kelurahan.tsv"
    if not path.exists():
        return [("Kampung Jao", "Padang Barat")]
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    return [(r[1], r[2]) for r in rows if len(r) >= 3]


def _moment(rng: random.Random, start: dt.datetime, days: int) -> dt.datetime:
    """Return a time in the period (which starts at local midnight), busier in the daytime."""
    day = rng.randrange(days)
    hour = min(23, max(0, int(rng.gauss(13, 4))))  # local hour
    return start + dt.timedelta(days=day, hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60))


def _turn(rng: random.Random, kb: KnowledgeBase, faqs: list, weights: list[float], places: list[tuple[str, str]],
          resident: str, channel: str, at: dt.datetime) -> list[dict]:
    """Return the events of one resident turn."""
    base = {"created_at": at, "channel": channel, "resident": resident, "latency_ms": rng.uniform(5, 60)}
    roll = rng.random()
    if roll < 0.78:
        faq = rng.choices(faqs, weights)[0]
        outcome = _pick(rng, (("answer", 0.72), ("suggest", 0.10), ("abstain", 0.18)))
        if outcome == "abstain":
            text = rng.choice(UNANSWERED).format(k=rng.choice(places)[1])
            guess = rng.choice(kb.opds).slug if rng.random() < 0.4 else None
            return [{**base, "kind": "question", "outcome": "abstain", "answered": False, "score": rng.uniform(0, 0.4),
                     "opd": guess, "text": text},
                    {**base, "kind": "unanswered", "opd": guess, "text": text}]
        text = rng.choice((faq.question, *faq.alternatives))
        events = [{**base, "kind": "question", "outcome": outcome, "answered": outcome == "answer",
                   "faq_key": faq.id, "opd": faq.opd, "score": rng.uniform(0.55, 1.0), "text": text}]
        if outcome == "answer" and rng.random() < 0.15:
            events.append({**base, "kind": "feedback", "outcome": "up" if rng.random() < 0.8 else "down",
                           "faq_key": faq.id, "opd": faq.opd, "text": text})
        return events
    if roll < 0.90:
        return [{**base, "kind": "command", "outcome": rng.choice(("start", "bantuan", "status", "batal"))}]
    return [{**base, "kind": "complaint_step", "outcome": rng.choice(STEPS), "opd": rng.choice(kb.opds).slug}]


async def _seed_events(db: Database, kb: KnowledgeBase, rng: random.Random, places: list[tuple[str, str]],
                       start: dt.datetime, days: int, events: int, history: int) -> tuple[Counter[str], int]:
    faqs = list(kb.faqs)
    weights = [1 / (i + 3) for i in range(len(faqs))]  # a few FAQs are asked most
    rng.shuffle(faqs)
    residents = [(secrets.token_hex(16), _pick(rng, CHANNELS)) for _ in range(max(50, events // 12))]
    activity = [rng.paretovariate(1.3) for _ in residents]  # some residents come back often
    kinds: Counter[str] = Counter()
    rows: list[dict] = []

    async def flush() -> None:
        async with db.session() as session:
            # Core executemany needs every row to name the same columns.
            await session.execute(insert(EventRow.__table__), [{c: r.get(c) for c in EVENT_COLUMNS} for r in rows])
            await session.commit()
        rows.clear()

    for total, begin, span in ((history, start - dt.timedelta(days=60), 60), (events, start, days)):
        made = 0
        while made < total:
            resident, channel = rng.choices(residents, activity)[0]
            for event in _turn(rng, kb, faqs, weights, places, resident, channel, _moment(rng, begin, span)):
                if made >= total:
                    break
                rows.append(event)
                kinds[event["kind"]] += 1
                made += 1
            if len(rows) >= 5000:
                await flush()
    if rows:
        await flush()
    return kinds, len(residents)


async def _seed_complaints(db: Database, kb: KnowledgeBase, rng: random.Random, places: list[tuple[str, str]],
                           start: dt.datetime, days: int, count: int, now: dt.datetime) -> None:
    zone = ZoneInfo(kb.city.timezone)
    async with db.session() as session:
        opd_ids = {slug: oid for slug, oid in (await session.execute(select(OpdRow.slug, OpdRow.id))).all()}
        people = [{"channel": _pick(rng, CHANNELS), "external_id": f"bench-{secrets.token_hex(8)}",
                   "display_name": rng.choice(("Budi", "Siti", "Rahmat", "Yusuf", "Rina", "Dewi", None)),
                   "created_at": start} for _ in range(max(10, count * 9 // 10))]
        await session.execute(insert(ResidentRow.__table__), people)
        resident_ids = list((await session.scalars(select(ResidentRow.id))).all())
        categories = [c for c in kb.categories if c.opd in opd_ids]
        complaints = []
        for _ in range(count):
            cat = rng.choice(categories)
            created = _moment(rng, start, days)
            kel, kec = rng.choice(places)
            row = {"ticket": new_ticket(kb.city.code), "resident_id": rng.choice(resident_ids),
                   "opd_id": opd_ids[cat.opd], "category_code": cat.code, "description": rng.choice(cat.examples or
                                                                                                   (cat.name,)),
                   "kelurahan": kel, "kecamatan": kec, "latitude": -0.95 + rng.uniform(-0.05, 0.05),
                   "longitude": 100.35 + rng.uniform(-0.05, 0.05), "show_name": False, "status": "baru",
                   "due_date": add_working_days(created.astimezone(zone).date(), kb.sla_days(cat.code)),
                   "created_at": created, "updated_at": created, "idempotency_key": secrets.token_hex(12),
                   "first_response_at": None, "resolved_at": None, "rating": None, "rated_at": None}
            if rng.random() < 0.9:
                first = created + dt.timedelta(hours=rng.lognormvariate(1.8, 1.0))
                if first < now:
                    row.update(first_response_at=first, status=rng.choice(("diterima", "diproses")))
                    if rng.random() < 0.8:
                        resolved = first + dt.timedelta(days=rng.lognormvariate(0.9, 0.8))
                        if resolved < now:
                            row.update(resolved_at=resolved, status="selesai" if rng.random() < 0.9 else "ditolak")
                            if row["status"] == "selesai" and rng.random() < 0.6:
                                row.update(rating=_pick(rng, RATINGS), rated_at=resolved + dt.timedelta(hours=2))
            complaints.append(row)
        await session.execute(insert(ComplaintRow.__table__), complaints)
        keys = [c["idempotency_key"] for c in complaints]
        ids = (await session.execute(select(ComplaintRow.id, ComplaintRow.created_at)
                                     .where(ComplaintRow.idempotency_key.in_(keys)))).all()
        await session.execute(insert(ComplaintEventRow.__table__), [
            {"complaint_id": cid, "status": "baru", "note": "", "internal": False, "actor": "resident",
             "created_at": created} for cid, created in ids])
        await session.commit()


async def seed_activity(db: Database, kb: KnowledgeBase, *, start: dt.datetime, days: int = 30,
                        events: int = 100_000, history: int = 10_000, complaints: int = 1_000,
                        kb_dir: Path | None = None, now: dt.datetime | None = None, seed: int = 5) -> Seeded:
    """Write `events` events and `complaints` complaints in [start, start + days), plus `history` earlier events."""
    rng = random.Random(seed)
    places = _places(kb_dir) if kb_dir else [("Kampung Jao", "Padang Barat"), ("Air Tawar Barat", "Padang Utara")]
    kinds, residents = await _seed_events(db, kb, rng, places, start, days, events, history)
    end = start + dt.timedelta(days=days)
    await _seed_complaints(db, kb, rng, places, start, days, complaints, now or end)
    return Seeded(events=events, history=history, residents=residents, complaints=complaints, by_kind=dict(kinds))
