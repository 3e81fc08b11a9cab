"""Run every benchmark and print its table: `python -m bench` (`make bench`).

Each benchmark module exposes `run() -> str`. Add a module to BENCHMARKS to include it;
`python -m bench --only NAME` runs one.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import time

# name -> module; each module has run() -> str returning its printed table.
BENCHMARKS = {
    "evaluate": "bench.evaluate",
    "learning": "bench.learning",
    "speed": "bench.speed",
    "dashboard": "bench.dashboard",
    "telegram": "bench.telegram",
    "whatsapp": "bench.whatsapp",
    "webchat": "bench.webchat",
}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; return 1 if one of them fails."""
    p = argparse.ArgumentParser(prog="python -m bench", description="Tanya Kota benchmarks")
    p.add_argument("--only", choices=sorted(BENCHMARKS), help="run one benchmark")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    failed = 0
    for name, module in BENCHMARKS.items():
        if args.only and name != args.only:
            continue
        start = time.perf_counter()
        print(f"== {name} ==", flush=True)
        try:
            print(importlib.import_module(module).run(), flush=True)
        except Exception:  # one broken benchmark must not hide the others
            logging.getLogger("bench").exception("benchmark %s failed", name)
            failed += 1
        print(f"({name}: {time.perf_counter() - start:.1f} s)\n", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
