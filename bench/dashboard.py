"""Dashboard benchmark: seed 100,000 interaction events and a month of complaints on SQLite,
then time the admin page's /admin/stats render (median of several runs) and print its figures.

Target: /admin/stats renders in under 300 ms for 100,000 interaction events on SQLite.
Run: `python -m bench --only dashboard` (or `python -m bench.dashboard`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from argon2 import PasswordHasher

from admin import AdminContext, create_admin_app
from admin.figures import FIGURES, fmt
from bench.activity import Seeded, seed_activity
from knowledge.kb import default_kb_path
from knowledge.kbfiles import load_kb
from knowledge.records import users
from knowledge.records.complaints import ComplaintService
from knowledge.records.db import Database
from knowledge.records.kbstore import import_kb
from knowledge.records.live import LiveKnowledge
from knowledge.records.outbox import Outbox

EVENTS = 100_000
HISTORY = 10_000
COMPLAINTS = 1_000
RUNS = 7
TARGET_MS = 300.0
MONTH_START = dt.datetime(2025, 2, 28, 17, tzinfo=dt.timezone.utc)  # 1 March 2025, 00:00 in Padang
NOW = dt.datetime(2025, 4, 1, 2, tzinfo=dt.timezone.utc)
PASSWORD = "bench-password-123"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


async def _client(db: Database) -> tuple[TestClient, LiveKnowledge]:
    kb = load_kb(default_kb_path()).kb
    live = LiveKnowledge(db, kb)
    await live.refresh(force=True)
    outbox = Outbox()
    ctx = AdminContext(db=db, live=live, complaints=ComplaintService(lambda: live.kb, outbox, clock=lambda: NOW),
                       outbox=outbox, secret_key="bench-secret-key-0123456789", media_dir=Path(tempfile.gettempdir()),
                       now=lambda: NOW)
    app = web.Application()
    app.add_subapp("/admin", create_admin_app(ctx))
    client = TestClient(TestServer(app))
    await client.start_server()
    page = await (await client.get("/admin/login")).text()
    resp = await client.post("/admin/login", data={"username": "kominfo", "password": PASSWORD,
                                                   "csrf_token": CSRF_RE.search(page).group(1)}, allow_redirects=False)
    assert resp.status == 303, resp.status
    return client, live


async def _time(client: TestClient, path: str, runs: int = RUNS) -> tuple[float, str]:
    """Return the median wall time (ms) of GET path and the last body."""
    body = await (await client.get(path)).text()  # warm-up (templates compiled, caches filled)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        resp = await client.get(path)
        body = await resp.text()
        times.append((time.perf_counter() - started) * 1000)
        assert resp.status == 200, (path, resp.status)
    return statistics.median(times), body


async def _bench(folder: Path) -> dict[str, Any]:
    db = Database(f"sqlite+aiosqlite:///{folder / 'bench.db'}")
    await db.migrate()
    kb = load_kb(default_kb_path()).kb
    async with db.session() as session:
        await import_kb(session, kb, actor="bench")
        await users.create_user(session, "kominfo", PASSWORD, "kominfo",
                                hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        await session.commit()
    started = time.perf_counter()
    seeded = await seed_activity(db, kb, start=MONTH_START, days=31, events=EVENTS, history=HISTORY,
                                 complaints=COMPLAINTS, kb_dir=default_kb_path(), now=NOW)
    seed_s = time.perf_counter() - started
    client, _ = await _client(db)
    try:
        period = "dari=2025-03-01&sampai=2025-03-31"
        city_ms, _ = await _time(client, f"/admin/stats?{period}")
        opd_ms, _ = await _time(client, f"/admin/stats?{period}&opd=dlh")
        csv_ms, csv_text = await _time(client, f"/admin/stats.csv?{period}")
        report_ms, _ = await _time(client, "/admin/stats/report?month=2025-03")
    finally:
        await client.close()
        await db.dispose()
    return {"seeded": seeded, "seed_s": seed_s, "city_ms": city_ms, "opd_ms": opd_ms, "csv_ms": csv_ms,
            "report_ms": report_ms, "csv": csv_text}


def _figures(csv_text: str) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for line in csv_text.splitlines():
        parts = line.split(",")
        if parts[0] == "angka":
            out[parts[1]] = float(parts[-3]) if parts[-3] else None
    return out


def _section(csv_text: str, name: str, limit: int = 5) -> list[tuple[str, str]]:
    rows = [line.split(",") for line in csv_text.splitlines() if line.startswith(name + ",")]
    return [(r[2] or r[1], r[3]) for r in rows[:limit]]


def report(result: dict[str, Any]) -> str:
    """Format the benchmark result as the table `make bench` prints."""
    seeded: Seeded = result["seeded"]
    values = _figures(result["csv"])
    ok = "OK" if result["city_ms"] < TARGET_MS else "SLOWER THAN TARGET"
    lines = [
        f"Seeded on SQLite: {seeded.events:,} interaction events in March 2025 (+{seeded.history:,} earlier), "
        f"{seeded.residents:,} resident pseudonyms, {seeded.complaints:,} complaints "
        f"(seeding {result['seed_s']:.1f} s)",
        "  events by kind: " + ", ".join(f"{k} {v:,}" for k, v in sorted(seeded.by_kind.items())),
        "",
        f"{'render time (median of ' + str(RUNS) + ')':<40} {'ms':>8}",
        f"{'/admin/stats (whole city, March)':<40} {result['city_ms']:>8.0f}   target < {TARGET_MS:.0f} ms: {ok}",
        f"{'/admin/stats?opd=dlh':<40} {result['opd_ms']:>8.0f}",
        f"{'/admin/stats.csv':<40} {result['csv_ms']:>8.0f}",
        f"{'/admin/stats/report?month=2025-03':<40} {result['report_ms']:>8.0f}",
        "",
        f"{'dashboard figure (March 2025, whole city)':<44} value",
    ]
    lines += [f"{f.label:<44} {fmt(f, values.get(f.key))}" for f in FIGURES]
    lines.append("")
    channels = [line.split(",") for line in result["csv"].splitlines() if line.startswith("kanal,")]
    lines.append("residents by channel (total / new): " + ", ".join(
        f"{a[1]} {a[3]} / {b[3]}" for a, b in zip(channels[::2], channels[1::2], strict=True)))
    lines.append("top questions: " + ", ".join(f"{k} ({n})" for k, n in _section(result["csv"], "pertanyaan_teratas")))
    lines.append("complaints by OPD: " + ", ".join(f"{k} ({n})" for k, n in _section(result["csv"],
                                                                                         "pengaduan_per_opd")))
    return "\n".join(lines)


def run() -> str:
    """Seed, time and return the printed table."""
    with tempfile.TemporaryDirectory(prefix="tk-dashboard-") as folder:
        result = asyncio.run(_bench(Path(folder)))
    return report(result)


if __name__ == "__main__":
    print(run())
