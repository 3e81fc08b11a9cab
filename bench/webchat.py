"""Web-chat benchmark: 50 residents asking questions through POST /api/chat on a real `tanyakota serve`.

The server runs as a subprocess (SQLite in a temporary folder, the default Padang knowledge
base, the per-resident rate limit lifted) so the load generator does not share its event loop.
Each resident first says "/start" (not measured), then asks questions drawn from the KB's own
questions and paraphrases plus some off-topic ones. Two loads, several runs each:

- paced: every resident waits 0.5-1.5 s between questions (a busy hour: ~50 questions/s);
- flat out: every resident sends its next question as soon as the answer arrives (saturation).

Reported: median and p99 of one question turn as the client sees it (HTTP round trip), and
throughput; the median of the runs, after one paced warm-up run that is reported on its own.
Target: p99 <= 50 ms with 50 paced residents on SQLite.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from knowledge.kb import default_kb_path
from knowledge.kbfiles import load_kb

RESIDENTS = 50
RUNS = 3
PACED_QUESTIONS = 10  # per resident and run
FLAT_QUESTIONS = 20
OFF_TOPIC = ["siapa juara piala dunia 2022", "resep rendang yang enak", "harga tiket pesawat ke jakarta",
             "cuaca besok bagaimana", "halo apa kabar"]
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _questions() -> list[str]:
    kb = load_kb(default_kb_path()).kb
    texts = [t for f in kb.faqs for t in (f.question, *f.alternatives)]
    return texts + OFF_TOPIC * max(1, len(texts) // 50)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def _wait_ready(http: aiohttp.ClientSession, base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            async with http.get(f"{base}/healthz") as resp:
                if resp.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError("server did not become ready")


async def _resident(http: aiohttp.ClientSession, base: str, user: str, questions: list[str], count: int,
                    paced: bool, rng: random.Random, latencies: list[float]) -> None:
    for _ in range(count):
        if paced:
            await asyncio.sleep(rng.uniform(0.5, 1.5))
        started = time.perf_counter()
        async with http.post(f"{base}/api/chat", json={"user": user, "text": rng.choice(questions)}) as resp:
            await resp.read()
            if resp.status != 200:
                raise RuntimeError(f"HTTP {resp.status}")
        latencies.append((time.perf_counter() - started) * 1000)


async def _load(base: str, questions: list[str], run: int, paced: bool) -> tuple[list[float], float]:
    connector = aiohttp.TCPConnector(limit=RESIDENTS * 2)
    async with aiohttp.ClientSession(connector=connector) as http:
        users = [f"bench-{'p' if paced else 'f'}{run}-{i}" for i in range(RESIDENTS)]
        for user in users:  # first contact (greeting, resident row) is not what we measure
            async with http.post(f"{base}/api/chat", json={"user": user, "text": "/start"}) as resp:
                await resp.read()
        latencies: list[float] = []
        count = PACED_QUESTIONS if paced else FLAT_QUESTIONS
        started = time.perf_counter()
        await asyncio.gather(*(_resident(http, base, u, questions, count, paced, random.Random(f"{run}{u}"),
                                         latencies) for u in users))
        return latencies, len(latencies) / (time.perf_counter() - started)


async def _bench(base: str, proc: subprocess.Popen) -> str:
    questions = _questions()
    async with aiohttp.ClientSession() as http:
        await _wait_ready(http, base, proc)
        # Warm up at the measured concurrency (a fresh process compiles SQL statements, opens its
        # connections and grows its buffers on the first burst): 200 turns, not measured.
        async def warm(i: int) -> None:
            for text in questions[i::RESIDENTS][:4]:
                async with http.post(f"{base}/api/chat", json={"user": f"warmup-{i}", "text": text}) as resp:
                    await resp.read()

        await asyncio.gather(*(warm(i) for i in range(RESIDENTS)))
    # One paced run first, not counted: the first burst after start-up is slower on both sides
    # (p99 ~75-110 ms here; buffers, connections and caches grow), a server runs for days.
    first, _ = await _load(base, questions, -1, True)
    rows = []
    for paced in (True, False):
        medians, p99s, rates = [], [], []
        for run in range(RUNS):
            latencies, rate = await _load(base, questions, run, paced)
            medians.append(statistics.median(latencies))
            p99s.append(_pct(latencies, 0.99))
            rates.append(rate)
        rows.append((("paced 0.5-1.5 s" if paced else "flat out"), statistics.median(medians),
                     statistics.median(p99s), p99s, statistics.median(rates)))
    lines = [f"web chat: {RESIDENTS} concurrent residents, POST /api/chat, SQLite, default KB, "
             f"{RUNS} runs each, os.cpu_count()={os.cpu_count()}",
             f"{'load':<17}{'median ms':>10}{'p99 ms':>9}{'questions/s':>13}   p99 of each run (ms)"]
    for name, median, p99, runs, rate in rows:
        each = " / ".join(f"{v:.0f}" for v in runs)
        lines.append(f"{name:<17}{median:>10.1f}{p99:>9.1f}{rate:>13.0f}   {each}")
    lines.append(f"first run after start-up (not counted above): median {statistics.median(first):.1f} ms, "
                 f"p99 {_pct(first, 0.99):.1f} ms")
    lines.append("target: p99 <= 50 ms with 50 paced residents")
    return "\n".join(lines)


def run() -> str:
    """Start a server, drive the load, return the table."""
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="tk-bench-web-") as tmp:
        env = {**os.environ, "TANYAKOTA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/bench.db",
               "TANYAKOTA_PORT": str(port), "TANYAKOTA_SECRET_KEY": "bench-secret-key-0123456789",
               "TANYAKOTA_MEDIA_DIR": f"{tmp}/media", "TANYAKOTA_RATE_LIMIT_PER_MINUTE": "100000"}
        for name in ("TELEGRAM_BOT_TOKEN", "WHATSAPP_ACCESS_TOKEN", "TANYAKOTA_KB"):
            env.pop(name, None)
        proc = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            return asyncio.run(_bench(f"http://127.0.0.1:{port}", proc))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    print(run())
