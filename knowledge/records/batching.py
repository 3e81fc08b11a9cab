"""Group commit: the database work of callers who arrive together done in one round.

Each transaction costs a fixed price (on SQLite: the one connection's turn, BEGIN IMMEDIATE,
COMMIT and a thread hop per driver call; on PostgreSQL: round trips), so concurrent conversation
turns share one. `Batcher.submit(item)` queues an item and returns once the round that wrote it
has finished (committed), with the item's result. One round runs at a time; what arrives during
a round goes in the next. No background task outlives the work: a round's task is started when
work arrives and ends when the queue is empty.

If a round fails, its items are retried one by one, so one bad item fails only its own caller.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

MAX_BATCH = 200  # items per round: multi-row statements stay well within SQLite's parameter limit


class Batcher(Generic[T, R]):
    """Run `work(items) -> results` (same order) for the items submitted together."""

    def __init__(self, work: Callable[[Sequence[T]], Awaitable[Sequence[R]]], *, name: str,
                 max_batch: int = MAX_BATCH) -> None:
        self._work = work
        self._name = name
        self._max_batch = max_batch
        self._queue: list[tuple[T, asyncio.Future[R]]] = []
        self._round: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> R:
        """Queue one item; return its result once its round is done (raise its error if it failed)."""
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._round is None or self._round.done():
            self._round = asyncio.create_task(self._rounds(), name=f"batch-{self._name}")
        # Awaited directly, not shielded (a shield costs the loop another round on every call): a cancelled
        # caller cancels only its own future, never the round, which still writes the item with the
        # others and skips settling a cancelled future.
        return await future

    async def _rounds(self) -> None:
        batch: list[tuple[T, asyncio.Future[R]]] = []
        try:
            while self._queue:
                batch, self._queue = self._queue[:self._max_batch], self._queue[self._max_batch:]
                try:
                    results = await self._work([item for item, _ in batch])
                except Exception as exc:  # noqa: BLE001 - retried alone below, each caller gets its own outcome
                    if len(batch) == 1:
                        _settle(batch[0][1], exc=exc)
                        continue
                    log.warning("%s: a round of %d failed (%s); retrying them one by one",
                                self._name, len(batch), exc)
                    await self._one_by_one(batch)
                    continue
                for (_, future), result in zip(batch, results, strict=True):
                    _settle(future, result=result)
        except BaseException:  # cancelled (the loop is closing): nobody may wait forever
            pending, self._queue = batch + self._queue, []
            for _, future in pending:
                if not future.done():
                    future.cancel()
            raise

    async def _one_by_one(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        for item, future in batch:
            try:
                (result,) = await self._work([item])
            except Exception as exc:  # noqa: BLE001 - this caller's own failure
                _settle(future, exc=exc)
            else:
                _settle(future, result=result)


def _settle(future: asyncio.Future[Any], *, result: Any = None, exc: BaseException | None = None) -> None:
    if future.done():  # the caller's loop is gone or it was cancelled: nothing to tell
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(result)
