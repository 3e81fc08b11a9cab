"""👍/👎 on an answer (`fb:<faq>:up|down`) and the 1–5 rating of a finished complaint (`rate:<ticket>:<n>`).

The rating request arrives as a notification, whenever the OPD closes the complaint: the resident may be
in the middle of something else. So a rating (its button, or its label typed: "4 ⭐", "nilai 4") is taken
before any flow reads the message (`rating`, first in the dispatcher). A bare "1".."5" rates a recently
finished, unrated complaint unless a menu waiting in the conversation takes that number.
"""

from __future__ import annotations

import datetime as dt
import re

from handlers import complaint_flow, complaint_texts, texts
from handlers.context import Turn
from handlers.messages import Reply

RATING_WINDOW = dt.timedelta(days=14)  # a typed rating rates only a complaint finished this recently
# A rating typed or pressed as its label ("3 ⭐", notices.rating_options), or said so: "nilai 3", "bintang 5",
# "3/5", "3 dari 5".
_TYPED_RATING = re.compile(
    r"^(?:(?:beri|kasih|kasi)\s+)?(?:nilai|rating|rate|bintang|⭐)\s*:?\s*([1-5])(?:\s*(?:/\s*5|dari\s+5|⭐|bintang))?$|"
    r"^([1-5])\s*(?:⭐+|bintang|/\s*5|dari\s+5)$", re.IGNORECASE)


_DIGITS = frozenset("12345")


async def rating(turn: Turn) -> list[Reply] | None:
    """Take a complaint's rating wherever the conversation is: its button, or its label typed."""
    choice = turn.choice or ""
    if choice.startswith("rate:"):
        ticket, _, n = choice[5:].rpartition(":")
        if n.isdigit() and ticket:
            return await _rate(turn, ticket, int(n))
    typed = _TYPED_RATING.match(" ".join(turn.text.split())) if turn.text and not choice else None
    if typed:  # the latest unrated finished complaint; else the latest rated one (the resident changes their mind)
        ticket = await _pending_rating(turn, rated_too=True)
        if ticket is None:  # in the middle of a complaint, its open step is asked again
            in_flow = turn.state.get("flow") == "lapor"
            return [Reply(complaint_texts.NOTHING_TO_RATE, options=() if in_flow else texts.MENU)] + _back_to_flow(turn)
        return await _rate(turn, ticket, int(typed.group(1) or typed.group(2)))
    # A bare "1".."5" while a finished complaint waits for its rating, unless a menu of the conversation takes
    # that number (a category): not the 👍/👎 under an answer, which nobody means by "1".
    if turn.text in _DIGITS and turn.msg.option is None and (not choice or choice.startswith("fb:")):
        ticket = await _pending_rating(turn)
        if ticket:
            return await _rate(turn, ticket, int(turn.text))
    return None


async def handle(turn: Turn) -> list[Reply] | None:
    """Thank the resident for feedback or a rating, and record it."""
    choice = turn.choice or ""
    if choice.startswith("fb:"):
        key, _, vote = choice[3:].rpartition(":")
        if vote in ("up", "down") and key:
            return _feedback(turn, key, vote)
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


async def _pending_rating(turn: Turn, *, rated_too: bool = False) -> str | None:
    """Return the ticket of the resident's latest recently finished, unrated complaint; with `rated_too`,
    failing that, of the latest rated one (to change its rating). None when there is none."""
    resident = await turn.resident()
    rows = await turn.services.complaints.list_for_resident(turn.session, resident.id)
    since = turn.services.now() - RATING_WINDOW
    done = [r for r in rows if r.status == "selesai" and r.resolved_at is not None and r.resolved_at >= since]
    pick = [r for r in done if r.rating is None] or (done if rated_too else [])
    return max(pick, key=lambda r: r.resolved_at).ticket if pick else None


async def _rate(turn: Turn, ticket: str, n: int) -> list[Reply]:
    resident = await turn.resident()
    row = await turn.services.complaints.get_for_resident(turn.session, resident.id, ticket)
    before = row.rating if row is not None else None
    ok = 1 <= n <= 5 and await turn.services.complaints.rate(turn.session, resident.id, ticket, n)
    turn.record("rating", str(n) if ok else "refused", data={"ticket": ticket})
    if not ok:
        return [Reply(complaint_texts.RATING_FAILED)]
    return [Reply(complaint_texts.rating_thanks(n, ticket.strip().upper(), before))] + _back_to_flow(turn)


def _back_to_flow(turn: Turn) -> list[Reply]:
    """After a rating given in the middle of a complaint, ask that complaint's open step again."""
    return complaint_flow.ask_current(turn) if turn.state.get("flow") == "lapor" else []
