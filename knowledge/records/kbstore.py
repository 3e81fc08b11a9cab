"""The knowledge base in the database: import from files, read back, and the FAQ revision.

Files are the starting point; once imported, the database is the source of truth and the
admin page edits it. Every change to OPDs, categories or FAQs must call `bump_revision`
in the same transaction so that every running instance reloads (see `live.LiveKnowledge`).
Functions take the caller's session and flush; the caller commits.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace
from typing import Any

from sqlalchemy import Integer, String, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.kb import CONTACT_KEYS, Category, Contact, Faq, KnowledgeBase, Opd
from knowledge.records.db import dialect_insert
from knowledge.records.models import CategoryRow, FaqRow, FaqVersionRow, MetaRow, OpdRow, utcnow

log = logging.getLogger(__name__)

REVISION_KEY = "faq_revision"
FAQ_FIELDS = ("question", "alternatives", "answer", "keywords", "source", "review_by")


def faq_data(row: FaqRow, opd_slug: str) -> dict[str, Any]:
    """Return an FAQ row's content as the JSON kept in FaqVersionRow.data."""
    return {
        "key": row.key,
        "opd": opd_slug,
        "question": row.question,
        "alternatives": list(row.alternatives or []),
        "answer": row.answer,
        "keywords": list(row.keywords or []),
        "source": row.source,
        "review_by": row.review_by.isoformat() if row.review_by else None,
        "archived": row.archived,
    }


def _faq_values(faq: Faq) -> dict[str, Any]:
    return {
        "question": faq.question,
        "alternatives": list(faq.alternatives),
        "answer": faq.answer,
        "keywords": list(faq.keywords),
        "source": faq.source,
        "review_by": faq.review_by,
    }


def _opd_values(opd: Opd) -> dict[str, Any]:
    return {
        "name": opd.name,
        "short_name": opd.short_name,
        "description": opd.description,
        "contact": dict(opd.contact.items()),
    }


def _category_values(category: Category, opd_id: int) -> dict[str, Any]:
    return {
        "name": category.name,
        "opd_id": opd_id,
        "keywords": list(category.keywords),
        "examples": list(category.examples),
        "sla_days": category.sla_days,
    }


def _apply(row: Any, values: dict[str, Any]) -> bool:
    """Set changed attributes on a row; return True if anything changed."""
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


async def import_kb(session: AsyncSession, kb: KnowledgeBase, *, actor: str = "import") -> dict[str, int]:
    """Upsert the KB's OPDs, categories and FAQs by key; return counts of what changed.

    FAQs missing from the files are kept (admins create FAQs in the database). Archived
    FAQs stay archived: an admin's decision outlives a re-import; restore them on the
    admin page. Categories of an imported OPD that the files no longer list are removed
    (categories are defined only in files). The revision is bumped if anything changed.
    """
    counts: Counter[str] = Counter()
    opd_rows = {r.slug: r for r in (await session.scalars(select(OpdRow))).all()}
    for opd in kb.opds:
        row = opd_rows.get(opd.slug)
        if row is None:
            row = OpdRow(slug=opd.slug, **_opd_values(opd))
            session.add(row)
            opd_rows[opd.slug] = row
            counts["opds_created"] += 1
        elif _apply(row, _opd_values(opd)):
            counts["opds_updated"] += 1
    await session.flush()

    cat_rows = {r.code: r for r in (await session.scalars(select(CategoryRow))).all()}
    imported_opd_ids = {opd_rows[o.slug].id for o in kb.opds}
    wanted = {c.code for c in kb.categories}
    for category in kb.categories:
        values = _category_values(category, opd_rows[category.opd].id)
        row = cat_rows.get(category.code)
        if row is None:
            session.add(CategoryRow(code=category.code, **values))
            counts["categories_created"] += 1
        elif _apply(row, values):
            counts["categories_updated"] += 1
    for code, row in cat_rows.items():
        if code not in wanted and row.opd_id in imported_opd_ids:
            await session.delete(row)
            counts["categories_deleted"] += 1

    faq_rows = {r.key: r for r in (await session.scalars(select(FaqRow))).all()}
    now = utcnow()
    versioned: list[tuple[FaqRow, str]] = []
    for faq in kb.faqs:
        values = {**_faq_values(faq), "opd_id": opd_rows[faq.opd].id}
        row = faq_rows.get(faq.id)
        if row is None:
            row = FaqRow(key=faq.id, version=1, archived=False, updated_at=now, updated_by=actor, **values)
            session.add(row)
            counts["faqs_created"] += 1
        elif row.archived:
            counts["faqs_archived_kept"] += 1
            continue
        elif _apply(row, values):
            row.version += 1
            row.updated_at, row.updated_by = now, actor
            counts["faqs_updated"] += 1
        else:
            counts["faqs_unchanged"] += 1
            continue
        versioned.append((row, faq.opd))
    await session.flush()  # one flush gives every new FAQ its id
    session.add_all(FaqVersionRow(faq_id=row.id, version=row.version, action="import", data=faq_data(row, slug),
                                  changed_by=actor, changed_at=now) for row, slug in versioned)
    await session.flush()
    if any(v for k, v in counts.items() if k not in ("faqs_unchanged", "faqs_archived_kept")):
        counts["revision"] = await bump_revision(session)
    log.info("knowledge base import by %s: %s", actor, dict(counts))
    return dict(counts)


def _contact(data: dict[str, Any] | None) -> Contact:
    data = data or {}
    return Contact(**{k: data[k] for k in CONTACT_KEYS if data.get(k)})


async def db_kb(session: AsyncSession, base: KnowledgeBase) -> KnowledgeBase:
    """Return the KB held in the database (non-archived FAQs), with the city from `base`."""
    opd_rows = (await session.scalars(select(OpdRow).order_by(OpdRow.slug))).all()
    slug_by_id = {r.id: r.slug for r in opd_rows}
    categories: dict[str, list[Category]] = {r.slug: [] for r in opd_rows}
    for c in (await session.scalars(select(CategoryRow).order_by(CategoryRow.id))).all():
        categories[slug_by_id[c.opd_id]].append(Category(
            code=c.code, name=c.name, opd=slug_by_id[c.opd_id], keywords=tuple(c.keywords or ()),
            examples=tuple(c.examples or ()), sla_days=c.sla_days))
    faqs: dict[str, list[Faq]] = {r.slug: [] for r in opd_rows}
    rows = await session.scalars(select(FaqRow).where(FaqRow.archived.is_(False)).order_by(FaqRow.id))
    for f in rows.all():
        faqs[slug_by_id[f.opd_id]].append(Faq(
            id=f.key, opd=slug_by_id[f.opd_id], question=f.question, answer=f.answer,
            alternatives=tuple(f.alternatives or ()), keywords=tuple(f.keywords or ()),
            source=f.source, review_by=f.review_by))
    # Keep the files' OPD order (it is the order residents see in lists); new OPDs after.
    order = {o.slug: i for i, o in enumerate(base.opds)}
    opds = sorted(
        (Opd(slug=r.slug, name=r.name, short_name=r.short_name, description=r.description,
             contact=_contact(r.contact), categories=tuple(categories[r.slug]), faqs=tuple(faqs[r.slug]))
         for r in opd_rows),
        key=lambda o: (order.get(o.slug, len(order)), o.slug),
    )
    return replace(base, opds=tuple(opds))


async def revision(session: AsyncSession) -> int:
    """Return the current FAQ revision (0 before anything was imported)."""
    value = await session.scalar(select(MetaRow.value).where(MetaRow.key == REVISION_KEY))
    return int(value) if value else 0


async def bump_revision(session: AsyncSession) -> int:
    """Increase the FAQ revision atomically and return the new value."""
    stmt = dialect_insert(session)(MetaRow).values(key=REVISION_KEY, value="1")
    stmt = stmt.on_conflict_do_update(
        index_elements=[MetaRow.key],
        set_={"value": cast(cast(MetaRow.value, Integer) + 1, String)},
    ).returning(MetaRow.value)
    value = (await session.execute(stmt)).scalar_one()
    return int(value)


async def is_empty(session: AsyncSession) -> bool:
    """Return True when no OPD has been imported yet."""
    return (await session.scalar(select(func.count()).select_from(OpdRow))) == 0
