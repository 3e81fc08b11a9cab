"""Questions: answer from the knowledge base, offer "did you mean" choices, or say honestly "I don't know".

This is the last feature asked: any text no other feature claimed is a question. Input the
bot cannot read (voice, stickers, a stray photo, emoji only, garbage) gets a polite answer
saying what the bot can do.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from handlers import texts
from handlers.contact import about_reaching, asked_contact, contact_reply, named_opd
from handlers.context import Turn
from handlers.emergency import emergency_reply, is_emergency
from handlers.intents import (asks_about_privacy, asks_callback, asks_for_human, asks_how_to_report, names_police,
                              not_that_but, opens_with_salam, police_matter, says_not_that, wants_to_report_where)
from handlers.messages import Option, Reply
from handlers.followup import (about_previous, asks_office_hours, from_previous, is_short, office_only, quoted_lines,
                               shared_with_previous)
from handlers.multi import answered_questions, numbered, question_parts
from knowledge.decision import ENGLISH_SHARE
from knowledge.kb import Faq, Opd
from knowledge.matcher import GENERIC_WORDS, MAX_SUGGESTIONS, Match

MAX_VALUE_BYTES = 64  # Telegram's callback data limit
# When the matcher names no OPD, a question about a problem ("limbah pabrik di sungai, lapor ke mana?")
# is routed like a complaint; only a confident route names an OPD (an off-topic question scores lower).
ROUTER_OPD_SCORE = 0.45
TOLD_KEPT = 3  # the resident's latest messages kept as the possible story of a report said later
LABEL_CHARS = 60
# An answer saying "report it here" ("ketik /lapor", "melalui layanan pengaduan ini").
_POINTS_TO_REPORTING = re.compile(r"/lapor\b|pengaduan ini\b", re.I)
_PUNCT = set(".,?!-'\"/():;%&+")
_PLAIN = re.compile(r"[A-Za-z0-9\s.,?!\-'\"/():;%&+]*")  # ASCII letters, digits, spaces and _PUNCT only


def _stale_choice(text: str) -> bool:
    """Tell whether a text is one of the bot's button labels or a lone option number ("2"), with no
    options on offer (the dispatcher has matched it against those)."""
    said = text.strip()
    return (said.isdigit() and len(said) <= 2) or texts.is_button_label(said)


def _readable(text: str) -> bool:
    """Return True when the text looks like words (not emoji only, not binary garbage)."""
    if not text or not any(ch.isalnum() for ch in text):
        return False
    if _PLAIN.fullmatch(text):  # the usual case, without a look at each character's category
        return True
    broken = sum(ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cn", "Cs") for ch in text)
    wordish = sum(ch.isalnum() or ch.isspace() or ch in _PUNCT for ch in text)
    return broken <= len(text) * 0.05 and wordish >= len(text) * 0.5


def _label(question: str) -> str:
    """Return an option label: the FAQ question, cut at a word to fit a button."""
    if len(question) <= LABEL_CHARS:
        return question
    return question[: LABEL_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def _value(prefix: str, key: str, suffix: str = "") -> str:
    value = f"{prefix}:{key}{suffix}"
    return value if len(value.encode()) <= MAX_VALUE_BYTES else f"{prefix}:~{suffix}"


async def handle(turn: Turn) -> list[Reply] | None:
    """Answer a question, a did-you-mean choice, or unreadable input."""
    msg = turn.msg
    choice = turn.choice or ""
    if choice.startswith("faq:"):
        return _chosen(turn, choice[4:])
    if choice == "nf:none":
        return _none_of_these(turn)
    if msg.unsupported or msg.photo or msg.location:
        turn.record("other", "unsupported", data={"type": msg.unsupported or ("photo" if msg.photo else "location")})
        return [Reply(texts.UNSUPPORTED, options=texts.MENU)]
    if (msg.option and not turn.text) or (turn.choice is None and _stale_choice(turn.text)):
        # A button from an old message whose moment has passed, or its label (or a number) typed again.
        turn.record("other", "stale_option")
        return [Reply(texts.STALE_OPTION, options=texts.MENU)]
    if not _readable(turn.text):
        turn.record("other", "unreadable")
        return [Reply(texts.NOT_UNDERSTOOD, options=texts.MENU)]
    return _with_salam(turn, answer_question(turn))


def answer_reply(turn: Turn, faq: Faq) -> Reply:
    """Return an FAQ's answer with its source OPD and the 👍/👎 question; an answer that tells the
    resident to report through this service also offers the complaint flow as a button."""
    opd = turn.kb.opd(faq.opd)
    parts = [faq.answer.strip()]
    if opd:
        parts.append(texts.source_line(opd))
    parts.append(texts.HELPFUL)
    options = (Option(texts.HELPFUL_YES, _value("fb", faq.id, ":up")),
               Option(texts.HELPFUL_NO, _value("fb", faq.id, ":down")))
    if _POINTS_TO_REPORTING.search(faq.answer):
        options += (Option(texts.REPORT.label, _value("report", faq.id)),)
    return Reply("\n\n".join(parts), options=options, kind="answer")


def _with_salam(turn: Turn, replies: list[Reply]) -> list[Reply]:
    """Answer a question that opens with the salam ("Assalamualaikum, mau tanya ...") with "Waalaikumsalam" first."""
    if not replies or not opens_with_salam(turn.text):
        return replies
    first = replies[0]
    return [Reply(f"{texts.SALAM_REPLY} {first.text}", first.options, first.request, first.photo, first.kind),
            *replies[1:]]


def answer_question(turn: Turn) -> list[Reply]:
    """Answer the turn's text as a question (also asked by the complaint flow for a question typed mid-way)."""
    replies = [emergency_reply(turn.kb.city)] if is_emergency(turn.text) else []
    if turn.truncated:
        replies.append(Reply(texts.TRUNCATED))
    if asks_callback(turn.text):  # "no hp saya 0812… tolong dihubungi": the bot cannot call; it says what it can do
        turn.record("question", "callback", answered=True)
        return replies + [Reply(texts.NO_CALLBACK, options=(texts.REPORT, texts.ASK_AGAIN))]
    if asks_for_human(turn.text):  # "saya mau bicara sama petugas aja": said honestly, with what can be done
        turn.record("question", "human", answered=True, text=turn.text)
        return replies + [Reply(texts.NO_HUMAN, options=(texts.REPORT, texts.ASK_AGAIN))]
    if asks_about_privacy(turn.text):  # "perusahaan tau gak kalau saya yg lapor?": what this service does
        turn.record("question", "privacy", answered=True, text=turn.text)
        return replies + [Reply(texts.PRIVACY, options=(texts.REPORT, texts.ASK_AGAIN))]
    if asks_how_to_report(turn.text):  # "gimana cara laporinnya": here, with the button
        turn.record("question", "how_to_report", answered=True, text=turn.text)
        return replies + [Reply(texts.HOW_TO_REPORT, options=(texts.REPORT, texts.ASK_AGAIN))]
    previous = turn.state.get("last_question") or {}
    before = turn.kb.faq(previous["faq"]) if previous.get("faq") else None  # the entry answered just before
    if before is not None and says_not_that(turn.text):  # "bukan itu": a 👎, and the other likely entries
        return replies + _not_that(turn, before, previous)
    corrected = not_that_but(turn.text) if before is not None else None
    if corrected:  # "bukan itu sy mau tau caranya daftar": a 👎, and what they meant (read with the question before)
        return replies + _meant(turn, before, previous, corrected, crime=police_matter(turn.text, certain_opd=False))
    asked, match = turn.text, turn.matcher.match(turn.text)
    place_only = match.topic and _names_only_a_place(turn)  # "kalau di kelurahan ulak karang?"
    follow_up = not match.topic or place_only
    if follow_up and before is None and not previous.get("text"):  # "syaratnya apa aja?" out of the blue
        turn.record("question", "clarify", answered=False, text=turn.text)
        return replies + [Reply(texts.WHICH_SERVICE)]
    if (follow_up and not place_only and before is not None
            and (lines := quoted_lines(turn, before))):  # "is it free?": that answer says
        return replies + from_previous(turn, before, _again(before), None, lines)
    if follow_up:  # a follow-up ("biayanya berapa?") is about what the question answered before was about
        topic = _topic_of(turn, previous["text"])
        office = None if place_only else office_only(turn, topic)
        if office is not None:  # "syaratnya apa aja?" after "jam buka disdukcapil?": which of its services?
            return replies + _which_service(turn, office, f"{turn.text} {topic}")
        asked = f"{turn.text} {topic}"  # "trs syaratnya?" after "kapan jadwal SPMB?"
        match = turn.matcher.match(previous["text"] if place_only else asked)  # a place's name matches nothing
        if before is not None and not place_only and asks_office_hours(turn):
            # "jam buka kantornya jam berapa" after Disdukcapil's online services: its office's hours, not the
            # entry the question before that one was about
            match = _same_opd(turn, before) or match
        if before is not None and (match.faq is None or match.faq.id == before.id):  # nothing quotable
            same_opd = _same_opd(turn, before)  # "bisa online?" after a Disdukcapil answer: its online entry
            if same_opd is None or same_opd.decision != "answer":
                other = same_opd.best.faq if same_opd is not None and same_opd.best is not None else None
                return replies + from_previous(turn, before, _again(before), _or_this(other), lines=[])
            match = same_opd
    elif before is not None and match.faq != before:
        # Offered beside the quote only when it would have been the answer on its own (not a loose look-alike).
        other = match.faq if match.decision == "answer" else None
        alone = match.best.faq if match.best is not None and match.best.faq.id != before.id else None
        if about_previous(turn, before, alone):
            # "brp lama pemasangannya" after the PDAM connection answer: about that, not the billboard tax
            return replies + from_previous(turn, before, _again(before), _or_this(other))
        if is_short(turn):
            # Read with the question before, a third entry that fits both ("kalau telat dendanya berapa?" after
            # paying the PBB: the PBB fine, not the vehicle tax's); a new question lands on the one before or
            # on its own answer, and is answered on its own.
            combined = turn.matcher.match(f"{turn.text} {previous['text']}")
            if combined.decision == "answer" and combined.faq not in (before, match.faq):
                asked, match, follow_up = f"{turn.text} {previous['text']}", combined, True
            elif alone is not None and match.decision == "answer" and shared_with_previous(turn, before, alone):
                # "zonasi nya gmn" after primary school: school zoning or the city plan's? Both offered.
                return replies + _either(turn, match, combined, before)
    now = turn.services.now().isoformat()
    opd = match.opd if match.decision == "answer" else _likely_opd(turn, match)
    last: dict[str, Any] = {"text": asked[:500], "opd": opd, "faq": None, "elsewhere": match.elsewhere,
                            "own_words": not follow_up, "at": now}
    turn.state["last_question"] = last
    if not follow_up:  # what the resident told lately: a report said later may be about any of it
        turn.state["told"] = [*turn.state.get("told", [])[-(TOLD_KEPT - 1):], {"text": turn.text[:500], "at": now}]
    common = {"score": round(float(match.score), 4), "text": turn.text}
    crime = police_matter(turn.text, certain_opd=False)  # "kabel PJU dicuri": the answer, and the police too
    answers = (_several(turn, last, common) or _contact_first(turn, match, common)
               or _answered(turn, match, crime, last, common)
               or _contact(turn, common) or _not_answered(turn, match, crime, last, common))
    if not turn.state.get("english_noted") and turn.matcher.normalizer.english_share(turn.text) >= ENGLISH_SHARE:
        turn.state["english_noted"] = True  # once: the answers are in Indonesian, English questions are welcome
        answers = [Reply(texts.ENGLISH_NOTE)] + answers
    if replies and replies[0].kind == "emergency" and answers[-1].kind in ("suggest", "abstain"):
        # In an emergency a "did you mean" menu is noise ("kebakaran di pasar" -> market fees): the numbers,
        # and what to do once safe.
        answers = [Reply(texts.AFTER_EMERGENCY, options=(texts.REPORT,))]
    return replies + answers


# Words that may stand around a place name in a follow-up about it ("kalau di kelurahan ulak karang?").
_AROUND_A_PLACE = frozenset({"kelurahan", "kel", "kecamatan", "kec", "daerah", "wilayah", "kawasan", "area", "sekitar",
                             "di", "ke", "dari", "kalau", "klo", "kalo", "kl", "gimana", "bagaimana", "gmn", "gmana",
                             "bgmn", "yang", "yg", "untuk", "utk", "bagaimano", "baa", "in", "for", "what",
                             "about", "how", "nya", "juga", "jg", "sama", "ya", "min", "kak", "pak", "bu"})


def _topic_of(turn: Turn, text: str) -> str:
    """Return a question without its asking words ("Kapan jadwal SPMB SD dan SMP?" → "SPMB SD dan SMP"): a
    follow-up asks its own thing about the same topic (the requirements, not the schedule again)."""
    norm, generic = turn.matcher.normalizer, GENERIC_WORDS
    kept = [w for w in text.split() if any(t not in generic for t in norm.tokens(w))]
    return " ".join(kept) if kept else text


def _which_service(turn: Turn, opd: Opd, asked: str) -> list[Reply]:
    """Ask which of an office's services a follow-up is about, offering the office's entries that fit it best."""
    faqs = [c.faq for c in turn.matcher.match(asked).candidates if c.faq.opd == opd.slug][:MAX_SUGGESTIONS]
    turn.state["last_question"] = {"text": asked[:500], "opd": opd.slug, "faq": None, "elsewhere": None,
                                   "own_words": False, "suggested": [f.id for f in faqs],
                                   "at": turn.services.now().isoformat()}
    turn.record("question", "clarify", opd=opd.slug, answered=False, text=turn.text)
    options = tuple(Option(_label(f.question), _value("faq", f.id)) for f in faqs)
    return [Reply(texts.which_service_of(opd.short_name or opd.name, bool(options)),
                  options=options + ((texts.NONE_OF_THESE,) if options else (texts.ASK_AGAIN,)), kind="suggest")]


def _either(turn: Turn, alone: Match, combined: Match, before: Faq) -> list[Reply]:
    """Offer the entry a short question matched alone and the office's entries it fits read with the question
    before (not the one just answered): "did you mean" with both readings."""
    assert alone.faq is not None
    theirs = [c.faq for c in combined.candidates if c.faq.opd == before.opd and c.faq.id != before.id]
    faqs = [alone.faq] + [f for f in theirs if f.id != alone.faq.id][:MAX_SUGGESTIONS - 1]
    turn.state["last_question"] = {"text": turn.text[:500], "opd": None, "faq": None, "elsewhere": None,
                                   "own_words": True, "suggested": [f.id for f in faqs],
                                   "at": turn.services.now().isoformat()}
    turn.record("question", "suggest", faq_key=faqs[0].id, answered=False, score=round(float(alone.score), 4),
                text=turn.text)
    options = tuple(Option(_label(f.question), _value("faq", f.id)) for f in faqs)
    return [Reply(texts.DID_YOU_MEAN, options=options + (texts.NONE_OF_THESE,), kind="suggest")]


def _names_only_a_place(turn: Turn) -> bool:
    """Tell whether a message names a kelurahan or kecamatan of the city and nothing else of substance: a
    follow-up that asks about that place, read with the question before."""
    rest = turn.services.places.without_names(turn.text)
    if rest == " ".join(turn.text.lower().split()) or turn.services.places.find(turn.text) is None:
        return False
    kept = " ".join(w for w in rest.split() if w not in _AROUND_A_PLACE)
    return not kept or not turn.matcher.has_topic(turn.matcher.index.query(kept))


def _same_opd(turn: Turn, faq: Faq) -> Match | None:
    """Return the match of a follow-up asked with the OPD's name ("buka jam berapa?" after a Disdukcapil answer:
    Disdukcapil's opening hours) when it leads to another entry of that OPD: answered when the matcher would
    answer it, else offered beside "that answer has no more"."""
    opd = turn.kb.opd(faq.opd)
    if opd is None:
        return None
    match = turn.matcher.match(f"{turn.text} {opd.short_name or opd.name}")
    best = match.best
    return match if best is not None and best.faq.opd == faq.opd and best.faq.id != faq.id else None


def _not_that(turn: Turn, wrong: Faq, previous: dict[str, Any], match: Match | None = None) -> list[Reply]:
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
        options = tuple(Option(_label(f.question), _value("faq", f.id)) for f in others)
        return [Reply(texts.NOT_THAT_MAYBE, options=options + (texts.NONE_OF_THESE,), kind="suggest")]
    return [Reply(texts.NOT_THAT, options=(texts.REPORT, texts.ASK_AGAIN))]


_NOT_THIS = re.compile(r"\b(?:bukan|bkn|not)\s+(?:(?:yang|yg|the)\s+)?\w+", re.IGNORECASE)


def _meant(turn: Turn, wrong: Faq, previous: dict[str, Any], meant: str, *, crime: bool) -> list[Reply]:
    """Answer what a resident meant after saying the answer missed ("bukan itu, maksud saya cara daftarnya"): the
    words alone when they name their topic, else read with the question before; never the missed entry again.
    What they say they did not mean is left out ("caranya daftar, bukan jadwal")."""
    meant = " ".join(_NOT_THIS.sub(" ", meant).split()) or meant
    alone = turn.matcher.match(meant)
    asked = meant if alone.topic else f"{meant} {previous.get('text') or ''}".strip()
    match = alone if alone.topic else turn.matcher.match(asked)
    if match.faq is None or match.faq.id == wrong.id:
        return _not_that(turn, wrong, previous, match)
    turn.record("feedback", "down", faq_key=wrong.id, opd=wrong.opd, text=str(previous.get("text") or "") or None,
                answered=False)
    last: dict[str, Any] = {"text": asked[:500], "opd": match.opd, "faq": None, "elsewhere": match.elsewhere,
                            "own_words": alone.topic, "at": turn.services.now().isoformat()}
    turn.state["last_question"] = last
    common = {"score": round(float(match.score), 4), "text": turn.text}
    return _answered(turn, match, crime, last, common) or []


def _again(faq: Faq) -> Option:
    """The button that shows an entry's answer again."""
    return Option(texts.SEE_ANSWER_AGAIN, _value("faq", faq.id))


def _or_this(faq: Faq | None) -> Option | None:
    """The button offering another entry a follow-up may have meant ("Atau: …")."""
    return Option(_label(f"Atau: {faq.question}"), _value("faq", faq.id)) if faq is not None else None


def _several(turn: Turn, last: dict[str, Any], common: dict[str, Any]) -> list[Reply] | None:
    """Answer each of several questions in one message ("syarat akta apa? bayar pbb dmn?"), if they are."""
    parts = question_parts(turn.text)
    several = answered_questions(parts, turn.matcher, at_least=1 if numbered(turn.text) else 2)
    if not several:
        return None
    last["faq"] = several[-1].id
    for faq in several:
        turn.record("question", "answer", faq_key=faq.id, opd=faq.opd, answered=True, **common)
    unanswered = len(parts) > len(several)
    return [answer_reply(turn, faq) for faq in several] + ([Reply(texts.SEVERAL_QUESTIONS)] if unanswered else [])


def _answered(turn: Turn, match: Match, crime: bool, last: dict[str, Any],
              common: dict[str, Any]) -> list[Reply] | None:
    """Answer with the matched entry, if the matcher answers (a crime's police note first)."""
    faq = match.faq
    if match.decision != "answer" or faq is None:
        return None
    if wants_to_report_where(turn.text) and not _POINTS_TO_REPORTING.search(faq.answer) and not crime:
        # "saya mau lapor anjing liarnya, kemana?" had got the first aid for a bite (again): here is where
        turn.record("question", "how_to_report", answered=True, text=turn.text)
        return [Reply(texts.HOW_TO_REPORT, options=(texts.REPORT, texts.ASK_AGAIN))]
    last["faq"] = faq.id
    turn.record("question", "answer", faq_key=faq.id, opd=faq.opd, answered=True, **common)
    police = [Reply(texts.POLICE_NOTE)] if crime and not _involves_police(faq) else []
    return police + [answer_reply(turn, faq)]


def _contact_first(turn: Turn, match: Match, common: dict[str, Any]) -> list[Reply] | None:
    """Give the office's contact to a question asking how to reach it, before an answer that is not about reaching
    an office ("kantor disnaker nya dmn" had got the procedure for a dismissal dispute)."""
    faq = match.faq
    if faq is None or about_reaching(faq.question, faq.alternatives):
        return None
    return _contact(turn, common)


def _contact(turn: Turn, common: dict[str, Any]) -> list[Reply] | None:
    """Give an OPD's own contact when that is what is asked ("nomor telepon Dinas Sosial?"), not
    look-alike entries."""
    opd = asked_contact(turn.text, turn.kb)
    if opd is None:
        return None
    return contact_reply(turn, opd, (texts.REPORT, texts.ASK_AGAIN), **common)


def _not_answered(turn: Turn, match: Match, crime: bool, last: dict[str, Any],
                  common: dict[str, Any]) -> list[Reply]:
    """Offer the likely entries ("did you mean"), or say honestly that there is no answer and who to ask."""
    elsewhere = match.elsewhere
    suggestions = tuple(match.suggestions)[:3]
    if crime:  # "motor sy dicuri lapor kemana": the police first; the city's entries stay on offer
        elsewhere = last["elsewhere"] = texts.POLICE_BODY
    if match.decision == "suggest" and suggestions:
        last["suggested"] = [f.id for f in suggestions]
        turn.record("question", "suggest", faq_key=suggestions[0].id, opd=last["opd"], answered=False, **common)
        options = tuple(Option(_label(f.question), _value("faq", f.id)) for f in suggestions)
        text = texts.MAYBE_RELATED if match.tentative else texts.DID_YOU_MEAN
        if elsewhere:  # say whose matter it is first; the city's entries stay on offer
            text = f"{texts.handled_elsewhere(elsewhere, turn.kb.city.name)}\n\n{texts.OR_DID_YOU_MEAN}"
        return [Reply(text, options=options + (texts.NONE_OF_THESE,), kind="suggest")]
    opd = None if elsewhere else last["opd"]
    last["opd"] = opd
    turn.record("question", "abstain", opd=opd, answered=False, **common)
    turn.record("unanswered", "abstain", opd=opd, text=turn.text)
    return [_dont_know(turn, opd, elsewhere)]


def _involves_police(faq: Faq) -> bool:
    """Tell whether an entry has the police in it ("surat kehilangan dari kepolisian"): then it answers
    the city's part of a crime ("KTP saya dicuri"); another entry only looks like the question."""
    return names_police(" ".join((faq.question, faq.answer, *faq.alternatives, *faq.keywords)))


def _likely_opd(turn: Turn, match: Match) -> str | None:
    """Return the OPD a question the bot cannot answer is likely for (said to the resident, and counted for it):
    the best entry's, when the complaint router names it too or another of the leading entries is that OPD's
    (alone it named Dinkes for Dinsos's address and Disdukcapil for a cracked branch); else the router's, when one
    of the leading entries is that OPD's, or when no entry is close. An office the question names comes first."""
    if match.elsewhere or match.tentative:
        return None
    named = named_opd(turn.text, turn.kb)  # "… ke dinsos mana?": the office the resident names
    if named is not None:
        return named.slug
    route = turn.router.route(turn.text)
    routed = route.opd if route.opd and route.score >= ROUTER_OPD_SCORE else None
    if match.opd is None:
        return routed
    leading = [c.faq.opd for c in match.candidates[:MAX_SUGGESTIONS]]
    if match.opd == route.opd or leading.count(match.opd) >= 2:
        return match.opd
    return routed if routed in leading else None


def _dont_know(turn: Turn, opd_slug: str | None, elsewhere: str | None = None) -> Reply:
    if elsewhere:
        where = texts.handled_elsewhere(elsewhere, turn.kb.city.name)
    else:
        where = texts.refer_to_opd(turn.kb.opd(opd_slug))
    return Reply(f"{texts.NO_ANSWER}\n\n{where}", options=(texts.REPORT, texts.ASK_AGAIN), kind="abstain")


def _chosen(turn: Turn, key: str) -> list[Reply]:
    """Answer the did-you-mean entry the resident chose."""
    last = turn.state.get("last_question") or {}
    if key == "~":  # the key was too long for a button value; the state knows it
        key = (last.get("suggested") or [""])[0]
    faq = turn.kb.faq(key)
    if faq is None:
        turn.record("choice", "gone", faq_key=key)
        return [Reply(texts.FAQ_GONE)]
    last["faq"] = faq.id
    turn.state["last_question"] = last
    # A question in the resident's own words goes with the choice: the admin page offers it as the entry's
    # new phrasing ("biayanya berapa?", a follow-up, names no topic of its own).
    own = last.get("text") if last.get("own_words") else None
    turn.record("choice", "faq", faq_key=faq.id, opd=faq.opd, answered=True, text=own)
    return [answer_reply(turn, faq)]


def _none_of_these(turn: Turn) -> list[Reply]:
    """The suggestions missed: say so honestly and point to the likely OPD."""
    last = turn.state.get("last_question") or {}
    turn.record("choice", "none", opd=last.get("opd"), answered=False)
    if last.get("text"):
        turn.record("unanswered", "none", opd=last.get("opd"), text=last["text"])
    return [_dont_know(turn, last.get("opd"), last.get("elsewhere"))]
