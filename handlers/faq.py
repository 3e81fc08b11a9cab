"""Questions: answer from the knowledge base, offer "did you mean" choices, or say honestly "I don't know".

This is the last feature asked: any text no other feature claimed is a question. Input the
bot cannot read (voice, stickers, a stray photo, emoji only, garbage) gets a polite answer
saying what the bot can do. A question is first read with the one before it (`faq_context`: follow-ups, "bukan
itu"); the replies about entries are built in `faq_reply`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from handlers import texts
from handlers.asks import (asks_about_others, asks_about_privacy, asks_callback, asks_for_human,
                          asks_if_reporting_costs, asks_something_harmful, asks_what_is_kept, not_that_but,
                          says_not_that)
from handlers.contact import about_reaching, asked_contact, contact_reply, named_opd
from handlers.context import Turn
from handlers.emergency import (after_urgent, answered_beside_crisis, emergency_reply, in_crisis, is_emergency,
                                remember_urgent, what_now_fits)
from handlers.faq_context import not_that, read_with_previous
from handlers.faq_reply import POINTS_TO_REPORTING, answer_reply, faq_options
from handlers.intents import asks_how_to_report, names_police, opens_with_salam, police_matter, wants_to_report_where
from handlers.messages import Reply
from handlers.multi import answered_questions, numbered, question_parts
from knowledge.decision import ENGLISH_SHARE
from knowledge.kb import Faq
from knowledge.matcher import MAX_SUGGESTIONS, Match

# When the matcher names no OPD, a question about a problem ("limbah pabrik di sungai, lapor ke mana?")
# is routed like a complaint; only a confident route names an OPD (an off-topic question scores lower).
ROUTER_OPD_SCORE = 0.45
TOLD_KEPT = 3  # the resident's latest messages kept as the possible story of a report said later
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


def _with_salam(turn: Turn, replies: list[Reply]) -> list[Reply]:
    """Answer a question that opens with the salam ("Assalamualaikum, mau tanya ...") with "Waalaikumsalam" first."""
    if not replies or not opens_with_salam(turn.text):
        return replies
    first = replies[0]
    return [Reply(f"{texts.SALAM_REPLY} {first.text}", first.options, first.request, first.photo, first.kind),
            *replies[1:]]


def answer_question(turn: Turn) -> list[Reply]:
    """Answer the turn's text as a question (also asked by the complaint flow for a question typed mid-way)."""
    crisis = in_crisis(turn.text)
    urgent = crisis or is_emergency(turn.text)
    if not urgent and (after := after_urgent(turn)) is not None:  # "sy hrs ngapain" right after an emergency
        return after
    replies = [emergency_reply(turn.kb.city, turn.text)] if urgent else []
    if urgent:
        remember_urgent(turn, "crisis" if crisis else "emergency")
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
    if asks_something_harmful(turn.text):  # "surat keterangan domisili palsu", "cara bikin bom molotov"
        turn.record("question", "refused", answered=True)
        return replies + [Reply(texts.REFUSED, options=(texts.ASK_AGAIN,))]
    if asks_about_others(turn.text):  # "cariin alamat orang namanya Budi", "siapa yg laporin warung sy"
        turn.record("question", "privacy", answered=True)
        return replies + [Reply(texts.OTHERS_DATA, options=(texts.ASK_AGAIN,))]
    if asks_what_is_kept(turn.text):  # "data chat sy disimpan? siapa yg bisa baca?", "hapus data sy"
        turn.record("question", "privacy", answered=True, text=turn.text)
        manager = turn.kb.opd("diskominfo")
        office = manager.label if manager is not None else f"Pemerintah {turn.kb.city.name}"
        return replies + [Reply(texts.data_kept(turn.services.retention_days, office), options=(texts.ASK_AGAIN,))]
    if asks_if_reporting_costs(turn.text):  # "lapor di sini bayar ga?": free, with the button
        turn.record("question", "report_cost", answered=True, text=turn.text)
        return replies + [Reply(texts.REPORTING_FREE, options=(texts.REPORT, texts.ASK_AGAIN))]
    if asks_how_to_report(turn.text):  # "gimana cara laporinnya": here, with the button
        turn.record("question", "how_to_report", answered=True, text=turn.text)
        return replies + [Reply(texts.HOW_TO_REPORT, options=(texts.REPORT, texts.ASK_AGAIN))]
    previous = turn.state.get("last_question") or {}
    before = turn.kb.faq(previous["faq"]) if previous.get("faq") else None  # the entry answered just before
    if before is not None and says_not_that(turn.text):  # "bukan itu": a 👎, and the other likely entries
        return replies + not_that(turn, before, previous)
    corrected = not_that_but(turn.text) if before is not None else None
    if corrected:  # "bukan itu sy mau tau caranya daftar": a 👎, and what they meant (read with the question before)
        return replies + _meant(turn, before, previous, corrected, crime=police_matter(turn.text, certain_opd=False))
    reading = read_with_previous(turn, previous, before)
    if isinstance(reading, list):  # answered from the answer before, or asked which one it is about
        return replies + reading
    asked, match, follow_up = reading
    now = turn.services.now().isoformat()
    opd = match.opd if match.decision == "answer" else _likely_opd(turn, match)
    last: dict[str, Any] = {"text": asked[:500], "opd": opd, "faq": None, "elsewhere": match.elsewhere,
                            "own_words": not follow_up, "at": now}
    turn.state["last_question"] = last
    if not follow_up and not crisis:  # what the resident told lately: a report said later may be about any of it
        # (not a crisis said: "capek hidup, mau mati aja" is no story for an office to read)
        turn.state["told"] = [*turn.state.get("told", [])[-(TOLD_KEPT - 1):], {"text": turn.text[:500], "at": now}]
    if crisis and not answered_beside_crisis(turn, match):  # never a menu; only an answer found for sure follows
        # Counted as answered, and kept out of the unanswered questions OPD admins read; what follows is not read
        # as a follow-up of it (after_urgent reads it).
        turn.state.pop("last_question", None)
        turn.record("question", "crisis", answered=True)
        return replies
    common = {"score": round(float(match.score), 4), "text": turn.text}
    crime = police_matter(turn.text, certain_opd=False)  # "kabel PJU dicuri": the answer, and the police too
    answers = (_several(turn, last, common) or _contact_first(turn, match, common)
               or _answered(turn, match, crime, last, common)
               or _contact(turn, common) or _not_answered(turn, match, crime, last, common))
    if not turn.state.get("english_noted") and turn.matcher.normalizer.english_share(turn.text) >= ENGLISH_SHARE:
        turn.state["english_noted"] = True  # once: the answers are in Indonesian, English questions are welcome
        answers = [Reply(texts.ENGLISH_NOTE)] + answers
    if crisis:  # the answer found for sure of what is asked beside it ("air mati terus, rasanya mau mati aja")
        return replies + answers
    if replies and replies[0].kind == "emergency" and not _about_emergencies(turn, last):
        # In an emergency a "did you mean" menu is noise ("kebakaran di pasar" -> market fees), and so is an answer
        # from an office that does not deal with emergencies ("urang gaek indak bisa kalua rumah" in a flood got the
        # KTP-el home visits): the numbers, and what to do once safe.
        answers = ([Reply(texts.WHAT_NOW, kind="emergency")] if what_now_fits(turn.text)
                   else [Reply(texts.AFTER_EMERGENCY, options=(texts.REPORT,))])
    return replies + answers


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
        return not_that(turn, wrong, previous, match)
    turn.record("feedback", "down", faq_key=wrong.id, opd=wrong.opd, text=str(previous.get("text") or "") or None,
                answered=False)
    last: dict[str, Any] = {"text": asked[:500], "opd": match.opd, "faq": None, "elsewhere": match.elsewhere,
                            "own_words": alone.topic, "at": turn.services.now().isoformat()}
    turn.state["last_question"] = last
    common = {"score": round(float(match.score), 4), "text": turn.text}
    return _answered(turn, match, crime, last, common) or []


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
    if wants_to_report_where(turn.text) and not POINTS_TO_REPORTING.search(faq.answer) and not crime:
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
    if crime and not elsewhere:  # "motor sy dicuri lapor kemana": the police first; the city's entries stay on offer
        elsewhere = last["elsewhere"] = texts.POLICE_BODY  # (a body named says more: "narkoba" is BNN's too)
    if match.decision == "suggest" and suggestions and not (elsewhere and match.tentative):
        # (whose matter it is, known, is not followed by loosely related entries: "mau beli narkoba dmn" had been
        # offered the cheap-market days)
        last["suggested"] = [f.id for f in suggestions]
        turn.record("question", "suggest", faq_key=suggestions[0].id, opd=last["opd"], answered=False, **common)
        options = faq_options(suggestions)
        text = texts.MAYBE_RELATED if match.tentative else texts.DID_YOU_MEAN
        if elsewhere:  # say whose matter it is first; the city's entries stay on offer
            text = f"{texts.handled_elsewhere(elsewhere, turn.kb.city.name)}\n\n{texts.OR_DID_YOU_MEAN}"
        return [Reply(text, options=options + (texts.NONE_OF_THESE,), kind="suggest")]
    opd = None if elsewhere else last["opd"]
    last["opd"] = opd
    turn.record("question", "abstain", opd=opd, answered=False, **common)
    turn.record("unanswered", "abstain", opd=opd, text=turn.text)
    return [_dont_know(turn, opd, elsewhere)]


# The offices whose answers help in an emergency (the slugs every city's KB uses: INTERFACES §3).
EMERGENCY_OPDS = frozenset({"bpbd", "damkar", "dinkes", "diskominfo"})


def _about_emergencies(turn: Turn, last: dict[str, Any]) -> bool:
    """Tell whether the entry answered, or every entry offered, is from an office that deals with emergencies
    (disasters, fire, health, the 112 centre): a quake felt now may be offered BPBD's evacuation entries."""
    if last.get("faq"):  # an entry answered that gives the emergency number itself helps too (violence at home:
        faq = turn.kb.faq(last["faq"])  # Dinsos's, with 110/112)
        return faq is not None and (faq.opd in EMERGENCY_OPDS or "**112**" in faq.answer)
    # not a menu with such entries: a fire next door had been offered burning rubbish and illegal parking
    faqs = [turn.kb.faq(key) for key in last.get("suggested") or []]
    return bool(faqs) and all(faq is not None and faq.opd in EMERGENCY_OPDS for faq in faqs)


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
