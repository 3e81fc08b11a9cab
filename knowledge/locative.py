"""Tell where a complaint happens from what it is about: "taman ... di dekat kantor lurah".

A complaint names its place with landmarks and addresses ("di kelurahan kami", "depan SMP 7",
"di Jl. Perintis Kemerdekaan"). Those words say where, not what: read as topic words they pull a
broken-park complaint to the kelurahan office and a puskesmas complaint to the kecamatan. This
module cuts a text into the part that describes the problem and the place phrases, so the router
can weigh the place phrases less. A place phrase is:

- a proximity word ("dekat", "depan", "sebelah", "near", "behind") and the landmark after it: one
  word, then any names, numbers, possessive pronouns or office titles ("kantor lurah", "SMP 7");
- "di"/"in"/"at" and an address word (kelurahan, RT, gang, kompleks, jl.) with the names after it;
- "di" and a capitalised place name ("di Gandus"; not an acronym such as TPU or MPP).
"""

from __future__ import annotations

import re

PROXIMITY = frozenset({
    "dekat", "dkt", "dket", "dekt", "dakek", "depan", "dpn", "didepan", "didekat", "belakang", "blkg", "blakang",
    "samping", "sebelah", "sblh", "seberang", "sebrang", "sekitar", "skitar", "ujung", "near", "nearby", "behind",
    "beside", "opposite", "outside"})
AT = frozenset({"di", "d", "dlm", "in", "at", "on", "ke"})
ADDRESS = frozenset({
    "kelurahan", "kel", "kecamatan", "kec", "rt", "rw", "gang", "gg", "lorong", "lr", "komplek", "kompleks", "komp",
    "perumahan", "perum", "kampung", "kampuang", "jorong", "nagari", "blok", "jl", "jln", "street", "neighbourhood",
    "neighborhood", "village"})
STREET = frozenset({"jl", "jln", "gang", "gg", "lorong", "lr", "street"})
# Words that continue a place name after its head: possessives, numbers' labels, office titles.
CONTINUES = frozenset({
    "kami", "kita", "saya", "sy", "kmi", "aku", "ambo", "awak", "our", "my", "no", "nomor", "lurah", "camat",
    "walikota", "wali", "kota", "rt", "rw"})
DETERMINERS = frozenset({"the", "a", "an", "our", "my", "his", "her", "their", "your"})
MAX_NAME = 4  # words a place name may run to after its head

_TOKEN = re.compile(r"[\w'’.-]+|[^\w\s]")


def _is_name(token: str) -> bool:
    return token[:1].isupper() or token[:1].isdigit() or token.lower().rstrip(".") in CONTINUES


def split_place_phrases(text: str) -> tuple[str, str]:
    """Return (the text without its place phrases, the place phrases), each joined by spaces."""
    tokens = _TOKEN.findall(text)
    rest: list[str] = []
    places: list[str] = []
    i = 0
    while i < len(tokens):
        end = _place_end(tokens, i)
        if end > i:
            places.append(" ".join(tokens[i:end]))
            rest.append(",")  # keep the sentence apart where the phrase was
            i = end
        else:
            rest.append(tokens[i])
            i += 1
    return " ".join(rest), " ".join(places)


def _place_end(tokens: list[str], i: int) -> int:
    """Return the end of the place phrase starting at tokens[i], or i when none starts there."""
    word = tokens[i].lower().rstrip(".")
    head = i + 1
    if word in AT and head < len(tokens) and tokens[head].lower() in PROXIMITY:
        word, head = tokens[head].lower(), head + 1
    if head >= len(tokens) or not tokens[head][:1].isalnum():
        return i
    head_word = tokens[head].lower().rstrip(".")
    if word in PROXIMITY:
        while head + 1 < len(tokens) and tokens[head].lower() in DETERMINERS:
            head += 1
        end = head + 1  # the landmark, whatever it is
    elif word in AT and head_word in ADDRESS:
        end = head + 1
        if head_word in STREET and end < len(tokens) and tokens[end][:1].isalpha():
            end += 1  # a street's name, even typed in lower case ("di jl. perintis")
    elif word in AT and word != "ke" and tokens[head][:1].isupper() and not tokens[head].isupper():
        end = head  # "di Gandus": the name itself (not an acronym: "di TPU Kandang Kawat" is the subject)
    else:
        return i
    limit = end + MAX_NAME
    while end < len(tokens) and end < limit and tokens[end][:1].isalnum() and _is_name(tokens[end]):
        end += 1
    return end
