"""Dialogue state per resident (e.g. a half-filled complaint), behind one small store interface.

`MemoryStateStore` serves tests and the console; `SqlStateStore` keeps state in the
database so it survives restarts and is shared by several instances. Both pass the same
contract tests (tests/test_state_store.py). Keys look like "<channel>:<external_id>";
values are JSON-able dicts. Stored data is copied: changing a dict after `set` or `get`
never changes what is stored.

Optional `ttl` (an extension of the contract): state untouched for longer reads as absent,
so a resident returning days later starts fresh instead of inside an old flow.

`SqlStateStore(cache=True)` also keeps the states it last read or committed in memory (the most
recent `MAX_CACHED` residents), so a returning resident's turn starts without a database read.
Only for a process that is the sole writer of the table: bot.core turns it on where there is one
instance (SQLite), never where several instances share the database (PostgreSQL).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from sqlalchemy import bindparam, delete, select

from knowledge.records.batching import Batcher
from knowledge.records.db import Database, Prepared, dialect_insert
from knowledge.records.models import ConversationStateRow, utcnow

MAX_CACHED = 10_000  # residents whose state SqlStateStore(cache=True) keeps in memory (~1 KB each)


class StateStore(Protocol):
    async def get(self, key: str) -> dict[str, Any] | None: ...

    async def set(self, key: str, data: dict[str, Any]) -> None: ...

    async def clear(self, key: str) -> None: ...


def _checked(data: dict[str, Any]) -> dict[str, Any]:
    """Return a deep copy of JSON-able data, or raise TypeError (so memory and SQL behave alike)."""
    if not isinstance(data, dict):
        raise TypeError("state must be a dict")
    return json.loads(json.dumps(data))


class MemoryStateStore:
    """Keep state in a dict (one process, lost on restart)."""

    def __init__(self, *, ttl: dt.timedelta | None = None, clock: Callable[[], dt.datetime] = utcnow):
        self.ttl = ttl
        self.clock = clock
        self._data: dict[str, tuple[dt.datetime, dict[str, Any]]] = {}

    async def get(self, key: str) -> dict[str, Any] | None:
        """Return the stored state, or None."""
        found = self._data.get(key)
        if found is None:
            return None
        updated, data = found
        if self.ttl is not None and self.clock() - updated > self.ttl:
            del self._data[key]
            return None
        return copy.deepcopy(data)

    async def set(self, key: str, data: dict[str, Any]) -> None:
        """Store (replace) the state."""
        self._data[key] = (self.clock(), _checked(data))

    async def clear(self, key: str) -> None:
        """Forget the state (no error if there is none)."""
        self._data.pop(key, None)


class SqlStateStore:
    """Keep state in the conversation_states table, one short transaction per call.

    Reads that arrive together share one transaction and one SELECT (group commit, see
    knowledge.records.batching): every turn starts with one, so this is a hot path.
    """

    def __init__(self, db: Database, *, ttl: dt.timedelta | None = None, clock: Callable[[], dt.datetime] = utcnow,
                 cache: bool = False):
        self.db = db
        self.ttl = ttl
        self.clock = clock
        # key -> (updated_at, JSON text) as committed; None: every read goes to the database.
        self._cache: OrderedDict[str, tuple[dt.datetime, str]] | None = OrderedDict() if cache else None
        self._writes = 0  # bumped by every write: a read begun before one must not fill the cache
        self._reads: Batcher[str, dict[str, Any] | None] = Batcher(self._get_many, name="state-reads")
        # Every turn reads and most write: the statements are built once (see Prepared).
        table = ConversationStateRow.__table__
        self._select = (select(table.c.key, table.c.data, table.c.updated_at)
                        .where(table.c.key.in_(bindparam("keys", expanding=True))))
        self._delete = delete(table).where(table.c.key.in_(bindparam("keys", expanding=True)),
                                           table.c.updated_at < bindparam("cutoff"))
        self._upsert = Prepared(lambda insert: _upsert(insert(table)))

    async def get(self, key: str) -> dict[str, Any] | None:
        """Return the stored state, or None."""
        self.db.check_not_nested()
        cached = self._cached(key)
        if cached is not None:
            return json.loads(cached)
        return await self._reads.submit(key)

    def _cached(self, key: str) -> str | None:
        """Return the cached JSON text of a live state (an expired one is left to the database read)."""
        if self._cache is None or (found := self._cache.get(key)) is None:
            return None
        updated_at, text = found
        if self.ttl is not None and updated_at < self.clock() - self.ttl:
            del self._cache[key]
            return None
        self._cache.move_to_end(key)
        return text

    def _remember(self, key: str, updated_at: dt.datetime, data: dict[str, Any]) -> None:
        assert self._cache is not None
        self._cache[key] = (updated_at, json.dumps(data))
        self._cache.move_to_end(key)
        while len(self._cache) > MAX_CACHED:
            self._cache.popitem(last=False)

    def _forget(self, keys: Sequence[str] | None = None) -> None:
        """A write is on its way (the caller commits it, or not): drop the keys (None: all) from the cache."""
        self._writes += 1
        if self._cache is None:
            return
        if keys is None:
            self._cache.clear()
        for key in keys or ():
            self._cache.pop(key, None)

    def committed(self, items: Sequence[tuple[str, dict[str, Any]]]) -> None:
        """Note states the caller has just committed (written with `set_in` / `set_many_in`)."""
        if self._cache is None:
            return
        self._writes += 1
        now = self.clock()
        for key, data in items:
            self._remember(key, now, data)

    async def _get_many(self, keys: Sequence[str]) -> list[dict[str, Any] | None]:
        writes = self._writes
        async with self.db.hot(write=False) as conn:  # Core, no ORM session: every turn starts here
            rows = (await conn.execute(self._select, {"keys": list(set(keys))})).all()
        cutoff = self.clock() - self.ttl if self.ttl is not None else None
        expired = [key for key, _, updated_at in rows if cutoff is not None and updated_at < cutoff]
        if expired:  # (a state written since the read is newer than the cutoff, and stays)
            async with self.db.hot() as conn:
                await conn.execute(self._delete, {"keys": expired, "cutoff": cutoff})
        found = {key: data for key, data, _ in rows if key not in expired}
        if self._cache is not None and writes == self._writes:  # nothing written meanwhile: still current
            for key, data, updated_at in rows:
                if key in found:
                    self._remember(key, updated_at, data)
        results: list[dict[str, Any] | None] = []
        given: set[str] = set()
        for key in keys:
            data = found.get(key)
            if data is None:
                results.append(None)
            else:  # the same key asked twice in one round: each caller gets its own copy
                results.append(copy.deepcopy(data) if key in given else data)
                given.add(key)
        return results

    async def set(self, key: str, data: dict[str, Any]) -> None:
        """Store (replace) the state."""
        async with self.db.session() as session:
            await self.set_in(session, key, data)
            await session.commit()
        self.committed([(key, data)])

    async def set_in(self, session: Any, key: str, data: dict[str, Any]) -> None:
        """Store the state in the caller's transaction (the caller commits): the Dispatcher saves a
        turn's state, resident and events in one transaction (an extension of the contract)."""
        data = _checked(data)
        self._forget([key])
        now = self.clock()
        insert = dialect_insert(session)(ConversationStateRow).values(key=key, data=data, updated_at=now)
        await session.execute(insert.on_conflict_do_update(
            index_elements=[ConversationStateRow.key], set_={"data": insert.excluded.data, "updated_at": now}))

    async def set_many_in(self, session: Any, items: Sequence[tuple[str, dict[str, Any]]]) -> None:
        """Store several states in the caller's transaction with one statement (the caller commits)."""
        now = self.clock()
        rows = {key: {"key": key, "data": _checked(data), "updated_at": now} for key, data in items}
        if not rows:  # (one row per key: PostgreSQL refuses to upsert a row twice in one statement)
            return
        self._forget(list(rows))
        await session.execute(self._upsert.on(session), list(rows.values()))

    async def clear(self, key: str) -> None:
        """Forget the state (no error if there is none)."""
        self._forget([key])
        async with self.db.session() as session:
            await session.execute(delete(ConversationStateRow).where(ConversationStateRow.key == key))
            await session.commit()

    async def purge(self, older_than: dt.datetime) -> int:
        """Delete states untouched since `older_than`; return how many."""
        self._forget()
        async with self.db.session() as session:
            result = await session.execute(
                delete(ConversationStateRow).where(ConversationStateRow.updated_at < older_than))
            await session.commit()
            return result.rowcount or 0


def _upsert(insert: Any) -> Any:
    """Return the multi-row upsert of states (`insert` is the dialect's insert on the table)."""
    table = ConversationStateRow.__table__
    return insert.on_conflict_do_update(
        index_elements=[table.c.key], set_={"data": insert.excluded.data, "updated_at": insert.excluded.updated_at})
