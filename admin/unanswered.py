"""Unanswered questions, 👎-rated answers and questions answered only by a resident's choice, grouped
so an OPD admin sees what to add next.

Questions the bot could not answer (EventRow kind "unanswered") are grouped by similarity of
their normalised tokens (the matcher's normaliser + rapidfuzz, greedy clustering); 👎 ratings
(kind "feedback", outcome "down") are grouped by the FAQ that was rated. So are the questions the
bot answered only after the resident picked an entry from its "did you mean" menu (kind "choice",
outcome "faq"): their wording is what the entry lacks, and adding it as an alternative phrasing lets
the bot answer the next such question at once. This is how a KB written with one formal question per
entry, as most cities' are, learns the way its residents ask. An OPD admin sees the question groups
whose likely OPD is theirs or unknown, and the other two for their own entries only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from admin.timeutil import Period
from knowledge.records.models import DismissalRow, EventRow, FaqRow

MAX_EVENTS = 3000  # newest events considered per page view: keeps the page fast
SIMILAR = 70  # rapidfuzz token_set_ratio (0-100) at which two questions are one group
MAX_EXAMPLES = 5
MAX_GROUPS = 100  # groups listed per kind
MAX_NEW_PHRASINGS = 5  # residents' questions offered at once as an entry's new alternative phrasings


@dataclass
class Group:
    kind: str  # "question" | "feedback" | "choice"
    signature: str  # normalised tokens of the first question, or the FAQ key for 👎
    examples: list[str] = field(default_factory=list)
    count: int = 0
    opds: Counter[str] = field(default_factory=Counter)
    last_at: dt.datetime | None = None
    faq_key: str | None = None

    @property
    def opd(self) -> str | None:
        """Return the likely OPD: the one most events of the group named."""
        return self.opds.most_common(1)[0][0] if self.opds else None

    @property
    def sample(self) -> str:
        return self.examples[0] if self.examples else self.signature


def _order(group: Group) -> tuple[int, float]:
    """Biggest groups first, then the most recent."""
    return -group.count, -(group.last_at.timestamp() if group.last_at else 0)


def _add(group: Group, text: str | None, opd: str | None, at: dt.datetime) -> None:
    group.count += 1
    if opd:
        group.opds[opd] += 1
    if text and text not in group.examples and len(group.examples) < MAX_EXAMPLES:
        group.examples.append(text)
    if group.last_at is None or at > group.last_at:
        group.last_at = at


def cluster(events: Sequence[tuple[str, str | None, dt.datetime]], tokens: Callable[[str], list[str]],
            similar: int = SIMILAR) -> list[Group]:
    """Group (text, opd, time) events greedily: each joins the most similar group or starts one."""
    groups: list[Group] = []
    signatures: list[str] = []
    for text, opd, at in events:
        signature = " ".join(sorted(set(tokens(text)))) or text.strip().lower()
        best = process.extractOne(signature, signatures, scorer=fuzz.token_set_ratio, score_cutoff=similar) \
            if signatures else None
        if best is None:
            groups.append(Group(kind="question", signature=signature[:300]))
            signatures.append(signature)
            group = groups[-1]
        else:
            group = groups[best[2]]
        _add(group, text, opd, at)
    return groups


def _opd_filter(query: Select[Any], slug: str | None) -> Select[Any]:
    """Limit unanswered questions to one OPD's and those no OPD was guessed for."""
    return query if slug is None else query.where(or_(EventRow.opd == slug, EventRow.opd.is_(None)))


def new_phrasings(known: Iterable[str], candidates: Iterable[str]) -> list[str]:
    """Return the residents' questions an entry does not have among its phrasings (`known`), compared without
    case, at most MAX_NEW_PHRASINGS ("tambahkan ke variasi")."""
    seen = {k.casefold().strip() for k in known}
    new: list[str] = []
    for text in candidates:
        key = text.casefold().strip()
        if key and key not in seen and len(new) < MAX_NEW_PHRASINGS:
            seen.add(key)
            new.append(text)
    return new


async def _dismissals(session: AsyncSession, opd_id: int | None) -> list[DismissalRow]:
    query = select(DismissalRow)
    if opd_id is not None:  # an OPD admin's own dismissals and Kominfo's
        query = query.where(or_(DismissalRow.opd_id == opd_id, DismissalRow.opd_id.is_(None)))
    else:
        query = query.where(DismissalRow.opd_id.is_(None))
    return list((await session.scalars(query)).all())


def _dismissed(group: Group, dismissals: list[DismissalRow], similar: int) -> bool:
    """A group stays hidden if dismissed after its newest question; newer questions bring it back."""
    for d in dismissals:
        if d.kind != group.kind or group.last_at is None or group.last_at > d.dismissed_at:
            continue
        if group.kind != "question" and d.signature == group.signature:
            return True
        if group.kind == "question" and fuzz.token_set_ratio(d.signature, group.signature) >= similar:
            return True
    return False


@dataclass(frozen=True)
class Lists:
    questions: list[Group]  # unanswered questions, grouped by similarity
    rated: list[Group]  # 👎-rated answers, by FAQ
    chosen: list[Group]  # questions answered by a choice from the "did you mean" menu, by FAQ


async def _by_faq(session: AsyncSession, kind: str, outcome: str, in_period: tuple[Any, ...],
                  opd_id: int | None) -> dict[str, Group]:
    """Group one kind of event by the FAQ it names (an OPD admin: their own entries only)."""
    q = (select(EventRow.faq_key, EventRow.text, EventRow.opd, EventRow.created_at)
         .where(EventRow.kind == kind, EventRow.outcome == outcome, EventRow.faq_key.is_not(None), *in_period))
    if opd_id is not None:
        q = q.where(EventRow.faq_key.in_(select(FaqRow.key).where(FaqRow.opd_id == opd_id)))
    found: dict[str, Group] = {}
    for key, text, opd, at in (await session.execute(q.order_by(EventRow.created_at.desc()).limit(MAX_EVENTS))).all():
        group = found.setdefault(key, Group(kind=kind, signature=key, faq_key=key))
        _add(group, text, opd, at)
    return found


async def groups(session: AsyncSession, period: Period, *, slug: str | None, opd_id: int | None,
                 tokens: Callable[[str], list[str]], guess_opd: Callable[[str], str | None],
                 similar: int = SIMILAR) -> Lists:
    """Return the period's unanswered question groups, 👎 groups and chosen-answer groups, biggest first."""
    in_period = (EventRow.created_at >= period.start_utc, EventRow.created_at < period.end_utc)
    q = _opd_filter(select(EventRow.text, EventRow.opd, EventRow.created_at)
                    .where(EventRow.kind == "unanswered", EventRow.text.is_not(None), *in_period), slug)
    rows = (await session.execute(q.order_by(EventRow.created_at.desc()).limit(MAX_EVENTS))).all()
    questions = cluster([(t, o, at) for t, o, at in rows if t and t.strip()], tokens, similar)
    questions = sorted(questions, key=_order)[:MAX_GROUPS]  # the router guesses only for what is shown
    for g in questions:
        if not g.opds:
            guess = guess_opd(g.sample)
            if guess:
                g.opds[guess] += 1
    if slug is not None:  # the router's guess may point elsewhere: keep only this OPD's or unknown
        questions = [g for g in questions if g.opd in (None, slug)]
    rated = await _by_faq(session, "feedback", "down", in_period, opd_id)
    chosen = {key: g for key, g in (await _by_faq(session, "choice", "faq", in_period, opd_id)).items() if g.examples}
    dismissals = await _dismissals(session, opd_id)

    def visible(found: Sequence[Group]) -> list[Group]:
        return sorted((g for g in found if not _dismissed(g, dismissals, similar)), key=_order)[:MAX_GROUPS]

    return Lists(visible(questions), visible(list(rated.values())), visible(list(chosen.values())))


async def dismiss(session: AsyncSession, *, kind: str, signature: str, opd_id: int | None, actor: str,
                  now: dt.datetime) -> DismissalRow:
    """Hide a group (for this OPD, or for everyone when Kominfo dismisses it)."""
    row = DismissalRow(kind=kind, signature=signature[:300], opd_id=opd_id, dismissed_by=actor, dismissed_at=now)
    session.add(row)
    return row
