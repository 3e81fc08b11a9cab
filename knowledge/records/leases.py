"""Resident leases: across instances on one PostgreSQL database, one turn of a resident at a time.

Inside one process the Dispatcher's lock runs a resident's turns one after another. Several
instances behind a load balancer do not share that lock, and Telegram's webhook or WhatsApp may
hand a resident's two quick messages (a photo, then the location) to two instances at once: both
would read the same dialogue state and the second commit would erase the first one's step.

So each turn first takes the resident's PostgreSQL advisory lock (session level, on one
connection this instance keeps for its leases): another instance polls, with backoff, until it is
released. An instance that dies loses its connection and PostgreSQL frees its locks at once; no
table, no expiry to tune. Two residents whose keys hash alike merely take turns.

What it does not give: arrival order across instances (whichever instance asks first goes
first), and the replies of two consecutive turns handled by two instances may overtake each other.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection

from knowledge.records.db import Database

log = logging.getLogger(__name__)

# The first key of the two-key advisory locks ("tk" + 1): the one-key space (migrations) never overlaps.
NAMESPACE = 0x746B01
POLL_START = 0.005  # seconds before asking again for a taken lease; doubles up to POLL_CAP
POLL_CAP = 0.1


class LeaseTimeout(TimeoutError):
    """Another instance kept the resident's lease longer than a turn may take."""


class ResidentLeases:
    """Take and release residents' turn leases for this instance (PostgreSQL only)."""

    def __init__(self, db: Database, *, wait: float = 60.0) -> None:
        if db.dialect != "postgresql":
            raise ValueError("resident leases need PostgreSQL (SQLite serves one process)")
        self.db = db
        self.wait = wait  # seconds to wait for another instance's turn before giving up
        self._conn: AsyncConnection | None = None
        self._use = asyncio.Lock()  # one statement at a time on the lease connection
        self._try = text("SELECT pg_try_advisory_lock(:ns, :key)").bindparams(
            bindparam("ns", NAMESPACE), bindparam("key"))
        self._unlock = text("SELECT pg_advisory_unlock(:ns, :key)").bindparams(
            bindparam("ns", NAMESPACE), bindparam("key"))

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Hold the resident's lease for the block (waiting for another instance's turn first)."""
        await self.acquire(key)
        try:
            yield
        finally:
            await self.release(key)

    async def acquire(self, key: str) -> None:
        """Wait until this instance holds the resident's lease; raise LeaseTimeout after `wait` seconds."""
        deadline = time.monotonic() + self.wait
        delay = POLL_START
        while not await self.try_acquire(key):
            if time.monotonic() >= deadline:
                raise LeaseTimeout(f"a resident's turn is still running elsewhere after {self.wait:.0f} s")
            await asyncio.sleep(delay)
            delay = min(POLL_CAP, delay * 2)

    async def try_acquire(self, key: str) -> bool:
        """Take the resident's lease if no other instance holds it; return True when held."""
        return bool(await self._scalar(self._try, key))

    async def release(self, key: str) -> None:
        """Give the resident's lease back."""
        try:
            await self._scalar(self._unlock, key)
        except Exception:  # noqa: BLE001 - the connection is gone, and with it the lock
            log.warning("releasing a resident lease failed; its connection was closed, which frees it")

    async def close(self) -> None:
        """Close the lease connection (PostgreSQL frees every lease it held)."""
        async with self._use:
            if self._conn is not None:
                conn, self._conn = self._conn, None
                await _discard(conn)

    async def _scalar(self, statement: object, key: str) -> object:
        async with self._use:
            if self._conn is None:
                conn = await self.db.engine.connect()
                # Autocommit: session-level locks outlive statements; no transaction stays open.
                self._conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            try:
                return await self._conn.scalar(statement, {"key": key_hash(key)})
            except Exception:
                conn, self._conn = self._conn, None  # a broken connection: its locks are gone too
                await _discard(conn)
                raise


def key_hash(key: str) -> int:
    """Return a stable signed 32-bit number for a resident key (the advisory lock's second key)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), "big", signed=True)


async def _discard(conn: AsyncConnection) -> None:
    """Close the database session for good: back in the pool it would keep holding the leases."""
    try:
        await conn.invalidate()
        await conn.close()
    except Exception:  # noqa: BLE001 - it was broken already
        log.debug("closing a lease connection failed", exc_info=True)
