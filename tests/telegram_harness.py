"""Run the whole app (create_app) with Telegram pointed at the fake Bot API, in polling or webhook mode.

`running_bot(fake, data_dir, mode)` serves the app on a real 127.0.0.1 port (the fake POSTs
webhook updates to it) and yields a `Running` whose `send(update)` delivers an update and waits
until the bot has finished that turn (its inbound record is done), returning the Bot API calls
it made to the resident's chat.
"""

from __future__ import annotations

import asyncio
import io
import re
import shutil
import socket
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy import select

from bot import keys
from bot.app import create_app
from bot.channels.telegram import TELEGRAM, TelegramChannel
from bot.core import Core, build_core, start_core
from bot.settings import Settings
from knowledge.records.models import InboundRow
from tests.fake_telegram import Call, FakeTelegram

SECRET = "webhook_Secret-123"
TICKET = re.compile(r"\b[A-Z]{2,5}-[0-9A-HJKMNP-TV-Z]{6}\b")


@dataclass
class Running:
    app: web.Application
    fake: FakeTelegram
    port: int

    @property
    def core(self) -> Core:
        return self.app[keys.CORE]

    @property
    def channel(self) -> TelegramChannel:
        return self.app[TELEGRAM]

    async def send(self, update: dict[str, Any], timeout: float = 8.0) -> list[Call]:
        """Deliver an update and wait until its turn is finished; return the calls to that chat."""
        chat = _chat_id(update)
        before = len(self.chat_calls(chat))
        status = await self.fake.deliver(update)
        assert status == 200, status
        await self.settled(update["update_id"], timeout)
        return self.chat_calls(chat)[before:]

    async def say(self, chat_id: int, text: str) -> list[Call]:
        return await self.send(self.fake.text(chat_id, text))

    async def press(self, chat_id: int, data: str) -> list[Call]:
        return await self.send(self.fake.press(chat_id, data))

    def chat_calls(self, chat_id: int | str) -> list[Call]:
        return self.fake.sent(chat_id)

    async def settled(self, update_id: int, timeout: float = 8.0) -> None:
        """Wait until the bot recorded an update done (it records every resident's update) and sent its replies."""
        deadline = time.monotonic() + timeout
        while True:
            async with self.core.db.session() as session:
                status = await session.scalar(select(InboundRow.status).where(
                    InboundRow.channel == "telegram", InboundRow.message_id == str(update_id)))
            if status in ("done", "failed"):
                await asyncio.wait_for(self.channel.quiet(), max(0.1, deadline - time.monotonic()))
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"update {update_id} not handled within {timeout}s (status {status})")
            await asyncio.sleep(0.01)


def _chat_id(update: dict[str, Any]) -> int:
    if "callback_query" in update:
        return update["callback_query"]["message"]["chat"]["id"]
    return update["message"]["chat"]["id"]


def bot_env(fake: FakeTelegram, data_dir: Path, mode: str, port: int, **extra: str) -> dict[str, str]:
    """Return the environment of a bot instance using a SQLite file in data_dir."""
    env = {"TANYAKOTA_DATABASE_URL": f"sqlite+aiosqlite:///{data_dir / 'tanyakota.db'}",
           "TANYAKOTA_SECRET_KEY": "test-secret-key-0123456789",
           "TANYAKOTA_RATE_LIMIT_PER_MINUTE": "1000",
           "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE_URL": fake.base_url}
    if mode == "webhook":
        env["TELEGRAM_WEBHOOK_URL"] = f"http://127.0.0.1:{port}/webhook/telegram"
        env["TELEGRAM_WEBHOOK_SECRET"] = SECRET
    env.update(extra)
    return env


def prepared_database(folder: Path) -> Path:
    """Create (once per folder) a migrated database with the default KB imported, to copy per test.

    The first start of an instance imports the knowledge base and hashes the kominfo password;
    copying a prepared file skips that per test. Built on a private loop in a thread.
    """
    path = folder / "prepared.db"
    if path.exists():
        return path

    async def build() -> None:
        settings = Settings.from_env({"TANYAKOTA_DATABASE_URL": f"sqlite+aiosqlite:///{path}",
                                      "TANYAKOTA_SECRET_KEY": "test-secret-key-0123456789"})
        core = build_core(settings)
        await start_core(core, out=io.StringIO())
        await core.db.dispose()

    thread = threading.Thread(target=lambda: asyncio.run(build()))
    thread.start()
    thread.join()
    return path


@asynccontextmanager
async def running_bot(fake: FakeTelegram, data_dir: Path, mode: str, *, fast_retries: bool = True,
                      prepared: Path | None = None, **extra_env: str) -> AsyncIterator[Running]:
    """Serve the whole app against the fake Bot API until the block ends.

    `prepared`: a database file from `prepared_database`, copied in when data_dir has none yet.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    if prepared is not None and not (data_dir / "tanyakota.db").exists():
        shutil.copyfile(prepared, data_dir / "tanyakota.db")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    settings = Settings.from_env(bot_env(fake, data_dir, mode, port, **extra_env))
    app = create_app(settings)
    if fast_retries:  # tests should not wait the production backoff (5 s and up)
        app[keys.CORE].outbox.base_delay = 0.05
        app[keys.CORE].outbox.max_delay = 0.2
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.SockSite(runner, sock)
    await site.start()
    try:
        await asyncio.wait_for(app[TELEGRAM].ready.wait(), 10)
        yield Running(app, fake, port)
    finally:
        await runner.cleanup()
