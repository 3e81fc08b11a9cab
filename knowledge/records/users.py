"""Admin accounts: creation, passwords (argon2id) and login with lock-out after repeated failures.

Hashing takes ~0.1 s by design; it runs in a worker thread so the event loop keeps serving
residents. Functions take the caller's session and flush; the caller commits — also after
a failed `verify_login`, so the failure count sticks. `UserError` messages are Indonesian,
for the admin page and the CLI.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.records.models import OpdRow, UserRow, utcnow

log = logging.getLogger(__name__)

USERNAME_RE = re.compile(r"^[a-z0-9._-]{3,64}$")
ROLES = ("opd", "kominfo")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # argon2 accepts more, but nobody types that; refuse a cheap denial of service
MAX_FAILURES = 5
LOCK_TIME = dt.timedelta(minutes=15)
# A hash of a random, forgotten password: checking it makes an unknown user as slow as a known one.
DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$n/ZJ/RFtUJ6gXu+nbg11aQ$Ap37ELIVsKzVOGPDN4Iespv1A2FxYmubZRHxGUEjn6w"


class UserError(ValueError):
    """An account change that cannot be made; the message is Indonesian, for the admin."""


def normalize_username(username: str) -> str:
    """Return the canonical (trimmed, lower-case) form of a username."""
    return username.strip().lower()


# Words a guesser tries first, with digits and symbols around them ("password123", "Padang2026!"):
# international favourites and what an Indonesian city office would pick.
GUESSED_FIRST = frozenset({
    "password", "passw0rd", "katasandi", "kata sandi", "sandi", "rahasia", "admin", "administrator",
    "qwerty", "qwertyuiop", "asdfghjkl", "letmein", "welcome", "iloveyou", "bismillah", "indonesia",
    "merdeka", "garuda", "padang", "kotapadang", "pemko", "pemkopadang", "sumbar", "minang", "kominfo",
    "diskominfo", "tanyakota", "pemerintah", "pegawai", "operator", "selamat", "sayang", "cinta",
})
# Keyboard and counting runs: a password inside one of them is no secret.
_RUNS = ("01234567890123456789", "98765432109876543210", "abcdefghijklmnopqrstuvwxyz",
         "zyxwvutsrqponmlkjihgfedcba", "qwertyuiopasdfghjklzxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn")
MIN_DISTINCT = 5  # "aaaaaaaaaa", "1212121212" and the like


def check_password(password: str, username: str | None = None) -> None:
    """Raise UserError if a new password is too short, absurdly long or easy to guess (a run of keys,
    few different characters, a common word with digits around it, or the account's own name)."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"Kata sandi minimal {MIN_PASSWORD} karakter.")
    if len(password) > MAX_PASSWORD:
        raise UserError(f"Kata sandi maksimal {MAX_PASSWORD} karakter.")
    lower = password.lower()
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", lower)
    names = [n for n in re.split(r"[._-]", normalize_username(username)) if len(n) >= 3] if username else []
    if (len(set(lower)) < MIN_DISTINCT or any(lower in run for run in _RUNS) or core in GUESSED_FIRST
            or any(n in lower for n in names)):
        raise UserError("Kata sandi itu terlalu mudah ditebak. Pakai gabungan beberapa kata yang tidak umum, "
                        "tanpa nama pengguna, misalnya tiga kata acak dengan angka.")


def password_stamp(user: UserRow) -> str:
    """Return a short mark of the account's current password (not a secret: a hash of its hash). A reset
    form carries it, so sending that form again (a refresh) does not replace the password just handed out."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def generate_password(username: str | None = None) -> str:
    """Return a random password (16 URL-safe characters, ~96 bits) that `check_password` accepts for the
    account (redrawn in the rare case that it happens to spell part of the username)."""
    while True:
        password = secrets.token_urlsafe(12)
        try:
            check_password(password, username)
        except UserError:
            continue
        return password


def is_locked(user: UserRow, now: dt.datetime) -> bool:
    """Return True while an account is locked after too many failed logins."""
    return user.locked_until is not None and user.locked_until > now


async def _hash(hasher: PasswordHasher, password: str) -> str:
    return await asyncio.to_thread(hasher.hash, password)


def _verify(hasher: PasswordHasher, hashed: str, password: str) -> bool:
    try:
        return hasher.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def create_user(session: AsyncSession, username: str, password: str, role: str, opd_slug: str | None = None,
                      *, hasher: PasswordHasher | None = None, must_change: bool = False) -> UserRow:
    """Create an admin account; role "opd" needs an existing OPD, "kominfo" sees every OPD. With `must_change`
    (a password someone else chose) the admin changes it at the first sign-in before any other page."""
    username = normalize_username(username)
    if not USERNAME_RE.match(username):
        raise UserError("Nama pengguna harus 3–64 karakter: huruf kecil, angka, titik, garis bawah, atau tanda hubung.")
    if role not in ROLES:
        raise UserError("Peran harus 'opd' atau 'kominfo'.")
    check_password(password, username)
    opd_id = None
    if role == "opd":
        if not opd_slug:
            raise UserError("Akun OPD harus memilih OPD.")
        opd_id = await session.scalar(select(OpdRow.id).where(OpdRow.slug == opd_slug))
        if opd_id is None:
            raise UserError(f"OPD '{opd_slug}' tidak ditemukan.")
    elif opd_slug:
        raise UserError("Akun Kominfo tidak terikat pada satu OPD.")
    if await session.scalar(select(UserRow.id).where(UserRow.username == username)) is not None:
        raise UserError(f"Nama pengguna '{username}' sudah dipakai.")
    user = UserRow(username=username, password_hash=await _hash(hasher or PasswordHasher(), password), role=role,
                   opd_id=opd_id, active=True, failed_logins=0, created_at=utcnow(), must_change_password=must_change)
    session.add(user)
    await session.flush()
    log.info("created %s account %s", role, username)
    return user


async def set_password(session: AsyncSession, user: UserRow | str, password: str, *,
                       hasher: PasswordHasher | None = None, must_change: bool = False) -> UserRow:
    """Set a new password (given a user row or username) and lift any lock; `must_change` when someone else
    chose it (a reset by Kominfo), else the admin's own choice clears that flag."""
    if isinstance(user, str):
        row = await session.scalar(select(UserRow).where(UserRow.username == normalize_username(user)))
        if row is None:
            raise UserError(f"Pengguna '{user}' tidak ditemukan.")
        user = row
    check_password(password, user.username)
    user.password_hash = await _hash(hasher or PasswordHasher(), password)
    user.failed_logins, user.locked_until = 0, None
    user.must_change_password = must_change
    await session.flush()
    return user


async def verify_login(session: AsyncSession, username: str, password: str, now: dt.datetime, *,
                       hasher: PasswordHasher | None = None, known_device: bool = False) -> UserRow | None:
    """Return the active user if the password is right and the account not locked, else None.

    `known_device`: the attempt comes from a browser that signed in to this account before
    (`admin.devices`): the lock does not hold it back, so a stranger cannot lock the owner out.
    """
    hasher = hasher or PasswordHasher()
    user = await session.scalar(select(UserRow).where(UserRow.username == normalize_username(username)))
    if user is None or not user.active:
        await asyncio.to_thread(_verify, hasher, DUMMY_HASH, password)
        return None
    ok = await asyncio.to_thread(_verify, hasher, user.password_hash, password)
    locked = is_locked(user, now)
    if locked and not known_device:
        return None  # even the right password waits out the lock
    if not ok:
        # Count in SQL so simultaneous guesses cannot lose increments.
        failures = await session.scalar(
            update(UserRow).where(UserRow.id == user.id).values(failed_logins=UserRow.failed_logins + 1)
            .returning(UserRow.failed_logins))
        if failures is not None and failures >= MAX_FAILURES:
            await session.execute(update(UserRow).where(UserRow.id == user.id)
                                  .values(failed_logins=0, locked_until=now + LOCK_TIME))
            log.warning("account %s locked for %s after %d failed logins", user.username, LOCK_TIME, failures)
        await session.refresh(user)
        return None
    if not locked:  # a known browser let through a lock leaves it on for strangers
        user.failed_logins, user.locked_until = 0, None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = await _hash(hasher, password)
    await session.flush()
    return user
