"""The /lapor flow's first steps: the story, and the office it goes to (the router's proposal confirmed or
turned down, another office chosen, a category). What a resident types instead of a choice is read as meant: a
question is answered, "lho kok perhubungan? ini soal bansos" or "bukan, iko soal jalan balubang" adds to the story
and routes it again, "… ke DLH aja deh" takes that office.
"""

from __future__ import annotations

import re

from handlers import complaint_texts, texts
from handlers.complaint_flow import (MAX_ALSO, after_category, after_opd, aside, asks, cancelled, location_received,
                                     tells_another_problem)
from handlers.complaint_prompts import ask_category, ask_opd, ask_opd_all, ask_route
from handlers.complaint_state import (MAX_DESCRIPTION, MIN_DESCRIPTION, NO, clear, data, go, said_yes, says_skip,
                                      store_location, words)
from handlers.complaint_story import bare_place, only_a_place
from handlers.complaint_words import (about_instead, adds_detail, detail_of, opens_with_yes, refuses, right_after_all,
                                      says_cancel, story_fix, without_already_said)
from handlers.contact import named_opd
from handlers.context import Turn, clean_text
from handlers.intents import is_question, police_matter
from handlers.messages import Option, Reply
from handlers.smalltalk import small_talk
from knowledge.kb import Opd
from knowledge.matcher import named_body
from knowledge.router import OUTSIDE_OPD_SCORE


async def describe(turn: Turn, text: str | None = None) -> list[Reply]:
    lapor = data(turn)
    msg = turn.msg
    prefix: list[Reply] = []
    if msg.photo:
        lapor["photo"] = msg.photo.path
        text = text or msg.photo.caption
        prefix.append(Reply(complaint_texts.PHOTO_RECEIVED))
    if msg.location:
        prefix.append(location_received(turn))
    description, cut = clean_text(without_already_said(text if text is not None else msg.text), MAX_DESCRIPTION)
    if vague := lapor.pop("vague", None):  # "ada masalah di dekat rumah sy", then what the problem is
        description = clean_text(f"{vague}\n{description}".strip(), MAX_DESCRIPTION)[0]
    if len(description) < MIN_DESCRIPTION:
        return prefix + [Reply(complaint_texts.DESCRIBE_MORE if description else complaint_texts.DESCRIBE)]
    route = turn.router.route(description)
    if not route.candidates and not vague:  # says nothing the offices deal with: what is wrong, asked once
        lapor["vague"] = description
        turn.record("complaint_step", "vague")
        return prefix + [Reply(complaint_texts.DESCRIBE_WHAT)]
    lapor["description"] = description
    lapor.pop("told_story", None)
    if cut:
        prefix.append(Reply(complaint_texts.DESCRIPTION_CUT))
    candidates: list[str] = []
    for slug, _category, _score in route.candidates:
        if slug and slug not in candidates and turn.kb.opd(slug):
            candidates.append(slug)
    lapor["candidates"] = candidates[:4]
    opd = turn.kb.opd(route.opd)
    # A crime goes to the police unless the router is as sure as it must be to pass over an outside body.
    police = police_matter(f"{turn.text} {description}",  # "mau lapor polisi, hp hilang" started the flow
                           certain_opd=opd is not None and route.score >= OUTSIDE_OPD_SCORE)
    if opd is None or police:
        go(turn, "pick_opd")
        if police:
            prefix.append(Reply(texts.police_report(turn.kb.city.name)))
        elif route.elsewhere:  # "listrik padam": say whose matter it is; the resident may still choose an OPD
            prefix.append(Reply(texts.complaint_elsewhere(route.elsewhere, turn.kb.city.name)))
        return prefix + ask_opd(turn)
    lapor["opd"] = opd.slug
    category = turn.kb.category(route.category)
    lapor["category"] = category.code if category and category.opd == opd.slug else None
    go(turn, "confirm_route")
    return prefix + ask_route(turn)


async def confirm_route(turn: Turn) -> list[Reply]:
    word = words(turn.text)
    if turn.choice == "route:ok" or (turn.choice is None and (said_yes(turn.text) or right_after_all(turn.text))):
        return after_opd(turn)
    if turn.choice and turn.choice.startswith("opd:") and (chosen := turn.kb.opd(turn.choice[4:])) is not None:
        return to_office(turn, chosen)  # the office the resident asked about (asked_instead), chosen
    if turn.choice is None and (asked := asked_instead(turn)) is not None:
        return asked
    if turn.choice is None and (fix := story_fix(turn.text, data(turn).get("description", ""))):
        return await story_grows(turn, fix)  # "eh maaf salah, bukan km 10 tp km 12": the story, not the office
    refused = turn.choice is None and refuses(turn.text)  # "bukan itu instansinya", "bukan, ini harusnya ke BPBD"
    if refused and (named := named_opd(turn.text, turn.kb)) is not None:
        if about := about_instead(turn.text):  # "maaf salah, bukan genangan, itu air PDAM bocor": and the story
            data(turn)["description"] = clean_text(f"{data(turn)['description']}\n{about}", MAX_DESCRIPTION)[0]
        lapor = data(turn)
        lapor["opd"], lapor["category"] = named.slug, None
        turn.record("complaint_step", "opd", opd=named.slug)
        return after_opd(turn)
    if refused and (about := about_instead(turn.text)):  # "bukan, iko soal jalan balubang": the story grows
        return await story_grows(turn, about)
    if turn.choice == "route:other" or (turn.choice is None and word in NO) or refused:
        return _other_offices(turn)
    if turn.choice is None and (why := _QUESTIONED.match(turn.text)):  # "lho kok perhubungan? ini soal bansos PKH"
        rest = why.group("rest").strip()  # what it is about, said: the story grows and is routed again
        return await story_grows(turn, rest) if adds_detail(rest) else _other_offices(turn)
    if asks(turn):  # a question, not a choice: answered, then the choice asked again
        return await aside(turn)
    if turn.choice is None and (other := typed_beside(turn)) is not None:
        return other
    if turn.choice is None and opens_with_yes(turn.text) and tells_another_problem(turn):
        data(turn)["also"] = turn.text[:MAX_ALSO]  # "iya. oh iya di situ juga ada juru parkir liar": yes, and one more
        return [Reply(complaint_texts.ANOTHER_PROBLEM)] + after_opd(turn)
    if turn.choice is None and not data(turn).get("address") and only_a_place(turn, turn.text):
        return _place_early(turn) + ask_route(turn)  # "Jl. Raya Indarung dekat Pasar Baru": where, not what
    if turn.choice is None and adds_detail(turn.text):  # "sebenarnya yg lebih parah itu …": the story grows
        return await story_grows(turn, turn.text)
    return [Reply(complaint_texts.PICK_ONE)] + ask_route(turn)


def _place_early(turn: Turn) -> list[Reply]:
    """Keep a place typed before it was asked as the complaint's place (it had been added to the story, which was
    routed again: "Jl. Raya Indarung dekat Pasar Baru" turned a broken bridge back into a damaged road)."""
    store_location(turn, None, None, bare_place(turn.text) or turn.text.strip())
    turn.record("complaint_step", "place_early")
    return [Reply(complaint_texts.place_kept(str(data(turn).get("address"))))]


# Not knowing the category: "gak tau", "ga tau jenisnya", "entahlah", "don't know".
_DONT_KNOW = re.compile(r"^\W*(?:(?:ga|gak|nggak|ngga|tidak|tdk|indak|ndak)\s*(?:tau|tahu|tw|tau\s+jenisnya)|gatau|gtw|"
                        r"entah\w*|ndak\s+tau|dunno|(?:i\s+)?don'?t\s+know|not\s+sure)\b[\w\s]{0,20}\W*$",
                        re.IGNORECASE)


# Asking whether another office is the one: "bukannya satpol pp yg nertibin?", "apa bukan ke DLH?".
_INSTEAD_ASKED = re.compile(r"^\W*(?:(?:eh|lho|loh|tapi|tp|pak|bu|min|kak)\W+)*"
                            r"(?:bukannya|bkannya|bukankah|bukan\s+kah|apa\s+bukan|apa\s+(?:ga|gak|nggak|tidak)|"
                            r"isn'?t\s+it|shouldn'?t\s+it|bukan\b(?=[^?]*\?\s*$))", re.I)
# Words of whose job it is: a question naming an office with one of these asks who handles the complaint ("dinas
# lingkungan hidup kan yg ngurus?"); without, it is another question ("kantor dukcapil buka sabtu gak?").
_HANDLES = re.compile(r"\b(?:ngurus|ngurusin|mengurus|urus|menangani|nangani|nanganin|tangani|urusan|tugas|wewenang|"
                      r"tanggung\s+jawab|bertanggung|nertibin|menertibkan|handles?|responsible)\b", re.I)


def asked_instead(turn: Turn) -> list[Reply] | None:
    """Answer a question naming another office than the one proposed ("bukannya satpol pp yg nertibin?") by
    asking which it should be; it had silently moved the complaint. None when the message asks no such thing."""
    if not (_INSTEAD_ASKED.match(turn.text) or ("?" in turn.text and _HANDLES.search(turn.text))):
        return None
    named, proposed = named_opd(turn.text, turn.kb), turn.kb.opd(data(turn).get("opd"))
    if proposed is None:
        return None
    if named is None and (body := named_body(turn.matcher.normalizer, turn.text)) is not None:
        # "bukan PLN ya yg ngurus?" of a street light (it had been read as a no, and the complaint nearly lost)
        return [Reply(complaint_texts.office_asked_outside(proposed.label, body))] + ask_route(turn)
    if named is None or named.slug == proposed.slug:
        return None
    return [Reply(complaint_texts.office_asked(proposed.label, named.label),
                  options=(Option(f"Ke {named.short_name or named.name}", f"opd:{named.slug}"),
                           Option(f"Tetap ke {proposed.short_name or proposed.name}", "route:ok")))]


def _other_offices(turn: Turn) -> list[Reply]:
    """Ask which office instead of the one proposed (not offered again; "Lainnya" still lists every one)."""
    lapor = data(turn)
    lapor["candidates"] = [slug for slug in lapor.get("candidates", []) if slug != lapor.get("opd")]
    go(turn, "pick_opd")
    return ask_opd(turn)


def add_detail(turn: Turn, detail: str | None = None) -> Reply:
    """Add what the resident typed (or the `detail` of it) to the story ("tambahkan: kemarin anak tetangga digigit"),
    and say so."""
    lapor = data(turn)
    lapor["description"] = clean_text(f"{lapor['description']}\n{detail_of(detail or turn.text)}", MAX_DESCRIPTION)[0]
    turn.record("complaint_step", "detail_added")
    return Reply(complaint_texts.DETAIL_TAKEN)


async def story_grows(turn: Turn, more: str) -> list[Reply]:
    """Add what the resident said to the story and route it again."""
    turn.record("complaint_step", "detail_added")
    return [Reply(complaint_texts.DETAIL_TAKEN)] + await describe(turn, f"{data(turn).get('description', '')}\n{more}")


# Questioning the office proposed: "lho kok perhubungan? ini soal bansos PKH saya", "kok dinas perdagangan? ini
# selokan".
_QUESTIONED = re.compile(r"^\W*(?:(?:lho|loh|lah|eh|lo)\s+)?kok\b[^?!.]{0,40}[?!.]+\s*(?P<rest>.*)$",
                         re.IGNORECASE | re.S)


# Sending the complaint to another office, said in a longer message: "eh kayaknya ini lebih ke sampah ya, ke DLH aja
# deh", "harusnya ke dinas sosial".
_TO_OFFICE = re.compile(r"\b(?:ke|sama|ka)\s+\w+(?:\s+\w+){0,3}\s+(?:aja|saja|sj|aj|ajo|sajo)\b|"
                        r"\b(?:harusnya|seharusnya|mestinya|sebaiknya)\s+(?:ke|ka)\b|\b(?:send|forward)\s+it\s+to\b",
                        re.IGNORECASE)


def typed_beside(turn: Turn) -> list[Reply] | None:
    """Read what a resident types at the route question or the summary instead of answering it: another OPD named
    in a few words ("ke PDAM aja deh"), or a cancel with a reason ("ga jd deh, tkt ktahuan"); else None."""
    few = len(turn.text.split()) <= _NAMING_WORDS
    named = named_opd(turn.text, turn.kb) if few else office_instead(turn)
    if named is not None:
        return to_office(turn, named)
    if says_cancel(turn.text):
        return cancelled(turn)
    return None


def office_instead(turn: Turn) -> Opd | None:
    """Return the office a message says the complaint goes to instead ("eh kayaknya ini lebih ke sampah ya, ke DLH
    aja deh", "eh ga jadi, ke dishub aja deh": not a cancel), else None."""
    return named_opd(turn.text, turn.kb) if _TO_OFFICE.search(turn.text) else None


def to_office(turn: Turn, opd: Opd) -> list[Reply]:
    """Send the complaint to the office the resident named, then go on to its next unanswered step."""
    lapor = data(turn)
    lapor["opd"], lapor["category"] = opd.slug, None  # named again after a "bukan": its category is asked
    turn.record("complaint_step", "opd", opd=opd.slug)
    return after_opd(turn)


_NAMING_WORDS = 5  # "ke PDAM aja deh": a longer message naming an office tells more of the story
_CHOOSING_WORDS = 12  # asked which office, a message naming one chooses it (the seventeenth QA pass: 6 were refused)


def _typed_opd(turn: Turn) -> Opd | None:
    """Return the OPD a resident typed by its short name or slug ("dlh", "Dinas Sosial")."""
    word = words(turn.text)
    for opd in turn.kb.opds:
        if word and word in (opd.slug, (opd.short_name or "").lower(), opd.name.lower()):
            return opd
    return None


async def pick_opd(turn: Turn) -> list[Reply]:
    if turn.choice == "opd:*":
        turn.state["step"] = "pick_opd_all"
        return ask_opd_all(turn)
    opd = turn.kb.opd(turn.choice[4:]) if turn.choice and turn.choice.startswith("opd:") else _typed_opd(turn)
    if opd is None and turn.choice is None and len(turn.text.split()) <= _CHOOSING_WORDS:
        opd = named_opd(turn.text, turn.kb)  # "damkar aja", "ke dinsos", "BPBD lah pak ini bencana banjir"
    if opd is None:
        if turn.choice is None and small_talk(turn.text) in ("thanks", "bye"):
            # "oh ok makasih" after the police note: the resident has what they needed; no complaint is made.
            # A bare "ya" or "hmm" answers no step: the choice is asked again.
            clear(turn.state)
            turn.record("complaint_step", "left")
            return [Reply(complaint_texts.NOT_FILED, options=texts.MENU)]
        if turn.choice is None and is_question(turn.text):  # "berapa nomor polisi": answered, then the step again
            return await aside(turn)
        ask = ask_opd_all if turn.state.get("step") == "pick_opd_all" else ask_opd
        return [Reply(complaint_texts.PICK_ONE)] + ask(turn)
    lapor = data(turn)
    if opd.slug != lapor.get("opd"):  # the office proposed chosen again from the list keeps its category
        lapor["opd"], lapor["category"] = opd.slug, None
    turn.record("complaint_step", "opd", opd=opd.slug)
    return after_opd(turn)


async def pick_category(turn: Turn) -> list[Reply]:
    """Take the category chosen; what is typed instead is used as meant: "gak tau" is "Lainnya", a question is
    answered, a place is kept as the complaint's place and a detail added to the story (they had been dropped with
    "Silakan pilih salah satu"), and the category asked again."""
    lapor = data(turn)
    if not (turn.choice and turn.choice.startswith("cat:")):
        if says_skip(turn.text) or (turn.choice is None and _DONT_KNOW.match(turn.text)):
            turn.choice = "cat:-"
        elif turn.choice is None and asks(turn):
            return await aside(turn)
        elif turn.choice is None and not lapor.get("address") and only_a_place(turn, turn.text):
            return _place_early(turn) + ask_category(turn)
        elif turn.choice is None and adds_detail(turn.text):  # "di los ikan blok b lantai 1, tiap pagi"
            return [add_detail(turn)] + ask_category(turn)
        else:
            return [Reply(complaint_texts.PICK_ONE)] + ask_category(turn)
    category = turn.kb.category(turn.choice[4:])
    lapor["category"] = category.code if category and category.opd == lapor.get("opd") else None
    return after_category(turn)
