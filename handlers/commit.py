"""Group commit of conversation turns: what turns ending together write, in one transaction.

Most turns (questions) touch the database only at their end: the resident's last-message time,
the turn's analytics events, the dialogue state and, when the channel handed a `Claim`, the
message's exactly-once record (a turn on a message handled before is dropped whole). The
Dispatcher hands those to
`TurnCommitter.commit`, which writes every turn waiting at that moment with one multi-row
statement per table and one COMMIT, and returns only once that is committed: a resident's
state is durable before their reply is sent. Turns whose features used the session themselves
(a complaint, /status, feedback) commit their own transaction as before.

A resident's row is written again only when their name or phone changed or `TOUCH_EVERY` seconds
have passed since this process last wrote it: a resident asking several questions in a row costs
one upsert, not one per question. Their last-message time (WhatsApp's 24-hour window) may then lag
by up to that long, which only ever ends the window early, never late.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from handlers.messages import Claim
from knowledge.records.batching import Batcher
from knowledge.records.db import Prepared
from knowledge.records.inbound import commit_claims, insert_statement
from knowledge.records.residents import ResidentTouch, touch_residents, touch_statement

if TYPE_CHECKING:
    from handlers.context import Services

log = logging.getLogger(__name__)

TOUCH_EVERY = 60.0  # seconds: a resident's row is rewritten at most this often when nothing else changed
TOUCHED_KEPT = 50_000  # residents remembered as recently written (the memory starts over beyond)


@dataclass(frozen=True)
class TurnWrite:
    """What one finished turn writes."""

    resident: ResidentTouch
    events: tuple[dict[str, Any], ...]  # EventRecorder.values(...)
    state: tuple[str, dict[str, Any]] | None = None  # (key, data) when the state changed
    claim: Claim | None = None  # the message's exactly-once record, written with the turn (handlers.messages)


def note_committed(store: Any, items: Sequence[tuple[str, dict[str, Any]]]) -> None:
    """Tell a caching state store (handlers.state) which states were just committed; others need nothing."""
    note = getattr(store, "committed", None)
    if note is not None:
        note(items)


def supports_group_commit(services: Services) -> bool:
    """Return True when the services' stores can write turns in groups (the SQL state store)."""
    return hasattr(services.state, "set_many_in") and hasattr(services.events, "insert_many")


class TurnCommitter:
    """Write the turns handed in together in one transaction; each caller returns after COMMIT."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._batcher: Batcher[TurnWrite, None] = Batcher(self._write, name="turns")
        self._touch = Prepared(touch_statement)
        self._claim = Prepared(insert_statement)
        self._touched: dict[tuple[str, str], tuple[float, str | None, str | None]] = {}  # see the module doc
        self.clock = time.monotonic

    async def commit(self, write: TurnWrite) -> None:
        """Write one turn (with whatever other turns are ready) and return once it is committed."""
        self.services.db.check_not_nested()
        await self._batcher.submit(write)

    async def claim_in(self, session: Any, claim: Claim | None) -> bool:
        """Record a message in the transaction of a turn that commits its own session; False when it was
        handled before (the caller then rolls back)."""
        if claim is None:
            return True
        await commit_claims(session, [claim], self._claim.on(session))
        return bool(claim.new)

    async def _write(self, batch: Sequence[TurnWrite]) -> list[None]:
        services = self.services
        claims = [w.claim for w in batch if w.claim is not None]
        now = self.clock()
        try:
            # Core statements, not an ORM session: nothing here needs the unit of work, and this runs every
            # turn (on SQLite straight on the driver, see knowledge.records.hot).
            async with services.db.hot() as conn:
                writes = list(batch)
                if claims:  # a turn on a message handled before is dropped whole
                    await commit_claims(conn, claims, self._claim.on(conn))
                    writes = [w for w in writes if w.claim is None or w.claim.new]
                touches = [w.resident for w in writes if self._due(w.resident, now)]
                await touch_residents(conn, touches, statement=self._touch)
                await services.events.insert_many(conn, [e for w in writes for e in w.events])
                states = [w.state for w in writes if w.state is not None]
                await services.state.set_many_in(conn, states)
        except BaseException:
            for claim in claims:  # rolled back: nothing was recorded
                claim.new = None
            raise
        note_committed(services.state, states)  # a caching store serves these from memory from now on
        if len(self._touched) + len(touches) > TOUCHED_KEPT:
            self._touched.clear()
        for t in touches:
            self._touched[(t.channel, str(t.external_id))] = (now, t.display_name, t.phone)
        return [None] * len(batch)

    def _due(self, touch: ResidentTouch, now: float) -> bool:
        """Tell whether a resident's row needs writing: new to this process, changed, or not written lately."""
        last = self._touched.get((touch.channel, str(touch.external_id)))
        if last is None or now - last[0] >= TOUCH_EVERY:
            return True
        return (touch.display_name is not None and touch.display_name != last[1]) or \
            (touch.phone is not None and touch.phone != last[2])
