"""Importing the knowledge base into the database and reading it back."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from knowledge.kb import KnowledgeBase
from knowledge.records import kbstore
from knowledge.records.db import Database
from knowledge.records.models import CategoryRow, FaqRow, FaqVersionRow, OpdRow


async def test_import_then_read_back_gives_the_same_kb(database: Database, padang_kb: KnowledgeBase) -> None:
    async with database.session() as s:
        assert await kbstore.is_empty(s)
        counts = await kbstore.import_kb(s, padang_kb)
        await s.commit()
    assert counts["opds_created"] == len(padang_kb.opds)
    assert counts["faqs_created"] == len(padang_kb.faqs)
    assert counts["categories_created"] == len(padang_kb.categories)
    async with database.session() as s:
        assert not await kbstore.is_empty(s)
        assert await kbstore.revision(s) == 1
        back = await kbstore.db_kb(s, padang_kb)
    assert back == padang_kb  # same city, OPDs in file order, categories and FAQs with every field


async def test_reimport_unchanged_does_not_bump_revision(database: Database, padang_kb: KnowledgeBase) -> None:
    async with database.session() as s:
        await kbstore.import_kb(s, padang_kb)
        await s.commit()
    async with database.session() as s:
        counts = await kbstore.import_kb(s, padang_kb)
        await s.commit()
        assert counts == {"faqs_unchanged": len(padang_kb.faqs)}
        assert await kbstore.revision(s) == 1
        assert await s.scalar(select(func.count()).select_from(FaqVersionRow)) == len(padang_kb.faqs)


async def test_reimport_updates_changed_faq_and_keeps_admin_faqs(database: Database, padang_kb: KnowledgeBase) -> None:
    async with database.session() as s:
        await kbstore.import_kb(s, padang_kb)
        opd = await s.scalar(select(OpdRow).where(OpdRow.slug == "dlh"))
        s.add(FaqRow(key="admin-made", opd_id=opd.id, question="Q?", answer="A.", alternatives=[], keywords=[]))
        await s.commit()
    first = padang_kb.faqs[0]
    opds = tuple(replace(o, faqs=tuple(replace(f, answer="Jawaban baru.") if f.id == first.id else f for f in o.faqs))
                 for o in padang_kb.opds)
    async with database.session() as s:
        counts = await kbstore.import_kb(s, replace(padang_kb, opds=opds), actor="ops")
        await s.commit()
    assert counts["faqs_updated"] == 1 and counts["revision"] == 2
    async with database.session() as s:
        row = await s.scalar(select(FaqRow).where(FaqRow.key == first.id))
        assert (row.answer, row.version, row.updated_by) == ("Jawaban baru.", 2, "ops")
        versions = (await s.scalars(select(FaqVersionRow).where(FaqVersionRow.faq_id == row.id)
                                    .order_by(FaqVersionRow.version))).all()
        assert [(v.version, v.action, v.data["answer"]) for v in versions] == [
            (1, "import", first.answer), (2, "import", "Jawaban baru.")]
        assert await s.scalar(select(FaqRow.key).where(FaqRow.key == "admin-made")) == "admin-made"
        kb = await kbstore.db_kb(s, padang_kb)
        assert kb.faq("admin-made") is not None and kb.faq(first.id).answer == "Jawaban baru."


async def test_archived_faq_is_hidden_and_stays_archived(database: Database, padang_kb: KnowledgeBase) -> None:
    key = padang_kb.faqs[0].id
    async with database.session() as s:
        await kbstore.import_kb(s, padang_kb)
        row = await s.scalar(select(FaqRow).where(FaqRow.key == key))
        row.archived = True
        await s.commit()
    async with database.session() as s:
        counts = await kbstore.import_kb(s, padang_kb)
        await s.commit()
        assert counts.get("faqs_archived_kept") == 1
        assert (await kbstore.db_kb(s, padang_kb)).faq(key) is None


async def test_removed_category_is_deleted_and_opd_telegram_group_kept(database: Database,
                                                                        padang_kb: KnowledgeBase) -> None:
    async with database.session() as s:
        await kbstore.import_kb(s, padang_kb)
        dlh = await s.scalar(select(OpdRow).where(OpdRow.slug == "dlh"))
        dlh.telegram_chat_id = "-100123"
        await s.commit()
    dlh_kb = padang_kb.opd("dlh")
    dropped = dlh_kb.categories[0].code
    opds = tuple(replace(o, categories=o.categories[1:], name="Dinas LH") if o.slug == "dlh" else o
                 for o in padang_kb.opds)
    async with database.session() as s:
        counts = await kbstore.import_kb(s, replace(padang_kb, opds=opds))
        await s.commit()
    assert counts["categories_deleted"] == 1 and counts["opds_updated"] == 1
    async with database.session() as s:
        assert await s.scalar(select(CategoryRow).where(CategoryRow.code == dropped)) is None
        dlh = await s.scalar(select(OpdRow).where(OpdRow.slug == "dlh"))
        assert (dlh.name, dlh.telegram_chat_id) == ("Dinas LH", "-100123")


async def test_bump_revision_counts_up(database: Database) -> None:
    async with database.session() as s:
        assert await kbstore.revision(s) == 0
        assert [await kbstore.bump_revision(s) for _ in range(3)] == [1, 2, 3]
        await s.commit()
    async with database.session() as s:
        assert await kbstore.revision(s) == 3
