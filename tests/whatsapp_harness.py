"""Run the whole app (create_app) with WhatsApp pointed at the fake Graph API.

`running_whatsapp(fake, data_dir)` serves the app on a real 127.0.0.1 port, points the fake's
webhook at it, and yields a `Running` whose `send(notification)` delivers a signed notification
and waits until the bot has finished handling it, returning the messages it sent to that resident.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from bot import keys
from bot.app import create_app
from bot.channels.whatsapp import WHATSAPP
from bot.channels.whatsapp_channel import WhatsAppChannel
from bot.core import Core
from bot.settings import Settings
from knowledge.records.db import Database
from tests.fake_graph import Call, FakeGraph

TICKET = re.compile(r"\b[A-Z]{2,5}-[0-9A-HJKMNP-TV-Z]{6}\b")
RESIDENT = "6281234567890"


@dataclass
class Running:
    app: web.Application
    fake: FakeGraph
    port: int

    @property
    def core(self) -> Core:
        return self.app[keys.CORE]

    @property
    def channel(self) -> WhatsAppChannel:
        return self.app[WHATSAPP]

    async def send(self, notification: dict[str, Any]) -> list[Call]:
        """Deliver a signed notification, wait until it is handled; return what was sent to its sender."""
        message = notification["entry"][0]["changes"][0]["value"]["messages"][0]
        user = message.get("from") or message.get("from_user_id")
        before = len(self.fake.sent(user))
        status, body = await self.fake.deliver(notification)
        assert status == 200, (status, body)
        await self.settled()
        return self.fake.sent(user)[before:]

    async def say(self, user: str, text: str, **kw: Any) -> list[Call]:
        return await self.send(self.fake.text(user, text, **kw))

    async def press(self, user: str, option_id: str, title: str = "pilihan", **kw: Any) -> list[Call]:
        """Answer with a button press or a list choice, whichever the last message offered."""
        last = next((c for c in reversed(self.fake.sent(user)) if c.options), None)
        if last is not None and last.kind == "list":
            return await self.send(self.fake.list_reply(user, option_id, last.options.get(option_id, title), **kw))
        return await self.send(self.fake.button_reply(user, option_id, title, **kw))

    async def settled(self, timeout: float = 10.0) -> None:
        await asyncio.wait_for(self.channel.settle(), timeout)


def text_of(calls: list[Call]) -> str:
    return "\n".join(c.text for c in calls)


def whatsapp_env(fake: FakeGraph, data_dir: Path, **extra: str) -> dict[str, str]:
    """Return the environment of a bot instance with a SQLite file in data_dir."""
    return {"TANYAKOTA_DATABASE_URL": f"sqlite+aiosqlite:///{data_dir / 'tanyakota.db'}",
            "TANYAKOTA_SECRET_KEY": "test-secret-key-0123456789",
            "TANYAKOTA_RATE_LIMIT_PER_MINUTE": "1000",
            **fake.env(), **extra}


@asynccontextmanager
async def running_whatsapp(fake: FakeGraph, data_dir: Path, *, replay_after: float | None = None,
                           fast_retries: bool = True, db: Database | None = None,
                           **extra_env: str) -> AsyncIterator[Running]:
    """Serve the whole app against the fake Graph API until the block ends (SQLite, or the given db)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    if db is not None:
        extra_env = {"TANYAKOTA_DATABASE_URL": db.url, "TANYAKOTA_DATA_DIR": str(data_dir), **extra_env}
    app = create_app(Settings.from_env(whatsapp_env(fake, data_dir, **extra_env)), db=db)
    if fast_retries:  # tests should not wait the production backoff (5 s and up)
        app[keys.CORE].outbox.base_delay = 0.05
        app[keys.CORE].outbox.max_delay = 0.2
    if replay_after is not None:
        app[WHATSAPP].replay_after = replay_after
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    fake.webhook_url = f"http://127.0.0.1:{port}/webhook/whatsapp"
    try:
        yield Running(app, fake, port)
    finally:
        await runner.cleanup()
