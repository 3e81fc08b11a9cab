"""The `chat` fixture: talk to the real conversation core like a resident, errbot-style.

    replies = await chat.say("halo")          # push a message, get the replies (list[Reply])
    await chat.choose("👍 Ya")                # press the button with this label (sends its value)
    other = chat.as_user("warga-2")           # a second resident on the same bot

Everything is real: SQLite (the storage fixtures), the SQL state store, the complaint service,
the event recorder and the matcher/router, on the small knowledge base in tests/data/chat_kb
(stable answers, whatever happens to the default Padang KB). Registered from conftest.py via
`pytest_plugins`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

import pytest

from handlers.messages import InboundMessage, Location, Photo, Reply
from knowledge.kb import KnowledgeBase, default_kb_path
from knowledge.kbfiles import load_kb

if TYPE_CHECKING:  # the core is imported lazily: a broken module must not break every test's collection
    from handlers.context import Services
    from handlers.dispatch import Dispatcher
    from knowledge.records.db import Database

CHAT_KB = Path(__file__).parent / "data" / "chat_kb"
TEST_SECRET = "test-secret-key-0123456789"
TICKET_RE = r"\b[A-Z]{2,5}-[0-9A-HJKMNP-TV-Z]{6}\b"


def chat_kb() -> KnowledgeBase:
    result = load_kb(CHAT_KB)
    assert not result.errors, result.errors
    return result.kb


async def make_services(db: Database, media_dir: Path, *, kb: KnowledgeBase | None = None, import_first: bool = True,
                        now: Callable[[], dt.datetime] | None = None) -> Services:
    """Build the core's services on a migrated database (importing the test KB once)."""
    from handlers.context import Services
    from handlers.state import SqlStateStore
    from knowledge.places import Places
    from knowledge.records.complaints import ComplaintService
    from knowledge.records.events import EventRecorder
    from knowledge.records.kbstore import import_kb
    from knowledge.records.live import LiveKnowledge
    from knowledge.records.outbox import Outbox

    kb = kb or chat_kb()
    if import_first:
        async with db.session() as session:
            await import_kb(session, kb, actor="test")
            await session.commit()
    places = Places.for_kb(default_kb_path())
    live = LiveKnowledge(db, kb, places=places)
    await live.refresh(force=True)
    outbox = Outbox()
    clock = now or (lambda: dt.datetime.now(dt.timezone.utc))
    complaints = ComplaintService(lambda: live.kb, outbox, timezone=kb.city.timezone, clock=clock)
    media_dir.mkdir(parents=True, exist_ok=True)
    return Services(db=db, live=live, complaints=complaints, outbox=outbox, events=EventRecorder(TEST_SECRET),
                    state=SqlStateStore(db), media_dir=media_dir, now=clock,
                    places=places)


@dataclass
class Chat:
    """One resident talking to a Dispatcher."""

    dispatcher: Dispatcher
    user_id: str = "warga-1"
    channel: str = "test"
    last: list[Reply] = field(default_factory=list)
    display_name: str | None = "Siti Rahma"  # as Telegram and WhatsApp give it; the web chat gives none

    @property
    def services(self) -> Services:
        return self.dispatcher.services

    async def say(self, text: str = "", *, option: str | None = None, location: Location | None = None,
                  photo: Photo | None = None, unsupported: str | None = None, **extra: Any) -> list[Reply]:
        """Send a message as this resident and return the bot's replies."""
        extra.setdefault("display_name", self.display_name)
        msg = InboundMessage(channel=self.channel, user_id=self.user_id, text=text, option=option,
                             location=location, photo=photo, unsupported=unsupported, **extra)
        self.last = await self.dispatcher.handle(msg)
        return self.last

    async def choose(self, label: str) -> list[Reply]:
        """Press the button with this label among the last replies' options (like Telegram does)."""
        for reply in reversed(self.last):
            for option in reply.options:
                if option.label == label:
                    return await self.say(option=option.value)
        raise AssertionError(f"no option {label!r} in {self.options}")

    async def skip_to_summary(self, most: int = 6) -> None:
        """Skip every step left of a complaint (category, place, photo, name) until its summary is shown."""
        for _ in range(most):
            if "Ringkasan laporan" in self.text:
                return
            await self.say("lewati")
        raise AssertionError(f"no summary after {most} skips: {self.text}")

    def as_user(self, user_id: str, channel: str | None = None) -> Chat:
        """Return another resident talking to the same bot."""
        return Chat(self.dispatcher, user_id, channel or self.channel)

    @property
    def text(self) -> str:
        """All the last replies' texts, joined."""
        return "\n\n".join(r.text for r in self.last)

    @property
    def options(self) -> list[str]:
        """The labels of the options offered last."""
        return [o.label for r in self.last for o in r.options]


@pytest.fixture
async def chat_services(sqlite_db: Database, tmp_path: Path) -> Services:
    """Services on a migrated SQLite database holding the test knowledge base."""
    return await make_services(sqlite_db, tmp_path / "media")


@pytest.fixture
async def chat(chat_services: Services) -> Chat:
    """A resident talking to a fresh Dispatcher (rate limit high enough not to interfere)."""
    from handlers.dispatch import Dispatcher

    return Chat(Dispatcher(chat_services, rate_limit_per_minute=10_000))


@pytest.fixture
async def padang(sqlite_db: Database, tmp_path: Path) -> Chat:
    """A resident talking to a fresh Dispatcher that answers from the shipped Padang knowledge base."""
    from handlers.dispatch import Dispatcher
    from knowledge.kb import default_kb_path

    services = await make_services(sqlite_db, tmp_path / "media", kb=load_kb(default_kb_path()).kb)
    return Chat(Dispatcher(services, rate_limit_per_minute=10_000))
