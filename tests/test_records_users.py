"""Admin accounts: validation, argon2 passwords, lock-out after failed logins."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from argon2 import PasswordHasher

from knowledge.records import users
from knowledge.records.db import Database
from knowledge.records.models import OpdRow, UserRow
from knowledge.records.users import UserError

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # tests only
NOW = dt.datetime(2026, 3, 6, 2, 0, tzinfo=dt.timezone.utc)
PASSWORD = "rahasia-sekali-123"


@pytest.fixture
async def db(database: Database) -> AsyncIterator[Database]:
    async with database.session() as s:
        s.add(OpdRow(slug="dlh", name="Dinas Lingkungan Hidup", contact={}))
        await users.create_user(s, "Admin.DLH", PASSWORD, "opd", "dlh", hasher=FAST)
        await s.commit()
    yield database


async def login(db: Database, password: str, now: dt.datetime = NOW, username: str = "admin.dlh",
                hasher: PasswordHasher = FAST) -> UserRow | None:
    async with db.session() as s:
        user = await users.verify_login(s, username, password, now, hasher=hasher)
        await s.commit()
        return user


async def test_create_validates_and_normalises(db: Database) -> None:
    async with db.session() as s:
        user = await login(db, PASSWORD)
        assert user is not None and user.username == "admin.dlh" and user.role == "opd" and user.opd_id
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
        for args, message in [
            (("ab", PASSWORD, "kominfo"), "3–64"),
            (("budi budi", PASSWORD, "kominfo"), "huruf kecil"),
            (("kominfo", "pendek", "kominfo"), "minimal 10"),
            (("kominfo", PASSWORD, "superadmin"), "Peran"),
            (("orang.pu", PASSWORD, "opd", "tidak-ada"), "tidak ditemukan"),
            (("orang.pu", PASSWORD, "opd"), "harus memilih OPD"),
            (("kominfo", PASSWORD, "kominfo", "dlh"), "tidak terikat"),
            (("ADMIN.dlh", PASSWORD, "opd", "dlh"), "sudah dipakai"),
        ]:
            with pytest.raises(UserError, match=message):
                await users.create_user(s, *args, hasher=FAST)
        kominfo = await users.create_user(s, "kominfo", users.generate_password(), "kominfo", hasher=FAST)
        assert kominfo.opd_id is None


async def test_wrong_password_unknown_and_inactive_users_are_refused(db: Database) -> None:
    assert await login(db, "salah-salah-salah") is None
    assert await login(db, PASSWORD, username="tidak.ada") is None
    assert await login(db, PASSWORD, username=" ADMIN.DLH ") is not None
    async with db.session() as s:
        (await s.get(UserRow, 1)).active = False
        await s.commit()
    assert await login(db, PASSWORD) is None


async def test_five_failures_lock_the_account_for_fifteen_minutes(db: Database) -> None:
    for _ in range(4):
        assert await login(db, "salah-salah-salah") is None
    assert await login(db, PASSWORD) is not None  # success resets the count
    for _ in range(5):
        assert await login(db, "salah-salah-salah") is None
    async with db.session() as s:
        user = await s.get(UserRow, 1)
        assert users.is_locked(user, NOW) and user.locked_until == NOW + dt.timedelta(minutes=15)
    assert await login(db, PASSWORD, NOW + dt.timedelta(minutes=14)) is None  # right password, still locked
    assert await login(db, PASSWORD, NOW + dt.timedelta(minutes=16)) is not None


async def test_set_password_lifts_the_lock(db: Database) -> None:
    for _ in range(5):
        await login(db, "salah-salah-salah")
    async with db.session() as s:
        with pytest.raises(UserError, match="minimal"):
            await users.set_password(s, "admin.dlh", "pendek", hasher=FAST)
        with pytest.raises(UserError, match="tidak ditemukan"):
            await users.set_password(s, "siapa", PASSWORD, hasher=FAST)
        await users.set_password(s, "admin.dlh", "kata-sandi-baru-1", hasher=FAST)
        await s.commit()
    assert await login(db, PASSWORD) is None
    assert await login(db, "kata-sandi-baru-1") is not None


async def test_weak_hash_is_upgraded_on_login(db: Database) -> None:
    user = await login(db, PASSWORD, hasher=PasswordHasher())
    assert user is not None and "m=65536" in user.password_hash


@pytest.mark.parametrize(("password", "username"), [
    ("aaaaaaaaaa", None), ("1212121212", None),  # few different characters
    ("1234567890", None), ("qwertyuiop", None), ("abcdefghijk", None),  # runs of keys
    ("password123", None), ("Padang2026!", None), ("KataSandi2025", None),  # a common word with digits
    ("kominfo12345", "kominfo"), ("dlh.andi-kuat-99", "dlh.andi"), ("andi-kopi-hujan", "dlh.andi"),  # the name
])
def test_passwords_easy_to_guess_are_refused(password: str, username: str | None) -> None:
    with pytest.raises(UserError, match="terlalu mudah ditebak"):
        users.check_password(password, username)


@pytest.mark.parametrize("password", ["kuda-meja-hujan-7", "rahasia-sekali-123", "Kopi Pagi di Siteba 9"])
def test_passwords_of_uncommon_words_pass(password: str) -> None:
    users.check_password(password, "dlh.andi")


def test_generated_passwords_are_long_and_different() -> None:
    passwords = {users.generate_password() for _ in range(100)}
    assert len(passwords) == 100 and all(len(p) >= users.MIN_PASSWORD for p in passwords)
