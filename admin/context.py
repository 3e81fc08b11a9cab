"""What the admin page needs from the rest of the bot, passed in by `bot/app.py` (or a test)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the services are only needed for their types here
    from knowledge.records.complaints import ComplaintService
    from knowledge.records.db import Database
    from knowledge.records.live import LiveKnowledge
    from knowledge.records.outbox import Outbox


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class AdminContext:
    db: Database
    live: LiveKnowledge
    complaints: ComplaintService
    outbox: Outbox
    secret_key: str
    secure_cookies: bool = False
    media_dir: Path = Path("media")
    holidays: Collection[dt.date] = frozenset()
    now: Callable[[], dt.datetime] = _utcnow  # injectable clock for tests
    session_hours: int = 8  # a login lasts one working day

    def __post_init__(self) -> None:
        if len(self.secret_key) < 16:
            raise ValueError("AdminContext.secret_key must be at least 16 characters")
