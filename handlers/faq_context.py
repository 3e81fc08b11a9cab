"""A question read with the one before it: a follow-up takes the topic of the question before ("trs syaratnya?"
after "kapan jadwal SPMB?"), is answered from the answer just given (handlers.followup), or is asked which of an
office's services it means; "bukan itu" is a 👎 that offers the other likely entries.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from handlers import texts
from handlers.context import Turn
from handlers.faq_reply import again, faq_options, or_this
from handlers.followup import (about_previous, asks_office_hours, from_previous, is_short, office_only, quoted_lines,
                               shared_with_previous)
from handlers.messages import Reply
from knowledge.kb import Faq, Opd
from knowledge.matcher import GENERIC_WORDS, MAX_SUGGESTIONS, Match


class Reading(NamedTuple):
    """A question read with the one before: the text matched, its match, and whether it was a follow-up."""

    asked: str
    match: Match
    follow_up: bool


def read_with_previous(turn: Turn, previous: dict[str, Any], before: Faq | None) -> Reading | list[Reply]:
    """Read the turn's question with the question before (`previous`, the entry answered then: `before`): a
    follow-up ("biayanya berapa?") takes that topic, a short question may fit a third entry read with it; the
    replies when it is answered from the answer before or asked which service it is about, else the reading."""
    asked, match = turn.text, turn.matcher.match(turn.text)
    place_only = match.topic and names_only_a_place(turn)  # "kalau di kelurahan ulak karang?"
    follow_up = not match.topic or place_only
    if follow_up and before is None and not previous.get("text"):  # "syaratnya apa aja?" out of the blue
        turn.record("question", "clarify", answered=False, text=turn.text)
        return [Reply(texts.WHICH_SERVICE)]
    if (follow_up and not place_only and before is not None
            and (lines := quoted_lines(turn, before))):  # "is it free?": that answer says
        return from_previous(turn, before, again(before), None, lines)
    if follow_up:  # a follow-up ("biayanya berapa?") is about what the question answered before was about
        topic = topic_of(turn, previous["text"])
        office = None if place_only else office_only(turn, topic)
        if office is not None:  # "syaratnya apa aja?" after "jam buka disdukcapil?": which of its services?
            return which_service(turn, office, f"{turn.text} {topic}")
        asked = f"{turn.text} {topic}"  # "trs syaratnya?" after "kapan jadwal SPMB?"
        match = turn.matcher.match(previous["text"] if place_only else asked)  # a place's name matches nothing
        # "jam buka kantornya jam berapa" after Disdukcapil's online services: its office's hours, not the entry
        # the question before that one was about
        hours = before is not None and not place_only and asks_office_hours(turn)
        in_office = same_opd(turn, before) if hours else None
        match = in_office or match
        if before is not None and (match.faq is None or match.faq.id == before.id):  # nothing quotable
            if not hours and not _only_asking(turn):  # "bisa online?" after a Disdukcapil answer: its online entry
                in_office = same_opd(turn, before)  # (a bare "gmn" had got Dishub's towing after its street lights)
            if in_office is None or in_office.decision != "answer":
                other = in_office.best.faq if in_office is not None and in_office.best is not None else None
                return from_previous(turn, before, again(before), or_this(other), lines=[])
            match = in_office
    elif before is None and previous.get("suggested") and previous.get("text") and is_short(turn):
        # "hr sabtu bka?" after a menu for "puskesmas lubuk buaya dmn": read with that question, an entry the menu
        # offered is the answer (alone it was Disdukcapil's hours); a new question ("ktp hilang") stays its own
        with_topic = f"{turn.text} {topic_of(turn, previous['text'])}"
        combined, offered = turn.matcher.match(with_topic), previous["suggested"]
        if (combined.decision == "answer" and combined.faq is not None and combined.faq != match.faq
                and combined.faq.id in offered):
            asked, match, follow_up = with_topic, combined, True
        elif match.decision != "answer" and combined.best is not None and combined.best.faq.id in offered:
            # "dendanya brp" after a menu on a late birth certificate: those entries, not every office's fines
            return again_offered(turn, [c.faq for c in combined.candidates if c.faq.id in offered], with_topic)
    elif before is not None and match.faq == before and is_short(turn):
        # "bs lwt hp?" after "bayar pbb dmn y" lands on the same entry on its own: the question keeps the topic, or
        # the next follow-up ("kl telat dendanya brp") is read without it (it got the vehicle tax's fine)
        asked, follow_up = f"{turn.text} {topic_of(turn, previous['text'])}", True
    elif before is not None and match.faq != before:
        # Offered beside the quote only when it would have been the answer on its own (not a loose look-alike).
        other = match.faq if match.decision == "answer" else None
        alone = match.best.faq if match.best is not None and match.best.faq.id != before.id else None
        # (a loose look-alike, not found for sure, does not take it: "hrs bawa kk asli?" after the damaged KTP-el,
        # whose answer asks for the KK, is not the legalisation entry's question)
        if about_previous(turn, before, alone if match.decision == "answer" else None):
            # "brp lama pemasangannya" after the PDAM connection answer: about that, not the billboard tax
            hours = same_opd(turn, before) if asks_office_hours(turn) and not quoted_lines(turn, before) else None
            if hours is not None and hours.decision == "answer":  # "buka hari sabtu?" after a lost KK: its office's
                return Reading(f"{turn.text} {topic_of(turn, previous['text'])}", hours, True)  # hours, not "no more"
            return from_previous(turn, before, again(before), or_this(other))
        if is_short(turn):
            # Read with the question before, a third entry that fits both ("kalau telat dendanya berapa?" after
            # paying the PBB: the PBB fine, not the vehicle tax's); a new question lands on the one before or
            # on its own answer, and is answered on its own.
            with_topic = f"{turn.text} {topic_of(turn, previous['text'])}"  # not its asking words ("cara urus")
            combined = turn.matcher.match(with_topic)
            if combined.decision == "answer" and combined.faq not in (before, match.faq):
                asked, match, follow_up = with_topic, combined, True
            elif alone is not None and match.decision == "answer" and shared_with_previous(turn, before, alone):
                # "zonasi nya gmn" after primary school: school zoning or the city plan's? Both offered.
                return either(turn, match, combined, before, with_topic)
    return Reading(asked, match, follow_up)


# Words that may stand around a place name in a follow-up about it ("kalau di kelurahan ulak karang?").
_AROUND_A_PLACE = frozenset({"kelurahan", "kel", "kecamatan", "kec", "daerah", "wilayah", "kawasan", "area", "sekitar",
                             "di", "ke", "dari", "kalau", "klo", "kalo", "kl", "gimana", "bagaimana", "gmn", "gmana",
                             "bgmn", "yang", "yg", "untuk", "utk", "bagaimano", "baa", "in", "for", "what",
                             "about", "how", "nya", "juga", "jg", "sama", "ya", "min", "kak", "pak", "bu"})


def _only_asking(turn: Turn) -> bool:
    """Tell whether a message has only asking words ("gmn", "terus gimana?"), no word of its own topic or aspect
    ("bisa online?" has one)."""
    norm = turn.matcher.normalizer
    return all(t in _ASKING or norm.is_function_word(t) for t in norm.tokens(turn.text))


# Asking words, normalised ("gmn" is bagaimana): a message of only these asks nothing new.
_ASKING = frozenset({"bagaimana", "gimana", "terus", "trus", "lalu", "jadi", "apa", "cara", "caranya", "lanjut",
                     "lagi", "ya", "min", "kak", "pak", "bu", "dong", "nya", "kalau", "how", "what", "then", "so"})


def topic_of(turn: Turn, text: str) -> str:
    """Return a question without its asking words ("Kapan jadwal SPMB SD dan SMP?" → "SPMB SD dan SMP"): a
    follow-up asks its own thing about the same topic (the requirements, not the schedule again)."""
    norm, generic = turn.matcher.normalizer, GENERIC_WORDS
    kept = [w for w in text.split() if any(t not in generic for t in norm.tokens(w))]
    return " ".join(kept) if kept else text


def which_service(turn: Turn, opd: Opd, asked: str) -> list[Reply]:
    """Ask which of an office's services a follow-up is about, offering the office's entries that fit it best."""
    faqs = [c.faq for c in turn.matcher.match(asked).candidates if c.faq.opd == opd.slug][:MAX_SUGGESTIONS]
    _offered(turn, asked, opd.slug, faqs, own_words=False)
    turn.record("question", "clarify", opd=opd.slug, answered=False, text=turn.text)
    options = faq_options(faqs)
    return [Reply(texts.which_service_of(opd.short_name or opd.name, bool(options)),
                  options=options + ((texts.NONE_OF_THESE,) if options else (texts.ASK_AGAIN,)), kind="suggest")]


def either(turn: Turn, alone: Match, combined: Match, before: Faq, asked: str) -> list[Reply]:
    """Offer the entry a short question matched alone and the office's entries it fits read with the question
    before (not the one just answered; `asked`: the two read together, which a follow-up of the menu is read
    with): "did you mean" with both readings."""
    assert alone.faq is not None
    theirs = [c.faq for c in combined.candidates if c.faq.opd == before.opd and c.faq.id != before.id]
    faqs = [alone.faq] + [f for f in theirs if f.id != alone.faq.id][:MAX_SUGGESTIONS - 1]
    return _did_you_mean(turn, faqs, asked, own_words=True, score=round(float(alone.score), 4))


def again_offered(turn: Turn, faqs: list[Faq], asked: str) -> list[Reply]:
    """Offer again the entries of the menu before that a follow-up of it fits (`asked`: the two read together)."""
    return _did_you_mean(turn, faqs[:MAX_SUGGESTIONS], asked, own_words=False)


def _did_you_mean(turn: Turn, faqs: list[Faq], asked: str, *, own_words: bool, **event: Any) -> list[Reply]:
    """Offer `faqs` as "did you mean", remembered as offered for `asked`."""
    _offered(turn, asked, None, faqs, own_words=own_words)
    turn.record("question", "suggest", faq_key=faqs[0].id, answered=False, text=turn.text, **event)
    return [Reply(texts.DID_YOU_MEAN, options=faq_options(faqs) + (texts.NONE_OF_THESE,), kind="suggest")]


def _offered(turn: Turn, asked: str, opd: str | None, faqs: list[Faq], *, own_words: bool) -> None:
    """Remember the question the entries were offered for (the choice answers it; "Bukan semuanya" names `opd`)."""
    turn.state["last_question"] = {"text": asked[:500], "opd": opd, "faq": None, "elsewhere": None,
                                   "own_words": own_words, "suggested": [f.id for f in faqs],
                                   "at": turn.services.now().isoformat()}


def names_only_a_place(turn: Turn) -> bool:
    """Tell whether a message names a kelurahan or kecamatan of the city and nothing else of substance: a
    follow-up that asks about that place, read with the question before."""
    rest = turn.services.places.without_names(turn.text)
    if rest == " ".join(turn.text.lower().split()) or turn.services.places.find(turn.text) is None:
        return False
    kept = " ".join(w for w in rest.split() if w not in _AROUND_A_PLACE)
    return not kept or not turn.matcher.has_topic(turn.matcher.index.query(kept))


def same_opd(turn: Turn, faq: Faq) -> Match | None:
    """Return the match of a follow-up asked with the OPD's name ("buka jam berapa?" after a Disdukcapil answer:
    Disdukcapil's opening hours) when it leads to another entry of that OPD: answered when the matcher would
    answer it, else offered beside "that answer has no more"."""
    opd = turn.kb.opd(faq.opd)
    if opd is None:
        return None
    match = turn.matcher.match(f"{turn.text} {opd.short_name or opd.name}")
    best = match.best
    return match if best is not None and best.faq.opd == faq.opd and best.faq.id != faq.id else None


def not_that(turn: Turn, wrong: Faq, previous: dict[str, Any], match: Match | None = None) -> list[Reply]:
    """The resident says the answer missed: record it as a 👎 and offer the other entries their question (or the
    `match` of what they said they meant) came near, or ask them to say it in other words."""
    asked = str(previous.get("text") or "")
    turn.record("feedback", "down", faq_key=wrong.id, opd=wrong.opd, text=asked or None, answered=False)
    if match is None and asked:
        match = turn.matcher.match(asked)
    others = [c.faq for c in match.candidates if c.faq.id != wrong.id][:3] if match is not None else []
    previous["faq"] = None  # no follow-up reads the missed answer
    if others:
        previous["suggested"] = [f.id for f in others]
        return [Reply(texts.NOT_THAT_MAYBE, options=faq_options(others) + (texts.NONE_OF_THESE,), kind="suggest")]
    return [Reply(texts.NOT_THAT, options=(texts.REPORT, texts.ASK_AGAIN))]
