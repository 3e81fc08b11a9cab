"""Shared test fixtures: migrated databases (SQLite and PostgreSQL) and the default knowledge base.

- `database`: a migrated `Database`, once on SQLite (a file in tmp_path) and once on
  PostgreSQL (a fresh schema per test, dropped afterwards). PostgreSQL comes from
  TANYAKOTA_TEST_PG_URL; when it is unreachable the test is skipped with the reason, or
  fails when TANYAKOTA_REQUIRE_ALL=1 (CI).
- `sqlite_db`: only the SQLite variant, for tests that do not need both.
- `pg_db`: only the PostgreSQL variant.
- `padang_kb`: the default knowledge base shipped in the package (loaded once).
- `open_database(kind, tmp_path)`: the same set-up as an async context manager, for tests
  that need several databases or their own parameters (pass `template=sqlite_template`
  to copy the session's migrated SQLite file instead of migrating again).

A second `Database` on the same data (e.g. a second "instance") is
`Database(db.url, schema=db.schema)`.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from knowledge.kb import KnowledgeBase, default_kb_path
from knowledge.kbfiles import load_kb
from knowledge.records.db import Database

pytest_plugins = ["tests.conftest_chat", "tests.admin_support"]  # the `chat` and admin `world` fixtures

DEFAULT_PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def pg_url() -> str:
    """Return the PostgreSQL URL the tests use."""
    return os.environ.get("TANYAKOTA_TEST_PG_URL") or DEFAULT_PG_URL


def require_all() -> bool:
    """Return True when nothing may be skipped for a missing service (CI)."""
    return os.environ.get("TANYAKOTA_REQUIRE_ALL") == "1"


def _run_in_thread(coro_factory) -> str | None:  # type: ignore[no-untyped-def]
    """Run a coroutine on a private loop in a thread (no clash with pytest-asyncio); return an error or None."""
    error: list[str] = []

    def run() -> None:
        try:
            asyncio.run(coro_factory())
        except Exception as exc:  # noqa: BLE001 - any failure is the reason to report
            error.append(f"{type(exc).__name__}: {exc}")

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return error[0] if error else None


def _probe_postgres(url: str) -> str | None:
    """Return why PostgreSQL cannot be used, or None when it answers."""

    async def probe() -> None:
        engine = create_async_engine(url, connect_args={"timeout": 3})
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        finally:
            await engine.dispose()

    error = _run_in_thread(probe)
    return f"PostgreSQL at {url} is unreachable ({error})" if error else None


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a migrated SQLite file made once per session; tests get copies (much faster than migrating)."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"

    async def build() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        await db.migrate()
        await db.dispose()  # checkpoints the WAL into the file

    error = _run_in_thread(build)
    if error:
        raise RuntimeError(f"cannot build the SQLite template: {error}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """Return the test PostgreSQL URL; skip (or fail under TANYAKOTA_REQUIRE_ALL=1) if unreachable."""
    url = pg_url()
    reason = _probe_postgres(url)
    if reason:
        if require_all():
            pytest.fail(f"{reason}; TANYAKOTA_REQUIRE_ALL=1 forbids skipping")
        pytest.skip(reason)
    return url


@asynccontextmanager
async def open_database(kind: str, tmp_path: Path, *, url: str | None = None, migrate: bool = True,
                        template: Path | None = None) -> AsyncIterator[Database]:
    """Yield a (migrated) Database of `kind` "sqlite" or "postgresql", removed afterwards.

    For SQLite, `template` is a migrated file to copy instead of migrating.
    """
    if kind == "sqlite":
        path = tmp_path / f"tk-{secrets.token_hex(4)}.db"
        if migrate and template is not None and url is None:
            shutil.copyfile(template, path)
            migrate = False
        db = Database(url or f"sqlite+aiosqlite:///{path}")
        try:
            if migrate:
                await db.migrate()
            yield db
        finally:
            await db.dispose()
        return
    if kind != "postgresql":
        raise ValueError(kind)
    url = url or pg_url()
    schema = f"tk_{secrets.token_hex(6)}"
    admin = create_async_engine(url)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database(url, schema=schema)
    try:
        if migrate:
            await db.migrate()
        yield db
    finally:
        await db.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """Yield a migrated Database, once on SQLite and once on PostgreSQL."""
    if request.param == "postgresql":
        async with open_database("postgresql", tmp_path, url=request.getfixturevalue("postgres_url")) as db:
            yield db
    else:
        async with open_database("sqlite", tmp_path, template=request.getfixturevalue("sqlite_template")) as db:
            yield db


@pytest.fixture
async def sqlite_db(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[Database]:
    """Yield a migrated SQLite Database in tmp_path."""
    async with open_database("sqlite", tmp_path, template=sqlite_template) as db:
        yield db


@pytest.fixture
async def pg_db(postgres_url: str, tmp_path: Path) -> AsyncIterator[Database]:
    """Yield a migrated PostgreSQL Database in its own schema."""
    async with open_database("postgresql", tmp_path, url=postgres_url) as db:
        yield db


@pytest.fixture(scope="session")
def padang_kb() -> KnowledgeBase:
    """Return the default (Padang) knowledge base shipped in the package."""
    result = load_kb(default_kb_path())
    assert not result.errors, result.errors
    return result.kb
