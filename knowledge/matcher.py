"""Match a resident's question to the knowledge base's FAQs: answer, suggest, or abstain.

A wrong confident answer about a government procedure is worse than none, so the matcher
answers only when the best entry explains most of the question AND clearly beats the
runner-up; otherwise it offers "did you mean" choices, or abstains. The decision uses the
fixed-scale evidence score of `knowledge.index` (not raw BM25), so the thresholds below
transfer to another city's knowledge base. Build a matcher per KB version; it is fast
(170 entries in a few ms, 50,000 in seconds) so the bot can rebuild it after FAQ edits.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from knowledge.index import Doc, Evidence, LexicalIndex
from knowledge.kb import Faq, KnowledgeBase
from knowledge.normalize import Normalizer

log = logging.getLogger(__name__)

# Thresholds on the [0, 1] evidence score, set on the development set only (bench/evaluate.py).
# Answer when the entry covers enough of the question AND either matches very well or matches
# well and clearly beats the best other entry; a wrong confident answer is worse than none.
ANSWER_COVERAGE = 0.30  # share of the question's (IDF-weighted) words the entry must cover
ANSWER_SCORE = 0.50  # a very good match ...
ANSWER_MARGIN = 0.06  # ... still a little ahead of the runner-up
CLEAR_SCORE = 0.40  # a good match ...
CLEAR_MARGIN = 0.15  # ... far ahead of the runner-up
SUGGEST_SCORE = 0.30  # below this nothing is worth suggesting: abstain
OPD_SCORE = 0.30  # when abstaining, name the likely OPD only from this score up
CANDIDATES = 30  # BM25 candidates re-scored with the evidence score
# Optional semantic re-ranking (off by default): the score becomes a blend of the lexical
# evidence and the rescaled embedding similarity, and the thresholds below replace the ones above.
SEMANTIC_BLEND = 0.2  # share of the semantic similarity in the blended score
SEMANTIC_CANDIDATES = 10  # entries the embeddings alone bring into the candidate set
SEMANTIC_THRESHOLDS = (0.30, 0.55, 0.0, 0.35, 0.15)  # coverage, answer score/margin, clear score/margin
MAX_CANDIDATES = 4
MAX_SUGGESTIONS = 3

Decision = Literal["answer", "suggest", "abstain"]


@dataclass(frozen=True)
class Candidate:
    faq: Faq
    score: float  # in [0, 1]


@dataclass(frozen=True)
class Match:
    decision: Decision
    candidates: tuple[Candidate, ...]  # best first, at most 4
    opd: str | None  # likely OPD slug even when abstaining (to give its contact), or None

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def faq(self) -> Faq | None:
        """The FAQ to answer with, only when the decision is "answer"."""
        return self.candidates[0].faq if self.decision == "answer" and self.candidates else None

    @property
    def score(self) -> float:
        return self.candidates[0].score if self.candidates else 0.0

    @property
    def suggestions(self) -> tuple[Faq, ...]:
        """Up to 3 FAQs to offer: the runners-up when answering, else the top ones."""
        if self.decision == "answer":
            return tuple(c.faq for c in self.candidates[1:1 + MAX_SUGGESTIONS])
        if self.decision == "suggest":
            return tuple(c.faq for c in self.candidates[:MAX_SUGGESTIONS])
        return ()


def faq_doc(faq: Faq) -> Doc:
    """Return the texts of a FAQ as an index document."""
    return Doc(phrases=(faq.question, *faq.alternatives), keywords=faq.keywords, weak=(faq.answer,))


class FaqMatcher:
    """Rank a knowledge base's FAQs for a question and decide whether to answer."""

    def __init__(self, kb: KnowledgeBase, normalizer: Normalizer | None = None, *, semantic: bool = False):
        self.kb = kb
        self.normalizer = normalizer or Normalizer.default()
        self._faqs = kb.faqs
        self.index = LexicalIndex([faq_doc(f) for f in self._faqs], self.normalizer)
        self._semantic = None
        self._thresholds = (ANSWER_COVERAGE, ANSWER_SCORE, ANSWER_MARGIN, CLEAR_SCORE, CLEAR_MARGIN)
        if semantic:
            from knowledge.semantic import SemanticScorer

            self._semantic = SemanticScorer([(f.question, *f.alternatives) for f in self._faqs])
            self._thresholds = SEMANTIC_THRESHOLDS

    def scored(self, text: str) -> list[tuple[Faq, Evidence]]:
        """Return candidate FAQs with their evidence, best first (for evaluation and debugging)."""
        terms = self.index.query(text)
        if not LexicalIndex.has_content(terms, self.normalizer):
            return []
        ids = self.index.search(terms, CANDIDATES)
        if self._semantic is None:
            found = [(self._faqs[i], ev) for i, ev in zip(ids, self.index.evidence_many(terms, ids))]
        else:
            sims = self._semantic.similarities(text)
            ids = list(dict.fromkeys(ids + [int(i) for i in np.argsort(-sims)[:SEMANTIC_CANDIDATES]]))
            found = []
            for i, ev in zip(ids, self.index.evidence_many(terms, ids)):
                blended = (1 - SEMANTIC_BLEND) * ev.score + SEMANTIC_BLEND * float(sims[i])
                found.append((self._faqs[i], replace(ev, score=blended)))
        found.sort(key=lambda fe: -fe[1].score)
        return found

    def match(self, text: str) -> Match:
        """Match one question; never raises on odd input."""
        found = self.scored(text)
        if not found:
            return Match("abstain", (), None)
        candidates = tuple(Candidate(f, round(e.score, 6)) for f, e in found[:MAX_CANDIDATES])
        best_faq, best = found[0]
        runner_up = found[1][1].score if len(found) > 1 else 0.0
        margin = best.score - runner_up
        coverage, answer_score, answer_margin, clear_score, clear_margin = self._thresholds
        if best.coverage >= coverage and (
                (best.score >= answer_score and margin >= answer_margin)
                or (best.score >= clear_score and margin >= clear_margin)):
            return Match("answer", candidates, best_faq.opd)
        decision: Decision = "suggest" if best.score >= SUGGEST_SCORE else "abstain"
        return Match(decision, candidates, self._likely_opd(found))

    @staticmethod
    def _likely_opd(found: list[tuple[Faq, Evidence]]) -> str | None:
        """Return the OPD whose entries lead the ranking, if the evidence is good enough."""
        by_opd: dict[str, float] = defaultdict(float)
        for faq, ev in found[:MAX_CANDIDATES]:
            by_opd[faq.opd] = max(by_opd[faq.opd], ev.score)
        opd, score = max(by_opd.items(), key=lambda kv: kv[1])
        return opd if score >= OPD_SCORE else None
