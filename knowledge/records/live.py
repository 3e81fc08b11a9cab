"""The bot's current knowledge: the KB from the database with its FAQ matcher and complaint router.

An admin's edit bumps the FAQ revision in the database (kbstore.bump_revision). Every
instance calls `refresh()` on each turn; at most every `check_every` seconds that reads
the revision, and when it changed the KB is read and the matcher/router rebuilt in a
worker thread, then swapped in at once. Turns in flight keep the snapshot they started
with; a failed check keeps the old one. Until the database holds a KB (first start before
the import), the files' KB (`base_kb`) is used.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from knowledge.kb import KnowledgeBase
from knowledge.matcher import FaqMatcher
from knowledge.normalize import Normalizer
from knowledge.records import kbstore
from knowledge.records.db import Database
from knowledge.places import Places
from knowledge.router import ComplaintRouter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    revision: int
    kb: KnowledgeBase
    matcher: FaqMatcher
    router: ComplaintRouter


class LiveKnowledge:
    """Hold the current KB snapshot and rebuild it when the database's FAQ revision changes."""

    def __init__(self, db: Database, base_kb: KnowledgeBase, *, check_every: float = 2.0,
                 clock: Callable[[], float] = time.monotonic, places: Places | None = None):
        self.db = db
        self.base_kb = base_kb
        self.places = places  # the city's kelurahan, for the router (knowledge.router)
        self.check_every = check_every
        self._clock = clock
        self._checked = -math.inf
        self._snapshot: Snapshot | None = None
        self._normalizer: Normalizer | None = None  # shared by every rebuild: loading lexicons is the slow part
        self._lock = asyncio.Lock()

    @property
    def kb(self) -> KnowledgeBase:
        return self._current().kb

    @property
    def matcher(self) -> FaqMatcher:
        return self._current().matcher

    @property
    def router(self) -> ComplaintRouter:
        return self._current().router

    @property
    def revision(self) -> int:
        """Return the FAQ revision of the current snapshot (-1 before the first refresh)."""
        return self._snapshot.revision if self._snapshot else -1

    def snapshot(self) -> Snapshot:
        """Return the current snapshot: use one for a whole turn to see one consistent KB."""
        return self._current()

    async def refresh(self, force: bool = False) -> bool:
        """Reload if the revision changed (checked at most every check_every s); return True if rebuilt."""
        if not force and self._snapshot is not None:
            if self._clock() - self._checked < self.check_every or self._lock.locked():
                return False  # checked recently, or another task is refreshing right now
        async with self._lock:
            if not force and self._snapshot is not None and self._clock() - self._checked < self.check_every:
                return False
            self._checked = self._clock()
            try:
                async with self.db.session() as session:
                    revision = await kbstore.revision(session)
                    if not force and self._snapshot is not None and revision == self._snapshot.revision:
                        return False
                    empty = await kbstore.is_empty(session)
                    kb = self.base_kb if empty else await kbstore.db_kb(session, self.base_kb)
            except (SQLAlchemyError, OSError) as exc:
                log.warning("knowledge refresh failed, keeping revision %s: %s", self.revision, exc)
                return False
            started = time.perf_counter()
            self._snapshot = await asyncio.to_thread(self._build, revision, kb)
            log.info("knowledge base revision %d loaded (%d FAQs%s) in %.0f ms", revision, len(kb.faqs),
                     ", from files: database empty" if empty else "", (time.perf_counter() - started) * 1000)
            return True

    def _current(self) -> Snapshot:
        if self._snapshot is None:
            # Used before the first refresh (e.g. a test); serve the files' KB rather than fail.
            log.info("knowledge used before refresh(); building from the files' knowledge base")
            self._snapshot = self._build(-1, self.base_kb)
        return self._snapshot

    def _build(self, revision: int, kb: KnowledgeBase) -> Snapshot:
        if self._normalizer is None:
            self._normalizer = Normalizer.default()
        return Snapshot(revision, kb, FaqMatcher(kb, self._normalizer, places=self.places),
                        ComplaintRouter(kb, self._normalizer, self.places))
