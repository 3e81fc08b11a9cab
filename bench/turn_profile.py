"""Where a Telegram turn's time goes, at one resident through the webhook (a diagnostic, not in `make bench`).

`python -m bench.turn_profile [QUESTIONS]` serves the whole app as `bench.telegram` does, asks
QUESTIONS questions (default 1,000) one after another, and prints the wall and CPU time per question
and the time spent inside the main steps (timers wrapped around their methods): the inbound journal
(only when a turn did not record its update itself),
the state read, matching, the turn commit and sending the replies. At one resident the run is bound
by one core, so these shares are what the throughput ratio against the echo bot is made of.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.telegram import Client, closed_loop, tanyakota
from knowledge.kb import default_kb_path
from knowledge.kbfiles import load_kb
from tests.fake_telegram import FakeTelegram

WARM_UP = 50


def _timed(owner: type, name: str, label: str, spent: Counter[str]) -> Callable[[], None]:
    """Wrap an async method with a timer adding to spent[label]; return the undo."""
    original = getattr(owner, name)

    @functools.wraps(original)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await original(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - started

    setattr(owner, name, wrapper)
    return lambda: setattr(owner, name, original)


def _instrument(spent: Counter[str]) -> list[Callable[[], None]]:
    from bot.channels.telegram_bot import TelegramChannel
    from bot.channels.telegram_journal import InboundJournal
    from handlers.commit import TurnCommitter
    from handlers.dispatch import Dispatcher
    from handlers.state import SqlStateStore

    steps = [(TelegramChannel, "_turn", "channel turn (core + send)"), (Dispatcher, "handle", "core turn"),
             (InboundJournal, "_write", "inbound journal"), (SqlStateStore, "_get_many", "state read"),
             (TurnCommitter, "_write", "turn commit"), (TelegramChannel, "send_replies", "send replies")]
    return [_timed(owner, name, label, spent) for owner, name, label in steps]


def _time_matching(spent: Counter[str]) -> Callable[[], None]:
    from knowledge.matcher import FaqMatcher

    original = FaqMatcher.match

    def match(self: FaqMatcher, text: str) -> Any:
        started = time.perf_counter()
        try:
            return original(self, text)
        finally:
            spent["matching"] += time.perf_counter() - started

    FaqMatcher.match = match  # type: ignore[method-assign]
    return lambda: setattr(FaqMatcher, "match", original)


async def profile(questions: int) -> str:
    """Run the profile and return its report."""
    texts = [f.question for f in load_kb(default_kb_path()).kb.faqs]
    spent: Counter[str] = Counter()
    undo = _instrument(spent) + [_time_matching(spent)]
    try:
        with tempfile.TemporaryDirectory(prefix="tk-profile-") as folder:
            fake = await FakeTelegram().start()
            try:
                async with tanyakota(fake, Path(folder)) as url:
                    client = Client(fake, url)
                    try:
                        await client.ask(10_000, "/start")
                        await closed_loop(client, "warm-up", 1, WARM_UP, texts, 10_000)
                        spent.clear()
                        cpu = time.process_time()
                        result = await closed_loop(client, "profile", 1, questions, texts, 10_000)
                        cpu = time.process_time() - cpu
                    finally:
                        await client.close()
            finally:
                await fake.close()
    finally:
        for restore in undo:
            restore()
    per = 1000.0 / result.count
    lines = [f"one resident, {result.count} questions: {result.throughput:.1f} answers/s, "
             f"wall {result.seconds * per:.2f} ms and CPU {cpu * per:.2f} ms per question"]
    lines += [f"  {label:26} {seconds * per:6.3f} ms" for label, seconds in spent.most_common()]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING)
    print(asyncio.run(profile(int(argv[0]) if argv else 1000)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
