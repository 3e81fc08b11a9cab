"""The Alembic migrations build exactly the models' schema, and go down and up again cleanly."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, String, Table, inspect

from knowledge.records.db import Database
from knowledge.records.models import Base
from tests.conftest import open_database


async def schema_diff(db: Database, metadata: MetaData = Base.metadata) -> list:
    """Return Alembic's list of differences between the database and the metadata."""
    async with db.engine.connect() as conn:
        return await conn.run_sync(
            lambda c: compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), metadata)
        )


async def table_names(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


async def test_migrated_schema_equals_models(database: Database) -> None:
    assert await schema_diff(database) == []
    assert set(Base.metadata.tables) <= await table_names(database)


async def test_fresh_sqlite_migration_equals_models(tmp_path: Path) -> None:
    # The `database` fixture copies a migrated template on SQLite; here the migration runs itself.
    async with open_database("sqlite", tmp_path) as db:
        assert await schema_diff(db) == []


async def test_comparison_notices_a_difference(database: Database) -> None:
    # The check above must be able to fail: an extra model table is reported.
    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("not_migrated", metadata, Column("id", Integer, primary_key=True), Column("x", String(5)))
    diff = await schema_diff(database, metadata)
    assert [d[0] for d in diff] == ["add_table"]


async def test_downgrade_to_base_and_upgrade_again(database: Database) -> None:
    await database.downgrade("base")
    assert await table_names(database) <= {"alembic_version"}
    await database.migrate()
    assert await schema_diff(database) == []


async def test_migrate_twice_is_harmless(database: Database) -> None:
    await database.migrate()
    assert await schema_diff(database) == []


async def test_sqlite_connection_settings(tmp_path: Path) -> None:
    async with open_database("sqlite", tmp_path) as db:
        assert db.dialect == "sqlite"
        async with db.engine.connect() as conn:
            values = {p: (await conn.exec_driver_sql(f"PRAGMA {p}")).scalar()
                      for p in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")}
        # SQLite itself never waits for a lock: the inline driver retries without blocking the loop.
        assert values == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 0, "synchronous": 1}
        assert await db.ping()


async def test_ping_fails_for_an_unreachable_database() -> None:
    # (Not a SQLite file in a missing folder: aiosqlite 0.22 then reports from its thread after the loop closed.)
    db = Database("postgresql+asyncpg://postgres@127.0.0.1:1/nothing")
    assert not await db.ping()
    await db.dispose()
