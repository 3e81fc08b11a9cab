"""The application as served: first run, /healthz, /metrics, shutdown, and `tanyakota serve` itself."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
from sqlalchemy import func, select

from bot import keys
from bot.app import create_app
from handlers.context import Turn
from handlers.messages import InboundMessage, Reply
from knowledge.records.db import Database
from knowledge.records.models import FaqRow, UserRow
from tests.conftest_chat import CHAT_KB, TEST_SECRET
from tests.test_webchat import settings_for

ROOT = Path(__file__).resolve().parent.parent


class DownDatabase(Database):
    """A database that stops answering health checks (the rest works, so the app can start)."""

    async def ping(self) -> bool:
        return False


async def test_first_run_imports_the_kb_and_prints_the_kominfo_password_once(aiohttp_client, tmp_path, capsys):
    settings = settings_for(tmp_path)
    client = await aiohttp_client(create_app(settings))
    out = capsys.readouterr().out
    assert "Akun kominfo dibuat. Kata sandi: " in out and "tidak akan ditampilkan lagi" in out
    password = out.split("Kata sandi: ")[1].split(" ")[0]
    assert len(password) >= 10
    core = client.app[keys.CORE]
    async with core.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(FaqRow)) == len(core.base_kb.faqs)
        user = await session.scalar(select(UserRow).where(UserRow.username == "kominfo"))
        assert user.role == "kominfo" and password not in user.password_hash
        assert user.must_change_password  # a printed password is replaced at the first sign-in
    await client.close()
    # A second start on the same database: nothing printed, nothing imported again.
    client = await aiohttp_client(create_app(settings))
    assert "Kata sandi" not in capsys.readouterr().out
    await client.close()


async def test_healthz_and_metrics(aiohttp_client, tmp_path):
    client = await aiohttp_client(create_app(settings_for(tmp_path)))
    resp = await client.get("/healthz")
    assert resp.status == 200
    body = await resp.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    await client.post("/api/chat", json={"user": "m1", "text": "apa syarat membuat akta kelahiran"})
    resp = await client.get("/metrics")
    assert resp.status == 200 and resp.content_type == "text/plain"
    text = await resp.text()
    assert 'tanyakota_turns_total{channel="web",kind="question",outcome="answer"} 1.0' in text
    assert "tanyakota_turn_seconds_bucket" in text and "tanyakota_database_up 1.0" in text


async def test_the_admin_page_is_mounted(aiohttp_client, tmp_path):
    client = await aiohttp_client(create_app(settings_for(tmp_path)))
    resp = await client.get("/admin/login")
    assert resp.status == 200
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]


async def test_healthz_is_503_when_the_database_does_not_answer(aiohttp_client, tmp_path):
    settings = settings_for(tmp_path)
    client = await aiohttp_client(create_app(settings, db=DownDatabase(settings.database_url)))
    resp = await client.get("/healthz")
    assert resp.status == 503
    assert (await resp.json())["database"] == "error"


async def test_shutdown_waits_for_turns_in_flight(aiohttp_client, tmp_path):
    app = create_app(settings_for(tmp_path))
    client = await aiohttp_client(app)
    core = app[keys.CORE]
    release = asyncio.Event()

    async def slow(turn: Turn) -> list[Reply]:
        await release.wait()
        return [Reply("selesai")]

    core.dispatcher.features = (slow,)
    turn = asyncio.create_task(core.dispatcher.handle(InboundMessage("console", "x", "halo")))
    await asyncio.sleep(0.05)
    assert core.dispatcher.in_flight == 1
    closing = asyncio.create_task(client.close())
    await asyncio.sleep(0.1)
    assert not closing.done()  # waiting for the turn
    release.set()
    await closing
    assert [r.text for r in await turn][-1] == "selesai"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_tanyakota_serve_end_to_end(tmp_path):
    port = free_port()
    env = {**os.environ, "TANYAKOTA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}",
           "TANYAKOTA_KB": str(CHAT_KB), "TANYAKOTA_SECRET_KEY": TEST_SECRET, "TANYAKOTA_PORT": str(port),
           "TANYAKOTA_MEDIA_DIR": str(tmp_path / "media")}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        async with aiohttp.ClientSession() as http:
            deadline = time.monotonic() + 30
            while True:
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                        if resp.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    pass
                assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read() if proc.poll() else ""
                await asyncio.sleep(0.2)
            async with http.post(f"http://127.0.0.1:{port}/api/chat",
                                 json={"user": "e2e", "text": "apa syarat membuat akta kelahiran"}) as resp:
                assert "surat keterangan lahir" in (await resp.json())["replies"][-1]["text"]
            async with http.get(f"http://127.0.0.1:{port}/chat") as resp:
                assert resp.status == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "Kata sandi:" in out
    assert "Tanya Kota stopped" in err


async def test_old_message_texts_are_purged_at_start_and_daily(aiohttp_client, tmp_path):
    import datetime as dt

    from knowledge.records.models import ConversationStateRow, EventRow

    settings = settings_for(tmp_path)
    client = await aiohttp_client(create_app(settings))
    await client.post("/api/chat", json={"user": "old", "text": "apa syarat membuat akta kelahiran"})
    await client.close()
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=settings.retention_days + 1)
    client = await aiohttp_client(create_app(settings, now=lambda: later))
    core = client.app[keys.CORE]
    for _ in range(50):  # the purge task runs right after start
        async with core.db.session() as session:
            texts = (await session.scalars(select(EventRow.text).where(EventRow.text.is_not(None)))).all()
            states = (await session.scalars(select(ConversationStateRow.key))).all()
        if not texts and not states:
            break
        await asyncio.sleep(0.05)
    assert not texts and not states
