"""LiveKnowledge: an admin's edit reaches the matcher within seconds, without a restart."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from knowledge.kb import KnowledgeBase
from knowledge.records import kbstore
from knowledge.records.db import Database
from knowledge.records.live import LiveKnowledge
from knowledge.records.models import FaqRow, OpdRow


class Tick:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def small_kb(padang_kb: KnowledgeBase) -> KnowledgeBase:
    return replace(padang_kb, opds=tuple(o for o in padang_kb.opds if o.slug in ("dlh", "disdukcapil")))


async def test_empty_database_serves_the_files_then_the_database(database: Database,
                                                                padang_kb: KnowledgeBase) -> None:
    base = small_kb(padang_kb)
    tick = Tick()
    live = LiveKnowledge(database, base, clock=tick)
    assert await live.refresh()
    assert live.kb is base and live.revision == 0
    assert live.matcher.match("bagaimana cara membuat KTP elektronik").decision in ("answer", "suggest")
    async with database.session() as s:
        await kbstore.import_kb(s, base)
        await s.commit()
    assert not await live.refresh()  # checked a moment ago: no database read
    tick.t += 2.5
    assert await live.refresh()
    assert live.revision == 1 and live.kb == base and live.router.route("sampah menumpuk di TPS").opd == "dlh"


async def test_admin_edit_reaches_the_matcher(database: Database, padang_kb: KnowledgeBase) -> None:
    base = small_kb(padang_kb)
    async with database.session() as s:
        await kbstore.import_kb(s, base)
        await s.commit()
    tick = Tick()
    live = LiveKnowledge(database, base, clock=tick)
    await live.refresh()
    before = live.snapshot()
    assert live.matcher.match("jadwal vaksinasi kucing gratis di pasar ternak").faq is None
    async with database.session() as s:
        dlh = await s.scalar(select(OpdRow.id).where(OpdRow.slug == "dlh"))
        s.add(FaqRow(key="vaksin-kucing", opd_id=dlh, question="Kapan jadwal vaksinasi kucing gratis?",
                     alternatives=["vaksin rabies kucing gratis"], answer="Setiap Sabtu di pasar ternak.",
                     keywords=["vaksinasi", "kucing"]))
        await kbstore.bump_revision(s)
        await s.commit()
    tick.t += 2.1
    assert await live.refresh()
    assert live.kb.faq("vaksin-kucing") is not None
    assert live.matcher.match("jadwal vaksinasi kucing gratis").faq.id == "vaksin-kucing"
    assert before.kb.faq("vaksin-kucing") is None  # a turn in flight keeps its snapshot
    tick.t += 2.1
    assert not await live.refresh()  # same revision: nothing rebuilt
    assert await live.refresh(force=True)


async def test_unreachable_database_keeps_the_last_knowledge(padang_kb: KnowledgeBase) -> None:
    base = small_kb(padang_kb)
    db = Database("postgresql+asyncpg://postgres@127.0.0.1:1/nothing")
    live = LiveKnowledge(db, base)
    assert not await live.refresh()
    assert live.kb is base and live.revision == -1  # used before any successful refresh: the files
    await db.dispose()
