"""Exactly-once bookkeeping of inbound updates, written in group commits.

Same records and meaning as `knowledge.records.inbound` (remember → handle → mark done; the
pending ones are replayed after a crash), but every remember and done-mark waiting at the same
moment shares one transaction. A remember is written at once (the update waits for it); done-marks
wait up to `done_delay` to ride along with the next remembers, so a busy bot writes one
transaction per group instead of two per update. On SQLite, where every transaction takes its
turn on the one connection, this leaves the connection to the conversations themselves. (A crash
within that delay replays an answered update: the same window a crash between the answer and the
done-mark always had, a little longer.)
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import bindparam, update

from knowledge.records import inbound
from knowledge.records.db import Database, Prepared
from knowledge.records.models import InboundRow, utcnow

log = logging.getLogger(__name__)

MAX_BATCH = 200  # rows per statement, well within SQLite's bound-parameter limit


class InboundJournal:
    """Remember updates and mark them done, batching what arrives together."""

    def __init__(self, db: Database, channel: str, *, done_delay: float = 0.05) -> None:
        self.db = db
        self.channel = channel
        self.done_delay = done_delay
        self._timer: asyncio.TimerHandle | None = None
        self._remember: list[tuple[str, dict[str, Any] | None, asyncio.Future[bool]]] = []
        self._done: list[str] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        # Core statements on a connection, built once: no ORM bookkeeping or statement building per update.
        table = InboundRow.__table__
        self._insert = Prepared(inbound.insert_statement)
        self._mark_done = (update(table)
                           .where(table.c.channel == bindparam("b_channel"),
                                  table.c.message_id.in_(bindparam("b_ids", expanding=True)))
                           .values(status="done", done_at=bindparam("b_now"), payload=None))

    def start(self) -> None:
        """Start the writer task."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"inbound-journal-{self.channel}")

    async def stop(self) -> None:
        """Write what is queued, then stop the writer."""
        if self._task is None:
            return
        await self.flush()
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass
        self._task = None

    async def remember(self, message_id: str, payload: dict[str, Any] | None = None) -> bool:
        """Record an update before handling it; return False when it was seen before."""
        if self._task is None:
            self.start()
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._remember.append((str(message_id), payload, future))
        self._kick()
        return await future

    def mark_done(self, message_id: str) -> None:
        """Record that an update was handled (written with the next group)."""
        if self._task is None:
            self.start()
        self._done.append(str(message_id))
        self._idle.clear()
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.done_delay, self._kick)

    async def flush(self) -> None:
        """Wait until everything queued so far is written."""
        if self._remember or self._done:
            self._kick()
        await self._idle.wait()

    def _kick(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._idle.clear()
        self._wake.set()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._remember or self._done:
                if self._timer is not None:  # the done-marks go with this group
                    self._timer.cancel()
                    self._timer = None
                remember, self._remember = self._remember[:MAX_BATCH], self._remember[MAX_BATCH:]
                done, self._done = self._done[:MAX_BATCH], self._done[MAX_BATCH:]
                try:
                    await self._write(remember, done)
                except Exception as exc:  # the callers decide: a webhook answers 500, Telegram retries
                    log.exception("inbound journal write failed")
                    for _, _, future in remember:
                        if not future.done():
                            future.set_exception(exc)
            if not self._remember and not self._done:
                self._idle.set()

    async def _write(self, remember: list[tuple[str, dict[str, Any] | None, asyncio.Future[bool]]],
                     done: list[str]) -> None:
        now = utcnow()
        first: dict[str, asyncio.Future[bool]] = {}
        repeats: list[asyncio.Future[bool]] = []
        rows = []
        for message_id, payload, future in remember:
            if message_id in first:  # the same update twice in one batch: the first one wins
                repeats.append(future)
                continue
            first[message_id] = future
            rows.append({"channel": self.channel, "message_id": message_id, "payload": payload,
                         "status": "pending", "attempts": 1, "received_at": now})
        inserted: set[str] = set()
        async with self.db.hot() as conn:  # (see knowledge.records.hot: every question passes here)
            if rows:
                inserted = {message_id for _, message_id in (await conn.execute(self._insert.on(conn), rows)).all()}
            if done:
                await conn.execute(self._mark_done, {"b_channel": self.channel, "b_ids": done, "b_now": now})
        for message_id, future in first.items():
            if not future.done():
                future.set_result(message_id in inserted)
        for future in repeats:
            if not future.done():
                future.set_result(False)
