"""👍/👎 on an answer (`fb:<faq>:up|down`) and the 1–5 rating of a finished complaint (`rate:<ticket>:<n>`).

A rating may also be typed as a bare "1".."5" while a recently finished complaint of the
resident has no rating yet (the "selesai" message asked for it).
"""

from __future__ import annotations

import datetime as dt

from handlers import texts
from handlers.context import Turn
from handlers.messages import Reply

RATING_WINDOW = dt.timedelta(days=14)  # a bare digit rates only a complaint finished this recently


async def handle(turn: Turn) -> list[Reply] | None:
    """Thank the resident for feedback or a rating, and record it."""
    choice = turn.choice or ""
    if choice.startswith("fb:"):
        key, _, vote = choice[3:].rpartition(":")
        if vote in ("up", "down") and key:
            return _feedback(turn, key, vote)
    if choice.startswith("rate:"):
        ticket, _, n = choice[5:].rpartition(":")
        if n.isdigit() and ticket:
            return await _rate(turn, ticket, int(n))
    if not choice and turn.text in ("1", "2", "3", "4", "5") and not turn.state.get("flow"):
        ticket = await _pending_rating(turn)
        if ticket:
            return await _rate(turn, ticket, int(turn.text))
    return None


def _feedback(turn: Turn, key: str, vote: str) -> list[Reply]:
    last = turn.state.get("last_question") or {}
    if key == "~":  # the key was too long for a button value; the state knows it
        key = last.get("faq") or ""
    faq = turn.kb.faq(key)
    question = last.get("text") if last.get("faq") == key else None
    turn.record("feedback", vote, faq_key=key, opd=faq.opd if faq else None, text=question,
                answered=vote == "up")
    if vote == "up":
        return [Reply(texts.THANKS_UP)]
    opd = turn.kb.opd(faq.opd) if faq else None
    text = texts.THANKS_DOWN
    if opd and opd.contact.items():
        text += "\n\n" + texts.refer_to_opd(opd)
    return [Reply(text, options=(texts.REPORT, texts.ASK_AGAIN))]


async def _pending_rating(turn: Turn) -> str | None:
    """Return the ticket of the resident's recently finished, unrated complaint, if any."""
    resident = await turn.resident()
    rows = await turn.services.complaints.list_for_resident(turn.session, resident.id)
    since = turn.services.now() - RATING_WINDOW
    done = [r for r in rows if r.status == "selesai" and r.rating is None
            and r.resolved_at is not None and r.resolved_at >= since]
    return max(done, key=lambda r: r.resolved_at).ticket if done else None


async def _rate(turn: Turn, ticket: str, n: int) -> list[Reply]:
    resident = await turn.resident()
    ok = 1 <= n <= 5 and await turn.services.complaints.rate(turn.session, resident.id, ticket, n)
    turn.record("rating", str(n) if ok else "refused", data={"ticket": ticket})
    return [Reply(texts.RATING_THANKS.format(n=n) if ok else texts.RATING_FAILED)]
