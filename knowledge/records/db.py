"""The database: one AsyncEngine per process, sessions per unit of work, migrations at start.

SQLite (the single-machine default) is set up for a busy chat bot: WAL, foreign keys, a busy
timeout, every transaction opened with `BEGIN IMMEDIATE`, and the driver calls made on the
event loop's thread (`sqlite_inline`: a thread hand-off per call cost ~50 times SQLite's work). Inside one process all
transactions share ONE connection, handed out by the pool in turn: concurrent residents
queue asynchronously for it instead of fighting over SQLite's file lock (which fails with
"database is locked" when a read transaction later tries to write). Other processes on the
same file (the CLI while `serve` runs) wait on the busy timeout thanks to `BEGIN IMMEDIATE`.
Consequence: on SQLite, never open a second session while your own session has a
transaction open in the same task, and never await network I/O inside a transaction; the
pool would give up after `POOL_TIMEOUT` seconds; `session()` detects the nesting at once
and raises `NestedTransactionError` instead.

A turn's hot transactions (inbound journal, state read, turn commit) use `hot()`, which on SQLite
runs their statements straight on the driver (see knowledge.records.hot).

PostgreSQL uses asyncpg with a normal connection pool; `schema` (an extension of the
contract, optional) puts every table in that schema via `search_path`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

from knowledge.records import sqlite_inline
from knowledge.records.hot import InlineHotConnection

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 5000
POOL_TIMEOUT = 30.0  # seconds a unit of work may wait for the (SQLite: single) connection
MIGRATION_LOCK_ID = 0x74616E79  # pg_advisory_xact_lock key: one migrator at a time ("tany")


class NestedTransactionError(RuntimeError):
    """A task opened a session while its own other session holds SQLite's only connection."""


class Database:
    """The engine, a session factory and schema migrations for one database URL."""

    def __init__(self, url: str, *, echo: bool = False, schema: str | None = None):
        self.url = url
        self.schema = schema
        parsed = make_url(url)
        self.dialect: str = parsed.get_backend_name()
        if self.dialect == "sqlite":
            self.engine = self._sqlite_engine(url, parsed, echo)
        elif self.dialect == "postgresql":
            self.engine = self._postgres_engine(url, echo, schema)
        else:
            raise ValueError(f"unsupported database {self.dialect!r}; use sqlite+aiosqlite:// or postgresql+asyncpg://")
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._open: dict[asyncio.Task[Any], list[AsyncSession]] = {}  # SQLite: sessions per task
        self._hot_statements: dict[Any, Any] = {}  # SQLite: hot statements compiled once (see hot())

    @staticmethod
    def _sqlite_engine(url: str, parsed: URL, echo: bool) -> AsyncEngine:
        memory = parsed.database in (None, "", ":memory:")
        kwargs: dict[str, Any] = {
            # The driver calls run on the loop's thread (see sqlite_inline), not in aiosqlite's.
            "async_creator": sqlite_inline.connector(
                parsed.database or ":memory:", busy_timeout=BUSY_TIMEOUT_MS / 1000,
                uri=str(parsed.query.get("uri", "")).lower() in ("true", "1"))}
        if not memory:
            # One connection: transactions take turns in this process (see the module docstring).
            kwargs |= {"poolclass": AsyncAdaptedQueuePool, "pool_size": 1, "max_overflow": 0,
                       "pool_timeout": POOL_TIMEOUT}
        engine = create_async_engine(url, echo=echo, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # The connection leaves transaction control to us (BEGIN IMMEDIATE and SAVEPOINT work)
            # and retries busy statements itself, without blocking the loop.
            cursor = dbapi_connection.cursor()
            for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine

    @staticmethod
    def _postgres_engine(url: str, echo: bool, schema: str | None) -> AsyncEngine:
        connect_args: dict[str, Any] = {}
        if schema:
            connect_args["server_settings"] = {"search_path": schema}
        return create_async_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=10,
                                   connect_args=connect_args)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """Open a session for one unit of work; commit it yourself, it is closed on exit."""
        session = self._sessions()
        try:
            task = asyncio.current_task() if self.dialect == "sqlite" else None
            if task is None:
                yield session
                return
            self.check_not_nested()
            mine = self._open.setdefault(task, [])
            mine.append(session)
            try:
                yield session
            finally:
                mine.remove(session)
                if not mine:
                    del self._open[task]
        finally:
            if _holds_anything(session):
                async with session:  # AsyncSession's own exit: close() runs to the end even if cancelled
                    pass

    @asynccontextmanager
    async def hot(self, *, write: bool = True) -> AsyncIterator[AsyncConnection | InlineHotConnection]:
        """Open a short transaction for a turn's hot path; committed on exit, rolled back on error.

        What it yields has `execute(statement, parameters)` (see knowledge.records.hot): on PostgreSQL
        the engine's connection, on SQLite the raw connection, taken from the pool in turn. With
        `write=False` (one SELECT) SQLite runs it without BEGIN IMMEDIATE: a lone statement is its own
        transaction, and a reader in WAL mode needs no write lock.
        """
        if self.dialect != "sqlite":
            async with self.engine.begin() as conn:
                yield conn
            return
        # Not `async with`: AsyncConnection's exit closes in a task of its own (two loop rounds), which
        # this needs no protection from: with the inline driver, close() never suspends.
        conn = await self.engine.connect().start()
        try:
            inline = conn.sync_connection.connection.driver_connection  # type: ignore[union-attr]
            raw = inline.sqlite
            hot = InlineHotConnection(raw, self.engine.dialect, self._hot_statements, readonly=not write)
            if not write:
                yield hot
                return
            await inline.retry_busy(raw.execute, "BEGIN IMMEDIATE")
            try:
                yield hot
                await inline.retry_busy(raw.execute, "COMMIT")
            except BaseException:
                if raw.in_transaction:
                    raw.rollback()
                raise
        finally:
            await conn.close()

    def check_not_nested(self) -> None:
        """Raise NestedTransactionError if this task holds SQLite's one connection in an open transaction.

        Work handed to another task (a group commit) would wait for that connection forever.
        """
        task = asyncio.current_task() if self.dialect == "sqlite" else None
        if task is not None and any(other.in_transaction() for other in self._open.get(task, ())):
            raise NestedTransactionError(
                "this task already has a transaction open on SQLite's single connection; "
                "commit it (or use that session) before opening another session")

    async def migrate(self) -> None:
        """Upgrade the schema to the newest migration shipped in the package."""
        async with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                # Several instances may start at once; only one runs the migrations.
                await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_ID})
            await conn.run_sync(run_alembic, "upgrade", "head")
        log.info("database schema is up to date (%s)", self.dialect)

    async def downgrade(self, revision: str = "base") -> None:
        """Downgrade the schema (tests and emergencies only: it drops data)."""
        async with self.engine.begin() as conn:
            await conn.run_sync(run_alembic, "downgrade", revision)

    async def ping(self) -> bool:
        """Return True when the database answers a trivial query."""
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
            log.warning("database ping failed: %s", exc)
            return False

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({make_url(self.url).render_as_string(hide_password=True)!r}, schema={self.schema!r})"


def _holds_anything(session: AsyncSession) -> bool:
    """Tell whether closing the session has work to do: a transaction, a connection or ORM objects.

    A turn that only answers a question never touches its session; closing it anyway costs a task
    and a greenlet switch on every message.
    """
    return bool(session.in_transaction() or session.identity_map or session.new or session.dirty
                or session.deleted)


def dialect_insert(bind: AsyncSession | AsyncConnection) -> Any:
    """Return the dialect's `insert` (with `on_conflict_do_*`) for a session's or connection's database."""
    return _insert_for(_dialect_name(bind))


def _dialect_name(bind: AsyncSession | AsyncConnection | InlineHotConnection) -> str:
    if isinstance(bind, AsyncSession):
        return bind.get_bind().dialect.name
    return bind.dialect.name


def _insert_for(dialect: str) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


class Prepared:
    """A dialect-specific statement (an upsert) built once per dialect and reused.

    Building an `insert ... on conflict` and computing its cache key costs 0.1-0.3 ms, more than
    SQLite takes to run it; on a turn's hot path the statement is built once and executed with
    new parameters. `build` receives the dialect's `insert` (see `dialect_insert`).
    """

    def __init__(self, build: Callable[[Any], Any]) -> None:
        self._build = build
        self._built: dict[str, Any] = {}

    def on(self, bind: AsyncSession | AsyncConnection | InlineHotConnection) -> Any:
        """Return the statement for the session's or connection's database."""
        name = _dialect_name(bind)
        statement = self._built.get(name)
        if statement is None:
            statement = self._built[name] = self._build(_insert_for(name))
        return statement


def alembic_config(connection: Connection | None = None) -> Any:
    """Return an Alembic Config for the shipped migrations, bound to a connection if given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def run_alembic(connection: Connection, command_name: str, revision: str) -> None:
    """Run an Alembic command ("upgrade"/"downgrade") on an open synchronous connection."""
    from alembic import command

    getattr(command, command_name)(alembic_config(connection), revision)
