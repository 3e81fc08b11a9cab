"""The `tanyakota` commands that run the bot or change its database (bot/cli.py parses them).

serve, chat, kb import DIR, kb export DIR, users add, complaints set-status, opd set-telegram-group.
Each returns the process exit code: 0 done, 1 refused (the reason is printed), 2 bad usage.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO

from sqlalchemy import select

from bot.settings import Settings
from knowledge.records.db import Database

log = logging.getLogger(__name__)


def run(args: argparse.Namespace, settings: Settings, *, stdin: TextIO | None = None,
        stdout: TextIO | None = None) -> int:
    """Run one command; return the exit code."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    if args.command == "serve":
        return serve(settings)
    if args.command == "chat":
        from bot.channels import console

        if not getattr(args, "verbose", False):  # log lines would interleave with the conversation
            logging.getLogger().setLevel(logging.WARNING)

        return asyncio.run(console.chat(settings, stdin, stdout))
    jobs: dict[tuple[str, str], Callable[[], Awaitable[int]]] = {
        ("kb", "import"): lambda: kb_import(settings, args.dir, stdout),
        ("kb", "export"): lambda: kb_export(settings, args.dir, stdout),
        ("users", "add"): lambda: users_add(settings, args.name, args.role, args.opd, stdin, stdout),
        ("complaints", "set-status"): lambda: set_status(settings, args.ticket, args.status, args.note, args.opd,
                                                         stdout),
        ("opd", "set-telegram-group"): lambda: set_telegram_group(settings, args.slug, args.chat_id, stdout),
    }
    sub = getattr(args, f"{args.command}_command", None)
    job = jobs.get((args.command, sub or ""))
    if job is None:
        print(f"error: unknown command {args.command} {sub or ''}".rstrip(), file=sys.stderr)
        return 2
    return asyncio.run(job())


def serve(settings: Settings) -> int:
    """Run the web server until SIGINT/SIGTERM, then shut down gracefully."""
    from aiohttp import web

    from bot.app import create_app

    web.run_app(create_app(settings), host=settings.host, port=settings.port, shutdown_timeout=10.0,
                print=lambda _: log.info("serving on http://%s:%d (web chat: /chat)", settings.host, settings.port),
                access_log=None, handle_signals=True)
    return 0


async def _database(settings: Settings, *, with_kb: bool = True) -> Database:
    """Open and migrate the database; on a fresh one, import the configured knowledge base first."""
    from bot.core import ensure_kb

    db = Database(settings.database_url)
    await db.migrate()
    if with_kb:
        await ensure_kb(db, _base_kb(settings))
    return db


def _base_kb(settings: Settings):  # noqa: ANN202 - KnowledgeBase, imported lazily
    from bot.core import load_base_kb

    return load_base_kb(settings)


async def kb_import(settings: Settings, folder: str, out: TextIO) -> int:
    """Validate a knowledge-base folder and load it into the database; refuse on any error."""
    from knowledge.kbfiles import load_kb
    from knowledge.records.kbstore import import_kb

    result = load_kb(folder)
    if result.errors:
        for problem in result.problems:
            print(problem, file=out)
        print(f"refused: {len(result.errors)} error(s) in {folder}; nothing was imported", file=out)
        return 1
    db = await _database(settings, with_kb=False)
    try:
        async with db.session() as session:
            counts = await import_kb(session, result.kb, actor="cli")
            await session.commit()
    finally:
        await db.dispose()
    print("imported: " + ", ".join(f"{k} {v}" for k, v in counts.items()), file=out)
    return 0


async def kb_export(settings: Settings, folder: str, out: TextIO) -> int:
    """Write the database's knowledge base to a folder in the file format."""
    from knowledge.kbexport import export_kb
    from knowledge.records.kbstore import db_kb

    db = await _database(settings)
    try:
        async with db.session() as session:
            kb = await db_kb(session, _base_kb(settings))
    finally:
        await db.dispose()
    written = export_kb(kb, folder)
    print(f"exported {len(kb.opds)} OPD(s), {len(kb.faqs)} FAQ(s) to {folder} ({len(written)} files)", file=out)
    return 0


async def users_add(settings: Settings, name: str, role: str, opd: str | None, stdin: TextIO, out: TextIO) -> int:
    """Create an admin account; the password is the first line of stdin."""
    from knowledge.records.users import create_user

    if role == "opd" and not opd:
        print("error: --role opd needs --opd SLUG", file=out)
        return 2
    if role == "kominfo" and opd:
        print("error: --opd is only for --role opd", file=out)
        return 2
    password = stdin.readline().rstrip("\r\n")
    db = await _database(settings)
    try:
        async with db.session() as session:
            try:
                user = await create_user(session, name, password, role, opd)
                await session.commit()
            except ValueError as exc:
                print(f"refused: {exc}", file=out)
                return 1
    finally:
        await db.dispose()
    print(f"created {role} account {user.username}" + (f" for {opd}" if opd else ""), file=out)
    return 0


async def set_status(settings: Settings, ticket: str, status: str, note: str, to_opd: str | None, out: TextIO) -> int:
    """Change a complaint's status; the resident is told through the outbox."""
    from knowledge.records.complaints import ComplaintError, ComplaintService, status_label
    from knowledge.records.kbstore import db_kb
    from knowledge.records.outbox import Outbox

    base = _base_kb(settings)
    db = await _database(settings)
    try:
        async with db.session() as session:
            kb = await db_kb(session, base)
            service = ComplaintService(lambda: kb, Outbox(), holidays=settings.holidays, timezone=kb.city.timezone)
            try:
                row = await service.set_status(session, ticket, status, note=note, actor="cli", to_opd=to_opd)
                await session.commit()
            except ComplaintError as exc:
                print(f"refused: {exc}", file=out)
                return 1
    finally:
        await db.dispose()
    print(f"{row.ticket}: {status_label(status)}", file=out)
    return 0


async def set_telegram_group(settings: Settings, slug: str, chat_id: str, out: TextIO) -> int:
    """Post an OPD's new complaints to a Telegram group (chat id like -1001234567890; "-" clears it)."""
    from knowledge.records.models import OpdRow

    value = None if chat_id in ("-", "none", "") else chat_id.strip()
    if value is not None and not value.lstrip("-").isdigit() and not value.startswith("@"):
        print("error: CHAT_ID must be a number such as -1001234567890 (or @channelname)", file=out)
        return 2
    db = await _database(settings)
    try:
        async with db.session() as session:
            opd = await session.scalar(select(OpdRow).where(OpdRow.slug == slug))
            if opd is None:
                print(f"refused: no OPD with slug {slug!r}", file=out)
                return 1
            opd.telegram_chat_id = value
            await session.commit()
    finally:
        await db.dispose()
    print(f"{slug}: new complaints go to Telegram chat {value}" if value else f"{slug}: Telegram group removed",
          file=out)
    return 0
