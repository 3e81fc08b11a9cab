"""WhatsApp webhook benchmark: signed notifications per second, and their p99 latency.

Everything runs on this machine in one event loop: the fake Graph API (tests/fake_graph.py,
answering at once), our whole app (`create_app` with WhatsApp on, SQLite in a temporary folder)
and the client that plays Meta, which signs every notification with the app secret.

Two latencies per message:
- webhook: the POST until its 200 — what Meta waits for (the message is stored durably by then);
- answer: the POST until the fake Graph API receives the bot's answer to that resident (the
  message that ends the turn, the one carrying the 👍/👎 buttons or the choices).

Runs, on SQLite (the default) and, when the test server answers, on PostgreSQL: closed loop with
1, 10 and 50 residents (each asks an FAQ question, waits for the answer, asks the next); open
loop at 80 messages/s (a number's default throughput) for 5 s from 100 residents; a burst of
status receipts (sent/delivered/read for messages the bot sent).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import os
import random
import secrets
import socket
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp import web

from knowledge.kb import default_kb_path
from knowledge.kbfiles import load_kb

log = logging.getLogger(__name__)

LEVELS = {1: 60, 10: 300, 50: 600}  # concurrent residents -> questions asked
OPEN_LOOP_RATE = 80.0
OPEN_LOOP_SECONDS = 5.0
RECEIPTS = 1500
TIMEOUT = 30.0
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


@dataclass
class Result:
    name: str
    count: int
    seconds: float
    webhook: list[float]
    answer: list[float]

    @property
    def throughput(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


class Meta:
    """Plays Meta: signs and POSTs notifications, and times the bot's answers per resident."""

    def __init__(self, fake, url: str):
        self.fake = fake
        self.url = url
        self.waiting: dict[str, asyncio.Future[float]] = {}
        fake.listeners.append(self._on_message)
        self.http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=300))

    def _on_message(self, call) -> None:
        future = self.waiting.get(call.recipient or "")
        if future is not None and call.options and not future.done():  # the message that ends the turn
            future.set_result(time.perf_counter())

    async def post(self, payload: dict) -> float:
        """POST a signed notification; return the seconds until its 200."""
        raw = json.dumps(payload).encode()
        start = time.perf_counter()
        async with self.http.post(self.url, data=raw, headers={"Content-Type": "application/json",
                                                               "X-Hub-Signature-256": self.fake.sign(raw)}) as resp:
            await resp.read()
            if resp.status != 200:
                raise RuntimeError(f"webhook answered {resp.status}")
        return time.perf_counter() - start

    async def ask(self, user: str, text: str) -> tuple[float, float]:
        """Send a question; return (webhook seconds, answer seconds)."""
        future = asyncio.get_running_loop().create_future()
        self.waiting[user] = future
        start = time.perf_counter()
        webhook = await self.post(self.fake.text(user, text))
        answered = await asyncio.wait_for(future, TIMEOUT)
        return webhook, answered - start

    async def close(self) -> None:
        await self.http.close()


@asynccontextmanager
async def database(kind: str, data_dir: Path) -> AsyncIterator[tuple[str, object]]:
    """Yield (url, Database) for a fresh SQLite file or a fresh PostgreSQL schema (dropped after)."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    from knowledge.records.db import Database

    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{data_dir / 'bench.db'}"
        yield url, Database(url)
        return
    url = os.environ.get("TANYAKOTA_TEST_PG_URL") or PG_URL
    schema = f"tk_bench_{secrets.token_hex(4)}"
    admin = create_async_engine(url)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield url, Database(url, schema=schema)
    finally:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await admin.dispose()


@asynccontextmanager
async def serving(data_dir: Path, kind: str = "sqlite") -> AsyncIterator[tuple[object, Meta, object]]:
    """Serve the whole app with WhatsApp pointed at a fresh fake Graph API."""
    from bot.app import create_app
    from bot.channels.whatsapp import WHATSAPP
    from bot.settings import Settings
    from tests.fake_graph import FakeGraph

    fake = await FakeGraph().start()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    async with database(kind, data_dir) as (url, db):
        env = {"TANYAKOTA_DATABASE_URL": url, "TANYAKOTA_SECRET_KEY": "bench-secret-key-0123456789",
               "TANYAKOTA_RATE_LIMIT_PER_MINUTE": "100000", "TANYAKOTA_DATA_DIR": str(data_dir),
               **fake.env(WHATSAPP_RATE="1000")}
        app = create_app(Settings.from_env(env), db=db)
        runner = web.AppRunner(app, access_log=None)
        with contextlib.redirect_stdout(io.StringIO()):  # the first run prints the kominfo password
            await runner.setup()
        await web.SockSite(runner, sock).start()
        fake.webhook_url = f"http://127.0.0.1:{port}/webhook/whatsapp"
        meta = Meta(fake, fake.webhook_url)
        try:
            yield fake, meta, app[WHATSAPP]
        finally:
            await meta.close()
            await runner.cleanup()
            await fake.close()


def postgres_available() -> bool:
    """Return True when the PostgreSQL server the tests use answers."""
    from tests.conftest import _probe_postgres

    return _probe_postgres(os.environ.get("TANYAKOTA_TEST_PG_URL") or PG_URL) is None


async def closed_loop(meta: Meta, questions: list[str], residents: int, count: int) -> Result:
    users = [f"62811{residents:03d}{i:05d}" for i in range(residents)]
    for user in users:  # first contact (greeting) is not what we measure
        await meta.ask(user, questions[0])
    webhook: list[float] = []
    answer: list[float] = []
    per_user = max(1, count // residents)

    async def resident(user: str) -> None:
        for _ in range(per_user):
            w, a = await meta.ask(user, random.choice(questions))
            webhook.append(w)
            answer.append(a)

    start = time.perf_counter()
    await asyncio.gather(*(resident(u) for u in users))
    return Result(f"closed loop, {residents} resident(s)", len(answer), time.perf_counter() - start, webhook, answer)


async def open_loop(meta: Meta, questions: list[str], rate: float, seconds: float, residents: int = 100) -> Result:
    """Send `rate` questions per second whatever the answers do, spread over `residents` residents."""
    users = [f"62812{i:07d}" for i in range(residents)]
    for user in users:
        await meta.ask(user, questions[0])
    webhook: list[float] = []
    answer: list[float] = []
    busy: set[str] = set()

    async def one(user: str) -> None:
        try:
            w, a = await meta.ask(user, random.choice(questions))
        finally:
            busy.discard(user)
        webhook.append(w)
        answer.append(a)

    tasks = []
    start = time.perf_counter()
    for i in range(int(rate * seconds)):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        # The next resident without a question in flight (answers are matched per resident).
        user = next((u for u in users[i % residents:] + users[: i % residents] if u not in busy), None)
        if user is None:
            continue  # everyone is waiting: the bot is saturated; the shortfall shows in the count
        busy.add(user)
        tasks.append(asyncio.create_task(one(user)))
    await asyncio.gather(*tasks)
    return Result(f"open loop, {rate:.0f} msg/s, {residents} residents", len(answer),
                  time.perf_counter() - start, webhook, answer)


async def receipts(fake, meta: Meta, count: int, concurrency: int = 20) -> Result:
    sent = fake.sent()
    webhook: list[float] = []
    queue = [fake.status(c.wamid, random.choice(("sent", "delivered", "read")), c.recipient)
             for c in (sent * (count // max(1, len(sent)) + 1))[:count]]

    async def worker() -> None:
        while queue:
            webhook.append(await meta.post(queue.pop()))

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Result(f"status receipts, {concurrency} concurrent", len(webhook), time.perf_counter() - start, webhook, [])


async def measure(kind: str) -> list[Result]:
    questions = [faq.question for faq in load_kb(default_kb_path()).kb.faqs][:200]
    random.seed(7)
    results = []
    with tempfile.TemporaryDirectory(prefix="tk-bench-wa-") as tmp:
        async with serving(Path(tmp), kind) as (fake, meta, channel):
            await meta.ask("628100000000", questions[0])  # warm up: migrations done, matcher built
            for residents, count in LEVELS.items():
                results.append(await closed_loop(meta, questions, residents, count))
            results.append(await open_loop(meta, questions, OPEN_LOOP_RATE, OPEN_LOOP_SECONDS))
            await channel.settle()
            results.append(await receipts(fake, meta, RECEIPTS))
            refused = len(fake.refused())
    if refused:
        log.warning("the fake Graph API refused %d message(s)", refused)
    for result in results:
        result.name = f"{kind}: {result.name}"
    return results


def table(results: list[Result]) -> str:
    lines = [f"{'run':<52} {'msgs':>5} {'msg/s':>7} {'webhook p50':>11} {'p99 ms':>7} {'answer p50':>10} {'p99 ms':>7}",
             "-" * 106]
    for r in results:
        answer = f"{pct(r.answer, 0.5):>10.1f} {pct(r.answer, 0.99):>7.1f}" if r.answer else f"{'-':>10} {'-':>7}"
        lines.append(f"{r.name:<52} {r.count:>5} {r.throughput:>7.1f} {pct(r.webhook, 0.5):>11.1f} "
                     f"{pct(r.webhook, 0.99):>7.1f} {answer}")
    lines.append("webhook: POST → 200 (message stored); answer: POST → the bot's answer at the Graph API. "
                 "One process, one event loop; fake Graph API answering at once.")
    return "\n".join(lines)


def run() -> str:
    """Run the WhatsApp webhook benchmark and return its table."""
    for name in ("bot", "knowledge", "handlers", "aiohttp.access"):
        logging.getLogger(name).setLevel(logging.WARNING)
    results = asyncio.run(measure("sqlite"))
    if postgres_available():
        results += asyncio.run(measure("postgresql"))
    else:
        log.warning("PostgreSQL is not reachable: the WhatsApp benchmark ran on SQLite only")
    return table(results)


if __name__ == "__main__":
    print(run())
