"""Reading the lexicon files a normaliser is built from (knowledge/data/lexicon/ by default).

`read_lexicons(folder)` reads slang.tsv, minang.tsv and english.tsv (phrase tables, earlier ones
win), concepts.tsv (applied after them), the Indonesian word list, the Minangkabau dictionary and
its exceptions, the Indonesian and English function words, the bodies that are not the city's
(outside_bodies.txt), the other regencies and cities (regions.txt), the affix rules and the synonym
classes, and returns them as the keyword arguments of `knowledge.normalize.Normalizer`. Reading only:
what the words mean is the normaliser's business.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from knowledge.synonyms import read_classes

LEXICON_DIR = Path(__file__).parent / "data" / "lexicon"
MAX_PHRASE = 3  # longest lexicon source phrase, in words


def read_lexicons(folder: str | Path) -> dict[str, Any]:
    """Read the lexicon files in a folder into the keyword arguments of a `Normalizer`."""
    folder = Path(folder)
    phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
    for name in ("slang.tsv", "minang.tsv", "english.tsv"):  # earlier tables win
        for key, value in _read_table(folder / name).items():
            phrases.setdefault(key, value)
    english = {k[0]: v for k, v in _read_table(folder / "english.tsv").items() if len(k) == 1}
    indonesian = _read_words(folder / "indonesian-wordlist.lst")
    rules: dict[str, list[tuple[str, str]]] = {"prefix": [], "suffix": []}
    for raw in (folder / "affix_rules.tsv").read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            kind, source, target = (raw.split("\t") + ["", ""])[:3]
            rules.setdefault(kind.strip(), []).append((source.strip(), target.strip()))
    return dict(
        phrases=phrases,
        concepts=_read_table(folder / "concepts.tsv") if (folder / "concepts.tsv").exists() else {},
        prefix_rules=tuple(rules["prefix"]),
        suffix_rules=tuple(rules["suffix"]),
        minang_dict=_read_minang_dict(folder / "kamus_minang_id.dic"),
        minang_exceptions=_read_words(folder / "minang_exceptions.txt"),
        indonesian=indonesian,
        function_words=_read_words(folder / "function_words.txt"),
        english_function_words=frozenset(_read_words(folder / "english_function_words.txt"))
        if (folder / "english_function_words.txt").exists() else frozenset(),
        outside_bodies=_read_names(folder / "outside_bodies.txt"),
        regions=_read_names(folder / "regions.txt"),
        english_alt={w: v for w, v in english.items() if phrases[(w,)] != v},
        english_words=frozenset(w for w, v in english.items() if v and phrases[(w,)] == v
                                and w not in indonesian and len(w) > 2),
        english_bases=frozenset(w for w, v in english.items() if v and phrases[(w,)] == v and len(w) > 2),
        synonyms=read_classes(folder / "synonyms.tsv"),
    )


def _read_table(path: Path) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Read a `source<TAB>target` lexicon; the first entry for a source wins."""
    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        source, _, target = raw.partition("\t")
        key = _lexicon_words(source)
        if key and len(key) <= MAX_PHRASE:
            table.setdefault(key, _lexicon_words(target))
    return table


def _lexicon_words(text: str) -> tuple[str, ...]:
    """Split a lexicon source or target the way the normaliser splits text (no apostrophes, hyphens
    split), so "ugal-ugalan" meets the KB's "ugal ugalan" and "don't" the query's "dont"."""
    return tuple(w for w in re.split(r"[\s\-]+", text.lower().replace("'", "").replace("\u2019", "")) if w)


def _read_words(path: Path) -> set[str]:
    """Read a word list: one word a line, lower-cased, comments skipped."""
    return {w.strip().lower() for w in path.read_text(encoding="utf-8", errors="replace").splitlines()
            if w.strip() and not w.lstrip().startswith("#")}


def _read_names(path: Path) -> dict[str, str]:
    """Read a `word<TAB>name` list (a word without a name is named by itself; no file: none)."""
    names: dict[str, str] = {}
    if not path.exists():
        return names
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if raw.strip() and not raw.lstrip().startswith("#"):
            word, _, name = raw.partition("\t")
            names.setdefault(word.strip().lower(), name.strip() or word.strip())
    return names


def _read_minang_dict(path: Path) -> dict[str, tuple[str, ...]]:
    """Read kamus_minang_id.dic (`minang, indonesian` per line), keeping pairs that differ."""
    out: dict[str, tuple[str, ...]] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        minang, sep, indo = raw.partition(",")
        minang, indo = minang.strip().lower(), indo.strip().lower()
        if sep and minang and indo and minang != indo and " " not in minang:
            out.setdefault(minang, tuple(indo.split()))
    return out
