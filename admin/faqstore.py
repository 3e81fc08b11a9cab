"""FAQ entries as the admin page edits them: form parsing, scoped queries and versioned changes.

Every change writes a FaqVersionRow (who, when, the whole entry) and bumps the FAQ revision in
the same transaction, so LiveKnowledge on every instance reloads within seconds. Queries take
the admin's OPD scope (`opd_id`, None for Kominfo) so another OPD's entries are never read.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.records.kbstore import bump_revision, faq_data
from knowledge.records.models import FaqRow, FaqVersionRow, OpdRow

FIELDS = ("question", "alternatives", "answer", "keywords", "source", "review_by")
FIELD_LABELS = {
    "question": "Pertanyaan", "alternatives": "Pertanyaan lain", "answer": "Jawaban",
    "keywords": "Kata kunci", "source": "Sumber", "review_by": "Tinjau ulang sebelum",
    "archived": "Arsip", "opd": "OPD",
}
MAX_QUESTION = 500
MAX_ANSWER = 4000


@dataclass(frozen=True)
class FaqInput:
    question: str
    answer: str
    alternatives: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    source: str | None = None
    review_by: dt.date | None = None


# Control characters (a NUL pasted from a document) never reach residents; tabs and line breaks stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: str) -> str:
    return " ".join(_CONTROL.sub("", text).split())


def parse_form(form: Mapping[str, Any]) -> tuple[FaqInput, dict[str, str]]:
    """Read the FAQ form (alternatives one per line, keywords comma separated); return errors by field."""
    errors: dict[str, str] = {}
    question = _clean(str(form.get("question", "")))
    answer = _CONTROL.sub("", str(form.get("answer", "")).replace("\r\n", "\n")).strip()
    if not question:
        errors["question"] = "Pertanyaan wajib diisi."
    elif len(question) > MAX_QUESTION:
        errors["question"] = f"Pertanyaan terlalu panjang (maksimal {MAX_QUESTION} huruf)."
    if not answer:
        errors["answer"] = "Jawaban wajib diisi."
    elif len(answer) > MAX_ANSWER:
        errors["answer"] = f"Jawaban terlalu panjang (maksimal {MAX_ANSWER} huruf)."
    alternatives = tuple(dict.fromkeys(
        _clean(line) for line in str(form.get("alternatives", "")).splitlines() if _clean(line)))
    keywords = tuple(dict.fromkeys(
        _clean(k).lower() for k in str(form.get("keywords", "")).split(",") if _clean(k)))
    source = _clean(str(form.get("source", ""))) or None
    review_by = None
    raw_date = str(form.get("review_by", "")).strip()
    if raw_date:
        try:
            review_by = dt.date.fromisoformat(raw_date)
        except ValueError:
            errors["review_by"] = "Tanggal tidak valid. Contoh: 2027-06-30."
    return FaqInput(question, answer, alternatives, keywords, source, review_by), errors


def _same(text: str) -> str:
    """Compare questions without case, punctuation or spacing ("Apa itu biopori?" = "apa itu  biopori")."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


async def duplicate_errors(session: AsyncSession, data: FaqInput, exclude_id: int | None) -> dict[str, str]:
    """Return form errors for a question or alternative that another active entry (of any OPD) already
    has: two entries with the same question make the bot offer both instead of answering."""
    wanted = {_same(data.question): "question"} | {_same(a): "alternatives" for a in data.alternatives}
    wanted.pop("", None)
    rows = (await session.execute(
        select(FaqRow.id, FaqRow.question, FaqRow.alternatives, OpdRow.name)
        .join(OpdRow, OpdRow.id == FaqRow.opd_id).where(FaqRow.archived.is_(False)))).all()
    errors: dict[str, str] = {}
    for faq_id, question, alternatives, opd_name in rows:
        if faq_id == exclude_id:
            continue
        for text in (question, *(alternatives or [])):
            field = wanted.get(_same(text))
            if field and field not in errors:
                errors[field] = (f"“{text}” sudah ada di FAQ lain: “{question}” ({opd_name}). Ubah FAQ itu, "
                                 "atau tulis pertanyaan yang berbeda: dua FAQ dengan pertanyaan yang sama "
                                 "membuat bot menawarkan keduanya, bukan menjawab.")
    return errors


def changed_fields(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[str]:
    """Return the Indonesian labels of the fields that differ between two versions."""
    if before is None:
        return []
    keys = [k for k in (*FIELDS, "archived") if (before.get(k) or None) != (after.get(k) or None)]
    return [FIELD_LABELS[k] for k in keys]


def slugify(text: str, limit: int = 60) -> str:
    """Turn a question into an FAQ id: lower-case ASCII words joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    slug = ""
    for w in words:
        if len(slug) + len(w) + 1 > limit:
            break
        slug = f"{slug}-{w}" if slug else w
    return slug or "faq"


async def new_key(session: AsyncSession, opd_slug: str, question: str) -> str:
    """Return an unused FAQ id such as `dlh-jadwal-angkut-sampah` (suffix -2, -3 when taken)."""
    base = slugify(question, 50)
    if not base.startswith(f"{opd_slug}-"):
        base = f"{opd_slug}-{base}"
    taken = set((await session.scalars(select(FaqRow.key).where(FaqRow.key.like(f"{base}%")))).all())
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _scoped(query: Any, opd_id: int | None) -> Any:
    return query if opd_id is None else query.where(FaqRow.opd_id == opd_id)


async def list_faqs(session: AsyncSession, opd_id: int | None, *, search: str = "", archived: bool = False,
                    opd_filter: int | None = None, limit: int = 500) -> list[tuple[FaqRow, OpdRow]]:
    """Return the FAQ entries the admin may see, optionally filtered by a search text."""
    query = _scoped(select(FaqRow, OpdRow).join(OpdRow, OpdRow.id == FaqRow.opd_id), opd_id)
    query = query.where(FaqRow.archived == archived)
    if opd_filter is not None:
        query = query.where(FaqRow.opd_id == opd_filter)
    for word in search.lower().split()[:8]:
        like = f"%{word.replace('%', '').replace('_', '')}%"
        query = query.where(or_(func.lower(FaqRow.question).like(like), func.lower(FaqRow.answer).like(like),
                                func.lower(FaqRow.key).like(like),
                                func.lower(cast(FaqRow.alternatives, Text)).like(like),
                                func.lower(cast(FaqRow.keywords, Text)).like(like)))
    rows = await session.execute(query.order_by(OpdRow.slug, FaqRow.question).limit(limit))
    return [(f, o) for f, o in rows.all()]


async def get_faq(session: AsyncSession, key: str, opd_id: int | None) -> tuple[FaqRow, OpdRow] | None:
    """Return one entry and its OPD, or None when it does not exist or belongs to another OPD."""
    query = _scoped(select(FaqRow, OpdRow).join(OpdRow, OpdRow.id == FaqRow.opd_id).where(FaqRow.key == key), opd_id)
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row else None


async def due_for_review(session: AsyncSession, opd_id: int | None, today: dt.date) -> list[tuple[FaqRow, OpdRow]]:
    """Return active entries whose review_by date has passed (the "perlu ditinjau" list)."""
    query = _scoped(select(FaqRow, OpdRow).join(OpdRow, OpdRow.id == FaqRow.opd_id), opd_id)
    query = query.where(FaqRow.archived.is_(False), FaqRow.review_by.is_not(None), FaqRow.review_by < today)
    rows = await session.execute(query.order_by(FaqRow.review_by, FaqRow.key))
    return [(f, o) for f, o in rows.all()]


async def _version(session: AsyncSession, row: FaqRow, opd_slug: str, action: str, actor: str,
                   now: dt.datetime) -> None:
    session.add(FaqVersionRow(faq_id=row.id, version=row.version, action=action,
                              data=faq_data(row, opd_slug), changed_by=actor, changed_at=now))
    await bump_revision(session)


def _apply(row: FaqRow, data: FaqInput) -> None:
    row.question, row.answer = data.question, data.answer
    row.alternatives, row.keywords = list(data.alternatives), list(data.keywords)
    row.source, row.review_by = data.source, data.review_by


async def create(session: AsyncSession, opd: OpdRow, data: FaqInput, *, actor: str, now: dt.datetime,
                 key: str | None = None, action: str = "create") -> FaqRow:
    """Add a new entry for an OPD (version 1)."""
    row = FaqRow(key=key or await new_key(session, opd.slug, data.question), opd_id=opd.id, version=1,
                 archived=False, updated_at=now, updated_by=actor)
    _apply(row, data)
    session.add(row)
    await session.flush()
    await _version(session, row, opd.slug, action, actor, now)
    return row


async def update(session: AsyncSession, row: FaqRow, opd: OpdRow, data: FaqInput, *, actor: str,
                 now: dt.datetime, action: str = "update") -> bool:
    """Save new content as the next version; return False when nothing changed."""
    before = faq_data(row, opd.slug)
    _apply(row, data)
    if faq_data(row, opd.slug) == before:
        return False
    row.version, row.updated_at, row.updated_by = row.version + 1, now, actor
    await _version(session, row, opd.slug, action, actor, now)
    return True


async def set_archived(session: AsyncSession, row: FaqRow, opd: OpdRow, archived: bool, *, actor: str,
                       now: dt.datetime) -> None:
    """Archive an entry (the bot stops using it) or bring it back."""
    row.archived = archived
    row.version, row.updated_at, row.updated_by = row.version + 1, now, actor
    await _version(session, row, opd.slug, "archive" if archived else "unarchive", actor, now)


async def versions(session: AsyncSession, row: FaqRow) -> list[FaqVersionRow]:
    """Return an entry's versions, newest first."""
    query = select(FaqVersionRow).where(FaqVersionRow.faq_id == row.id)
    return list((await session.scalars(query.order_by(FaqVersionRow.version.desc(), FaqVersionRow.id.desc()))).all())


def input_from_version(data: Mapping[str, Any]) -> FaqInput:
    """Rebuild form content from a stored version."""
    review_by = data.get("review_by")
    if isinstance(review_by, str):
        review_by = dt.date.fromisoformat(review_by) if review_by else None
    return FaqInput(question=str(data.get("question", "")), answer=str(data.get("answer", "")),
                    alternatives=tuple(data.get("alternatives") or ()), keywords=tuple(data.get("keywords") or ()),
                    source=data.get("source") or None, review_by=review_by)


async def restore(session: AsyncSession, row: FaqRow, opd: OpdRow, version: int, *, actor: str,
                  now: dt.datetime) -> bool:
    """Write an old version's content as a new version; return False when that version is unknown."""
    old = await session.scalar(select(FaqVersionRow).where(FaqVersionRow.faq_id == row.id,
                                                           FaqVersionRow.version == version)
                               .order_by(FaqVersionRow.id.desc()).limit(1))
    if old is None:
        return False
    _apply(row, input_from_version(old.data))
    row.version, row.updated_at, row.updated_by = row.version + 1, now, actor
    await _version(session, row, opd.slug, "restore", actor, now)
    return True


async def opds(session: AsyncSession, opd_id: int | None) -> list[OpdRow]:
    """Return the OPDs the admin may work for (one for an OPD admin, all for Kominfo)."""
    query = select(OpdRow).order_by(OpdRow.name)
    if opd_id is not None:
        query = query.where(OpdRow.id == opd_id)
    return list((await session.scalars(query)).all())
