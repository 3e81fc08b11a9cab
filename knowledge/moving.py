"""Which way a resident moves house: into the knowledge base's city, or out of it.

"saya mau pindah ke padang dari jakarta" shares its rarest word with the moving-out entry's
"mau pindah ke jakarta, surat pindahnya gmn" and nothing with the moving-in entry, which says
"pindah datang ke Kota Padang". The names of the places are only where someone comes from and
goes to; what tells the entries apart is the direction, which the prepositions give: a move *to*
the city or *from* elsewhere is a move in, a move *to* elsewhere or *from* the city a move out.

`moving_direction` reads it, and `with_direction` rewrites such a question for matching: the
other places' names go, and the civil registry's own word for the direction is added ("datang" /
"keluar", as in *pindah datang*, *pindah keluar* and *ke luar kota*: the terms every Dukcapil's
FAQ uses). A question that is not about moving, or whose direction is unclear, is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from knowledge.regions import place_at

MOVE_WORDS = frozenset({"pindah", "pindahan", "pndh", "pindh", "move", "moving", "moved", "relocate",
                        "relocating", "relocated"})
TOWARDS = frozenset({"ke", "k", "kek", "ka", "to", "into", "menuju"})  # "ka": Minang "to"
FROM = frozenset({"dari", "dr", "from", "asal", "dri"})
# Places that are elsewhere whatever the city: "pindah ke luar kota", "from another city".
ELSEWHERE = ("luar kota", "luar daerah", "luar provinsi", "luar pulau", "luar negeri", "luar sumbar",
             "kota lain", "daerah lain", "provinsi lain", "kabupaten lain", "another city", "another town",
             "another province", "out of town", "abroad")
REACH = 2  # words looked back from a place for "to" or "from"
HINT = {"in": "datang masuk", "out": "keluar luar"}
_WORD = re.compile(r"[^\W_]+")
_MAYBE_MOVING = re.compile(r"pi?nd|mov|reloc")


def moving_direction(text: str, regions: Mapping[str, str], own: tuple[str, ...]) -> tuple[str, list[tuple[int, int]]] | None:
    """Return ("in" or "out", the character spans of the other places named) for a question about
    moving house whose direction the prepositions tell, else None."""
    low = text.lower()
    if not _MAYBE_MOVING.search(low):  # most questions: no regular-expression pass over every word
        return None
    matches = list(_WORD.finditer(low))
    words = [m.group() for m in matches]
    if MOVE_WORDS.isdisjoint(words):
        return None
    votes: set[str] = set()
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        size, home = _place_at(words, i, regions, own)
        if not size:
            i += 1
            continue
        named = " ".join(words[i:i + size]) not in ELSEWHERE  # "luar kota" stays: entries say it too
        before = set(words[max(0, i - REACH):i])
        if not home and named and tuple(words[i:i + size]) != own:
            spans.append((matches[i].start(), matches[i + size - 1].end()))
        if before & TOWARDS:
            votes.add("in" if home else "out")
        elif before & FROM:
            votes.add("out" if home else "in")
        i += size
    if len(votes) != 1:
        return None
    return votes.pop(), spans


def with_direction(text: str, regions: Mapping[str, str], own: tuple[str, ...]) -> str:
    """Return the question rewritten for matching (see the module doc), or the text itself."""
    found = moving_direction(text, regions, own)
    if found is None:
        return text
    direction, spans = found
    for start, end in reversed(spans):
        text = text[:start] + text[end:]
    return f"{text} {HINT[direction]}"


def _place_at(words: list[str], i: int, regions: Mapping[str, str], own: tuple[str, ...]) -> tuple[int, bool]:
    """Return (how many words, whether it is the KB's own city) of a place named at word i, or (0, False):
    a region (knowledge.regions) or a phrase for elsewhere ("luar kota")."""
    for n in (3, 2, 1):
        if len(words) - i >= n and " ".join(words[i:i + n]) in ELSEWHERE:
            return n, False
    size, home = place_at(words, i, regions, own)
    # "ke luar Padang" is elsewhere; the city's name stays in the text (it is in every entry anyway).
    return size, home and not (i > 0 and words[i - 1] == "luar")
