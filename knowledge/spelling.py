"""Spelling repair of query words against a lexical index's vocabulary.

A query word the index does not know is corrected to the closest written index word (rapidfuzz)
when it is close enough: a typo-tolerant match that costs nothing for known words.
A short chat abbreviation ("dpn", "kna") stands for the one index word it is with vowels left out.
`knowledge.index.LexicalIndex` builds one `Speller` from the words of its entries and owns it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rapidfuzz import fuzz, process

# Typo correction: only words of at least this length, and only this similar (rapidfuzz ratio).
CORRECT_MIN_LEN = 4
CORRECT_CUTOFF = 80.0
CORRECT_CACHE_SIZE = 50_000
# Chat abbreviations drop vowels ("dpn" = depan, "kna" = kena, "smua" = semua): a short unknown word
# that is an index word with only vowels left out (same first letter) stands for it, when exactly
# one index word fits. Checked from this length, at this similarity.
ABBREV_MIN_LEN = 3
ABBREV_SIMILARITY = 0.8
# A word this common in general Indonesian or English (wordfreq zipf) is spelt as meant, not a typo:
# "kemarin" is not a misspelt "kematian". Chat spellings ("ilang", "taun", "skrg") stay below it.
WORD_ZIPF = 4.0
_VOWELS = frozenset("aeiou")


class Speller:
    """Map a misspelt or vowel-dropped word to the index token it most likely stands for."""

    def __init__(self, surface: Mapping[str, str], light: Callable[[str], bool],
                 is_function_word: Callable[[str], bool], zipf: Callable[[str], float]):
        """Keep the written index words (surface word -> index token) worth correcting towards.

        `light` tells a token that carries little meaning (never a correction target);
        `is_function_word` a query token that is never corrected; `zipf` a word's general-language
        frequency (a common word is never corrected).
        """
        self._is_function_word = is_function_word
        self._zipf = zipf
        self._corrections: dict[str, tuple[str | None, float]] = {}
        self._surface = {w: s for w, s in surface.items() if len(w) >= CORRECT_MIN_LEN and not light(s)}
        self._surface_words = list(self._surface)
        self._skeletons: dict[str, set[str]] = {}  # consonants of an index word -> its surface forms
        for w in self._surface:
            self._skeletons.setdefault(skeleton(w), set()).add(w)

    def correct(self, word: str, token: str) -> tuple[str | None, float]:
        """Return the index token a misspelt word most likely stands for, with its similarity."""
        if len(word) < ABBREV_MIN_LEN or not word.isalpha() or self._is_function_word(token):
            return None, 0.0
        cached = self._corrections.get(word)
        if cached is None:
            # (a common root in an affixed form, "dicek", is meant too: it is not a misspelt "dicetak")
            meant = self._zipf(word) >= WORD_ZIPF or (token != word and self._zipf(token) >= WORD_ZIPF)
            cached = (None, 0.0) if meant else self._closest(word)
            if len(self._corrections) < CORRECT_CACHE_SIZE:
                self._corrections[word] = cached
        return cached

    def _closest(self, word: str) -> tuple[str | None, float]:
        """Return the index token closest in spelling, else the one a vowel-dropped abbreviation stands for."""
        best = None
        if len(word) >= CORRECT_MIN_LEN:
            best = process.extractOne(word, self._surface_words, scorer=fuzz.ratio, score_cutoff=CORRECT_CUTOFF)
        return (self._surface[best[0]], best[1] / 100) if best else self._expand(word)

    def _expand(self, word: str) -> tuple[str | None, float]:
        """Return the index token a vowel-dropped abbreviation stands for, if exactly one fits."""
        consonants = skeleton(word)
        if len(consonants) < 2:
            return None, 0.0
        fits = {self._surface[w] for w in self._skeletons.get(consonants, ())
                if len(w) > len(word) and w[0] == word[0] and drops_only_vowels(w, word)}
        return (fits.pop(), ABBREV_SIMILARITY) if len(fits) == 1 else (None, 0.0)


def skeleton(word: str) -> str:
    """Return a word's consonants in order ("depan" -> "dpn")."""
    return "".join(c for c in word if c not in _VOWELS)


def drops_only_vowels(full: str, short: str) -> bool:
    """Tell whether `short` is `full` with only some vowels left out ("smua" of "semua")."""
    i = 0
    for c in full:
        if i < len(short) and c == short[i]:
            i += 1
        elif c not in _VOWELS:
            return False
    return i == len(short)
