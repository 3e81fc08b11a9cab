"""Group commit of conversation turns: what turns ending together write, in one transaction.

Most turns (questions) touch the database only at their end: the resident's last-message time,
the turn's analytics events and the dialogue state. The Dispatcher hands those to
`TurnCommitter.commit`, which writes every turn waiting at that moment with one multi-row
statement per table and one COMMIT, and returns only once that is committed: a resident's
state is durable before their reply is sent. Turns whose features used the session themselves
(a complaint, /status, feedback) commit their own transaction as before.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from knowledge.records.batching import Batcher
from knowledge.records.db import Prepared
from knowledge.records.residents import ResidentTouch, touch_residents, touch_statement

if TYPE_CHECKING:
    from handlers.context import Services

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TurnWrite:
    """What one finished turn writes."""

    resident: ResidentTouch
    events: tuple[dict[str, Any], ...]  # EventRecorder.values(...)
    state: tuple[str, dict[str, Any]] | None = None  # (key, data) when the state changed


def supports_group_commit(services: Services) -> bool:
    """Return True when the services' stores can write turns in groups (the SQL state store)."""
    return hasattr(services.state, "set_many_in") and hasattr(services.events, "insert_many")


class TurnCommitter:
    """Write the turns handed in together in one transaction; each caller returns after COMMIT."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._batcher: Batcher[TurnWrite, None] = Batcher(self._write, name="turns")
        self._touch = Prepared(touch_statement)

    async def commit(self, write: TurnWrite) -> None:
        """Write one turn (with whatever other turns are ready) and return once it is committed."""
        self.services.db.check_not_nested()
        await self._batcher.submit(write)

    async def _write(self, writes: Sequence[TurnWrite]) -> list[None]:
        services = self.services
        # Core statements, not an ORM session: nothing here needs the unit of work, and this runs every
        # turn (on SQLite straight on the driver, see knowledge.records.hot).
        async with services.db.hot() as conn:
            await touch_residents(conn, [w.resident for w in writes], statement=self._touch)
            await services.events.insert_many(conn, [e for w in writes for e in w.events])
            states = [w.state for w in writes if w.state is not None]
            await services.state.set_many_in(conn, states)
        note = getattr(services.state, "committed", None)
        if note is not None:  # a caching store serves these from memory from now on
            note(states)
        return [None] * len(writes)
