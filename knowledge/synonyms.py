"""Civic synonym classes: words residents and FAQ writers use for the same thing.

knowledge/data/lexicon/synonyms.tsv holds one class per line ("biaya", "ongkos", "tarif"), the
canonical member first. The normaliser reads every member, in any inflection, as the canonical word,
on both sides (questions and FAQ texts), so a question and an FAQ that name one thing differently
still meet. Members are compared by their Sastrawi stems ("ongkosnya", "berumur", "pengaduan").

A one-word member is mapped at the stem ("ongkos" -> biaya), so its written form stays in an index
for typo correction; a member or canonical of several words is mapped as words ("tanpa biaya" ->
gratis). When a member appears in two classes, the earlier class wins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

Class = tuple[tuple[str, ...], ...]  # members (each a tuple of words), the canonical one first


def read_classes(path: Path) -> tuple[Class, ...]:
    """Read synonyms.tsv: one class per line, members separated by tabs, the canonical one first."""
    if not path.exists():
        return ()
    classes = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.lstrip().startswith("#"):
            members = tuple(tuple(m.lower().split()) for m in raw.split("\t") if m.strip())
            if len(members) > 1:
                classes.append(members)
    return tuple(classes)


@dataclass
class SynonymMap:
    """The classes indexed by their members' stems."""

    by_stem: dict[str, str] = field(default_factory=dict)  # one-word member's stem -> canonical stem
    by_phrase: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)  # stems -> canonical words
    heads: dict[str, int] = field(default_factory=dict)  # first stem of a phrase member -> longest member

    @classmethod
    def build(cls, classes: Iterable[Class], stem: Callable[[str], str]) -> SynonymMap:
        """Index the classes with a stemmer (earlier classes win)."""
        out = cls()
        for canonical, *members in classes:
            target = tuple(stem(w) for w in canonical)
            for member in members:
                key = tuple(stem(w) for w in member)
                if key == target or key in out.by_phrase or (len(key) == 1 and key[0] in out.by_stem):
                    continue  # an inflection of the canonical word, or already in an earlier class
                if len(key) == 1 and len(target) == 1:
                    out.by_stem[key[0]] = target[0]
                else:
                    out.by_phrase[key] = canonical
                    out.heads[key[0]] = max(out.heads.get(key[0], 0), len(key))
        return out

    def map_phrases(self, words: list[str], stem: Callable[[str], str]) -> list[str]:
        """Replace phrase members ("tanpa biaya", matched by their stems) by their canonical words."""
        if not self.by_phrase:
            return words
        return replace_longest(words, [stem(w) for w in words], self.heads, self.by_phrase)


def replace_longest(words: list[str], keys: list[str], heads: dict[str, int],
                    table: dict[tuple[str, ...], tuple[str, ...]]) -> list[str]:
    """Replace phrases of `words` whose `keys` (the words or their stems) are in `table`, longest
    first, in one pass; `heads` gives the longest phrase starting with each key."""
    out: list[str] = []
    i, n_words = 0, len(words)
    while i < n_words:
        for n in range(min(heads.get(keys[i], 0), n_words - i), 0, -1):
            target = table.get(tuple(keys[i:i + n]))
            if target is not None:
                out.extend(target)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return out
