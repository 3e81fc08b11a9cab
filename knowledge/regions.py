"""Questions about another city's or regency's services: "jadwal SPMB di Kota Pariaman".

A knowledge base answers for one city. A question that names another regency or city
(knowledge/data/lexicon/regions.txt) as the place of the service, and never names the KB's own city,
is about that place's government, however well its other words match the KB's entry on the same
service. A name right after "dari", "ke", "asal", "pindah" (and English "from", "to") is where someone
comes from or moves to, a Padang matter ("pindah dari Bukittinggi"), and does not count.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

MAX_NAME_WORDS = 3
# Words before a place name that make it an origin or destination, not the place of the service.
MOVING = frozenset({"dari", "dr", "ke", "k", "asal", "pindah", "pindahan", "perantau", "from", "to", "menuju",
                    "mudik", "pulang", "kampung"})
MOVING_REACH = 2  # words looked back for one of MOVING
_WORD = re.compile(r"[^\W_]+")
_GOVERNMENT = re.compile(r"^(pemerintah\s+)?(kota|kabupaten|kab\.?)\s+", re.IGNORECASE)


def own_place(city_name: str) -> tuple[str, ...]:
    """Return the words of the KB's own place ("Kota Padang" -> ("padang",))."""
    return tuple(_WORD.findall(_GOVERNMENT.sub("", city_name.strip()).lower()))


def first_words(regions: Mapping[str, str]) -> frozenset[str]:
    """Return the words region names begin with (for named_region's quick exit)."""
    return frozenset(name.split(" ", 1)[0] for name in regions)


def place_at(words: list[str], i: int, regions: Mapping[str, str], own: tuple[str, ...]) -> tuple[int, bool]:
    """Return (how many words, whether it is the KB's own city) of the place named at word i, or (0, False).

    The longest region name wins ("padang pariaman" over "padang"); the own city is never another region.
    """
    for n in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
        if " ".join(words[i:i + n]) in regions and tuple(words[i:i + n]) != own:
            return n, False
    if own and tuple(words[i:i + len(own)]) == own:
        return len(own), True
    return 0, False


def named_region(text: str, regions: Mapping[str, str], own: tuple[str, ...],
                 starts: frozenset[str] | None = None) -> tuple[str, str] | None:
    """Return (name, who handles it) of the first other region the text names as the service's place.

    None when it names none, or names the KB's own city anywhere outside a longer region name
    ("padang pariaman" is not "padang"). `starts` (from first_words) lets most questions, which name no
    region, skip the search: it runs on every answered question.
    """
    words = _WORD.findall(text.lower())
    if starts is not None and starts.isdisjoint(words):
        return None
    found: list[tuple[int, str]] = []
    i = 0
    while i < len(words):
        size, home = place_at(words, i, regions, own)
        if home:
            return None
        if size:
            found.append((i, " ".join(words[i:i + size])))
        i += size or 1
    for start, name in found:
        if not MOVING.intersection(words[max(0, start - MOVING_REACH):start]):
            return name, regions[name]
    return None
