"""Which OPDs a complaint's words belong to: the router's second opinion.

The router's main evidence compares a complaint with each category's and each OPD's phrasing as a
whole, and a long complaint shares some everyday words with almost anything ("datang", "pakai",
"lambat"). This asks a narrower question: of the complaint's words that only some OPDs use
anywhere in their categories, FAQ questions, keywords or description, how much belongs to each
OPD? A word that every OPD uses says nothing; "posyandu", "ambulans" or "halte", used by one,
says a lot. Like the main evidence it is a share in [0, 1], so its weight transfers between KBs.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from knowledge.indextypes import Term
from knowledge.kb import Opd
from knowledge.normalize import Normalizer


class OpdWords:
    """The content words of each OPD and how specific each word is to the OPDs that use it."""

    def __init__(self, opds: Sequence[Opd], normalizer: Normalizer) -> None:
        self._slugs = [o.slug for o in opds]
        self._words = [frozenset(t for text in self._texts(o) for t in normalizer.tokens(text)) for o in opds]
        used_by = Counter(word for words in self._words for word in words)
        n = len(opds)
        # log(n / df) / log(n): 1.0 for a word one OPD uses, 0.0 for a word all of them use.
        self._specificity = ({word: math.log(n / df) / math.log(n) for word, df in used_by.items()}
                             if n > 1 else {})

    @staticmethod
    def _texts(opd: Opd) -> list[str]:
        """What an OPD says it handles (not its answers: they name other offices in passing)."""
        texts = [opd.name, opd.short_name or "", opd.description or ""]
        for c in opd.categories:
            texts += [c.name, *c.keywords, *c.examples]
        for f in opd.faqs:
            texts += [f.question, *f.alternatives, *f.keywords]
        return texts

    def shares(self, terms: Sequence[Term]) -> dict[str, float]:
        """Return, per OPD slug, the share of the terms' specific weight its words cover."""
        weighed = []
        for term in terms:
            word = term.token if term.token in self._specificity else term.match
            if word in self._specificity:
                weighed.append((word, term.weight * self._specificity[word]))
        total = sum(weight for _, weight in weighed)
        if total <= 0:
            return {}
        return {slug: sum(weight for word, weight in weighed if word in words) / total
                for slug, words in zip(self._slugs, self._words)}
