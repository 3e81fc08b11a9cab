"""Dialogue state per resident (e.g. a half-filled complaint), behind one small store interface.

`MemoryStateStore` serves tests and the console; `SqlStateStore` keeps state in the
database so it survives restarts and is shared by several instances. Both pass the same
contract tests (tests/test_state_store.py). Keys look like "<channel>:<external_id>";
values are JSON-able dicts. Stored data is copied: changing a dict after `set` or `get`
never changes what is stored.

Optional `ttl` (an extension of the contract): state untouched for longer reads as absent,
so a resident returning days later starts fresh instead of inside an old flow.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from sqlalchemy import bindparam, delete, select

from knowledge.records.batching import Batcher
from knowledge.records.db import Database, Prepared, dialect_insert
from knowledge.records.models import ConversationStateRow, utcnow


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

    def __init__(self, db: Database, *, ttl: dt.timedelta | None = None, clock: Callable[[], dt.datetime] = utcnow):
        self.db = db
        self.ttl = ttl
        self.clock = clock
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
        return await self._reads.submit(key)

    async def _get_many(self, keys: Sequence[str]) -> list[dict[str, Any] | None]:
        async with self.db.hot(write=False) as conn:  # Core, no ORM session: every turn starts here
            rows = (await conn.execute(self._select, {"keys": list(set(keys))})).all()
        cutoff = self.clock() - self.ttl if self.ttl is not None else None
        expired = [key for key, _, updated_at in rows if cutoff is not None and updated_at < cutoff]
        if expired:  # (a state written since the read is newer than the cutoff, and stays)
            async with self.db.hot() as conn:
                await conn.execute(self._delete, {"keys": expired, "cutoff": cutoff})
        found = {key: data for key, data, _ in rows if key not in expired}
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

    async def set_in(self, session: Any, key: str, data: dict[str, Any]) -> None:
        """Store the state in the caller's transaction (the caller commits): the Dispatcher saves a
        turn's state, resident and events in one transaction (an extension of the contract)."""
        data = _checked(data)
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
        await session.execute(self._upsert.on(session), list(rows.values()))

    async def clear(self, key: str) -> None:
        """Forget the state (no error if there is none)."""
        async with self.db.session() as session:
            await session.execute(delete(ConversationStateRow).where(ConversationStateRow.key == key))
            await session.commit()

    async def purge(self, older_than: dt.datetime) -> int:
        """Delete states untouched since `older_than`; return how many."""
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
