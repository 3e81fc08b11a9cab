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

log = logging.getLogger(__name__)

LANGUAGES = ("id", "en")
WORDLIST = "small"  # the small lists hold every word above zipf ~3: all we weigh, and quick to load


@dataclass
class Generality:
    """Look up general-language word frequencies (zipf scale), loading the lists on first use."""

    languages: tuple[str, ...] = LANGUAGES
    _zipf: dict[str, float] | None = field(default=None, repr=False)

    def zipf(self, word: str) -> float:
        """Return the word's zipf frequency in the commonest of the languages (0 when unseen)."""
        if self._zipf is None:
            self._zipf = self._load()
        return self._zipf.get(word, 0.0)

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
