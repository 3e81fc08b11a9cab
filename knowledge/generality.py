"""How common a word is in general Indonesian or English (wordfreq zipf), for term weighting.

A word that residents use in any story ("kemarin", "tetangga", "rumah") tells little about which
FAQ is meant, while a rare word ("sppt", "faskes", "indihome") is topical: if the knowledge base
does not have it, the question is probably about something the city's FAQs do not cover.
`Generality.zipf(word)` is the higher of the word's Indonesian and English zipf frequencies
(0 = unseen, 3 = rare, 5+ = everyday). The wordfreq lists are loaded lazily on first use and kept
in the instance; without the wordfreq package every word counts as rare (the old behaviour).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

from knowledge.spelling import drops_only_vowels, skeleton

log = logging.getLogger(__name__)

LANGUAGES = ("id", "en")
WORDLIST = "small"  # the small lists hold every word above zipf ~3: all we weigh, and quick to load
# Chat words written without their vowels ("bkti", "lgsg", "mngku"): from this length, with at most this
# share of vowels, read as the commonest Indonesian word they are the consonants of, when it is at least
# VOWELLESS_MARGIN zipf (about 3 times) commoner than the next ("tnggl" is tinggal or tanggal: neither).
VOWELLESS_MIN_LEN = 5
VOWELLESS_MAX_VOWELS = 0.25
VOWELLESS_MARGIN = 0.5


@dataclass
class Generality:
    """Look up general-language word frequencies (zipf scale), loading the lists on first use."""

    languages: tuple[str, ...] = LANGUAGES
    _zipf: dict[str, float] | None = field(default=None, repr=False)
    # consonant skeleton -> the Indonesian words (zipf, word) with it, commonest first
    _skeletons: dict[str, list[tuple[float, str]]] | None = field(default=None, repr=False)

    def zipf(self, word: str) -> float:
        """Return the word's zipf frequency in the commonest of the languages (0 when unseen)."""
        if self._zipf is None:
            self._zipf = self._load()
        return self._zipf.get(word, 0.0)

    def vowelless(self, word: str) -> str | None:
        """Return the Indonesian word a vowel-dropped chat word clearly stands for ("bkti" -> "bukti"), else None.

        Only for words of VOWELLESS_MIN_LEN letters or more: shorter ones are as often acronyms ("tps").
        """
        consonants = skeleton(word)
        vowels = len(word) - len(consonants)
        if len(word) < VOWELLESS_MIN_LEN or not word.isalpha() or vowels > VOWELLESS_MAX_VOWELS * len(word):
            return None
        if self._skeletons is None:
            self._skeletons = self._load_skeletons()
        fits = [(z, w) for z, w in self._skeletons.get(consonants, ())
                if w[0] == word[0] and len(w) > len(word) and drops_only_vowels(w, word)]
        if not fits or (len(fits) > 1 and fits[0][0] - fits[1][0] < VOWELLESS_MARGIN):
            return None
        return fits[0][1]

    def _load_skeletons(self) -> dict[str, list[tuple[float, str]]]:
        try:
            from wordfreq import get_frequency_dict
        except ImportError:
            return {}
        table: dict[str, list[tuple[float, str]]] = {}
        for word, freq in get_frequency_dict("id", wordlist=WORDLIST).items():
            if freq > 0 and word.isalpha():
                table.setdefault(skeleton(word), []).append((math.log10(freq) + 9, word))
        for fits in table.values():
            fits.sort(reverse=True)
        return table

    def _load(self) -> dict[str, float]:
        try:
            from wordfreq import get_frequency_dict
        except ImportError:
            log.warning("generality: wordfreq is not installed; every word counts as rare")
            return {}
        table: dict[str, float] = {}
        for lang in self.languages:
            for word, freq in get_frequency_dict(lang, wordlist=WORDLIST).items():
                if freq > 0 and " " not in word:
                    z = math.log10(freq) + 9
                    if z > table.get(word, 0.0):
                        table[word] = z
        return table
