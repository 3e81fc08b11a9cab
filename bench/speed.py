"""Speed benchmark: matcher build time, one-query latency, memory, and `tanyakota ask` throughput.

Targets: p99 <= 5 ms at 5,000 entries and <= 25 ms at 50,000; memory <= 300 MB at 50,000
entries; 1,000 lines through `tanyakota ask` <= 5 s including start-up. Each size is measured
in a fresh subprocess so its RSS (VmRSS from /proc) is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SIZES = (0, 5_000, 50_000)  # 0: the real default KB
TARGET_P99_MS = {5_000: 5.0, 50_000: 25.0}
TARGET_RSS_MB = 300
TARGET_ASK_S = 5.0


def rss_mb() -> float:
    """Return this process's resident memory in MB (Linux /proc; 0 elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def measure(size: int, queries: int = 400, runs: int = 3) -> dict:
    """Build a matcher over a synthetic KB of `size` entries and time queries (run in a subprocess)."""
    from bench.synthetic import synthetic_kb, synthetic_questions
    from knowledge.kb import default_kb_path
    from knowledge.kbfiles import load_kb
    from knowledge.matcher import FaqMatcher
    from knowledge.normalize import Normalizer

    normalizer = Normalizer.default()
    source = load_kb(default_kb_path()).kb
    kb = synthetic_kb(source, size) if size else source
    start = time.perf_counter()
    matcher = FaqMatcher(kb, normalizer)
    build = time.perf_counter() - start
    texts = synthetic_questions(kb, queries)
    for text in texts[:20]:  # warm the caches a resident's first questions would warm
        matcher.match(text)
    p50s, p99s = [], []
    for _ in range(runs):
        times = []
        for text in texts:
            t = time.perf_counter()
            matcher.match(text)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p50s.append(times[len(times) // 2])
        p99s.append(times[min(len(times) - 1, int(len(times) * 0.99))])
    return {"size": len(kb.faqs), "build_s": build, "p50_ms": statistics.median(p50s),
            "p99_ms": statistics.median(p99s), "rss_mb": rss_mb()}


def _measure_in_subprocess(size: int) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.speed", "--measure", str(size)], cwd=REPO,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def ask_wall_time(lines: int = 1000) -> float:
    """Return the wall time of `tanyakota ask` over `lines` questions, start-up included."""
    from bench.synthetic import synthetic_questions
    from knowledge.kb import default_kb_path
    from knowledge.kbfiles import load_kb

    texts = synthetic_questions(load_kb(default_kb_path()).kb, lines)
    with tempfile.TemporaryFile("w+") as f:
        f.writelines(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)
        f.seek(0)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot", "ask"], cwd=REPO, stdin=f, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True)
        return time.perf_counter() - start


def run(sizes: tuple[int, ...] = SIZES) -> str:
    """Run the speed benchmark and return its table."""
    lines = [f"Matcher speed (cores: {os.cpu_count()}; medians of 3 runs of 400 queries)",
             f"{'entries':>8} {'build s':>8} {'p50 ms':>8} {'p99 ms':>8} {'RSS MB':>8}  target"]
    for size in sizes:
        r = _measure_in_subprocess(size)
        target = TARGET_P99_MS.get(r["size"])
        verdict = ""
        if target:
            ok = r["p99_ms"] <= target and (r["size"] < 50_000 or r["rss_mb"] <= TARGET_RSS_MB)
            verdict = f"p99 <= {target:g} ms" + (f", RSS <= {TARGET_RSS_MB} MB" if r["size"] >= 50_000 else "")
            verdict += " OK" if ok else " MISSED"
        lines.append(f"{r['size']:>8} {r['build_s']:>8.2f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['rss_mb']:>8.0f}  {verdict}")
    wall = ask_wall_time()
    lines.append(f"tanyakota ask, 1,000 lines incl. start-up: {wall:.2f} s "
                 f"(target <= {TARGET_ASK_S:g} s {'OK' if wall <= TARGET_ASK_S else 'MISSED'})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the speed table, or (--measure N) one size's figures as JSON."""
    p = argparse.ArgumentParser(prog="python -m bench.speed")
    p.add_argument("--measure", type=int, help="measure one KB size in this process; print JSON")
    p.add_argument("--sizes", help="comma-separated KB sizes, 0 = the real KB (default 0,5000,50000)")
    args = p.parse_args(argv)
    if args.measure is not None:
        print(json.dumps(measure(args.measure)))
        return 0
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else SIZES
    print(run(sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
