"""Route a resident's complaint to the OPD (and complaint category) that should handle it.

Two lexical indexes share one normaliser: one over the complaint categories (name, keywords,
examples), one over the OPDs themselves (name, description, FAQ questions and keywords) for
complaints no category describes. An OPD's score is its best category's score, or its own
score discounted a little, plus a little for the complaint's words that are specific to the OPD
(knowledge.opdwords: "posyandu" is the health office's) and a small bonus when the complaint names
the OPD by its short name outside a place phrase ("kirim damkar"); the category is named only when
it clearly belongs to that OPD. A complaint's place phrases ("di dekat kantor lurah") weigh less
than what it says is wrong (knowledge.locative). Scores are the fixed-scale evidence of
`knowledge.index`, so the thresholds transfer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from knowledge.index import Doc, LexicalIndex
from knowledge.kb import KnowledgeBase, Opd
from knowledge.locative import split_place_phrases
from knowledge.matcher import FEW_ALTERNATIVES, answer_summary, unmentioned_body
from knowledge.normalize import Normalizer
from knowledge.opdwords import OpdWords

log = logging.getLogger(__name__)

# Thresholds on the [0, 1] evidence score, set on the development set only (bench/evaluate.py).
OPD_SCORE = 0.2  # below this, ask the resident to choose the OPD (who confirms any route anyway)
CATEGORY_SCORE = 0.2  # below this, leave the category empty (the OPD sorts it out)
OPD_DOC_FACTOR = 0.8  # an OPD matched by its description/FAQs rather than a category counts less
# Added to every OPD's score: this much times the share of the complaint's specific words that are
# the OPD's own (knowledge.opdwords). 0.05-0.15 all helped on the dev complaint sets; 0.3 did harm.
SPECIFIC_WEIGHT = 0.1
NAMED_BONUS = 0.1  # a complaint that names an OPD ("kirim damkar", "petugas PDAM") leans towards it
# A complaint naming a body that is not the city's (knowledge/data/lexicon/outside_bodies.txt) goes to an
# OPD that never mentions that body only from this score up ("pelayanan di kantor imigrasi lambat" had
# 0.50 for DPMPTSP; the dev complaint "apill mati total, polisi ga ada" 0.55 for Dishub).
OUTSIDE_OPD_SCORE = 0.5
# Complaints are longer than questions and describe rather than ask: the share of the entry's
# phrasing they contain (precision) matters less than for FAQ questions.
WEIGHTS = (0.5, 0.2, 0.3)  # coverage, precision, fuzzy similarity
CANDIDATES = 30
# Words in a complaint's place phrases ("di dekat kantor lurah", "di kelurahan kami") say where, not
# what: they weigh this much (knowledge.locative).
PLACE_WEIGHT = 0.5
MAX_ROUTES = 5


@dataclass(frozen=True)
class Route:
    opd: str | None
    category: str | None
    score: float
    candidates: tuple[tuple[str, str | None, float], ...]  # (opd, category, score), best first, up to 5


class ComplaintRouter:
    """Pick the OPD and complaint category for a complaint text."""

    def __init__(self, kb: KnowledgeBase, normalizer: Normalizer | None = None):
        self.kb = kb
        self.normalizer = normalizer or Normalizer.default()
        self._categories = kb.categories
        self._opds = kb.opds
        self._cat_index = LexicalIndex([
            Doc(phrases=(c.name, *c.examples), keywords=c.keywords) for c in self._categories
        ], self.normalizer, WEIGHTS)
        self._opd_index = LexicalIndex([self._opd_doc(o) for o in self._opds], self.normalizer, WEIGHTS)
        self._words = OpdWords(self._opds, self.normalizer)
        self._names = [(o.slug, self._name_tokens(o)) for o in self._opds]
        self._position = {o.slug: i for i, o in enumerate(self._opds)}

    def _name_tokens(self, opd: Opd) -> frozenset[str]:
        """The content tokens of the OPD's short name ("Damkar", "Disdukcapil"), for spotting mentions
        (not its slug, which may be a plain word: "kecamatan" is also where a resident lives)."""
        return frozenset(self.normalizer.tokens(opd.short_name or ""))

    @staticmethod
    def _opd_doc(opd: Opd) -> Doc:
        """Describe an OPD by its FAQs' questions, its description and every keyword it has.

        As in the matcher, a FAQ written with few alternatives also lends its answer's summary
        (weakly): a sparse KB's questions alone name too few of the words complaints use.
        """
        return Doc(
            phrases=tuple(p for f in opd.faqs for p in (f.question, *f.alternatives)),
            keywords=(tuple(filter(None, (opd.short_name, opd.description)))
                      + tuple(k for f in opd.faqs for k in f.keywords)
                      + tuple(k for c in opd.categories for k in c.keywords)),
            weak=(opd.name, *(line for f in opd.faqs if len(f.alternatives) < FEW_ALTERNATIVES
                              for line in answer_summary(f.answer))),
        )

    def route(self, text: str) -> Route:
        """Route one complaint; opd/category are None when it cannot tell."""
        categories: dict[str, tuple[str, float]] = {}  # opd -> its best category and score
        scores: dict[str, float] = {}  # opd -> best evidence for it
        shares: dict[str, float] = {}  # opd -> share of the complaint's specific words that are its own
        what, where = split_place_phrases(text)
        terms = self._cat_index.query(what, where, PLACE_WEIGHT)
        if LexicalIndex.has_content(terms, self.normalizer):
            ids = self._cat_index.search(terms, CANDIDATES)
            for i, ev in zip(ids, self._cat_index.evidence_many(terms, ids)):
                category = self._categories[i]
                score = ev.score
                if score > categories.get(category.opd, ("", -1.0))[1]:
                    categories[category.opd] = (category.code, score)
                scores[category.opd] = max(scores.get(category.opd, 0.0), score)
            terms = self._opd_index.query(what, where, PLACE_WEIGHT)
            ids = self._opd_index.search(terms, CANDIDATES)
            for i, ev in zip(ids, self._opd_index.evidence_many(terms, ids)):
                slug = self._opds[i].slug
                scores[slug] = max(scores.get(slug, 0.0), ev.score * OPD_DOC_FACTOR)
            shares = self._words.shares(terms)
            for slug in scores:
                scores[slug] += SPECIFIC_WEIGHT * shares.get(slug, 0.0)
        if scores:
            # the complaint's tokens outside its place phrases ("parkir liar di depan Dinas Sosial" is Dishub's)
            said = {t.token for t in terms if t.emphasis == 1.0}
            for slug, names in self._names:
                if slug in scores and names and names <= said:
                    scores[slug] += NAMED_BONUS
        ranked = []
        for slug, score in sorted(scores.items(), key=lambda kv: -kv[1])[:MAX_ROUTES]:
            code, cat_score = categories.get(slug, (None, 0.0))
            ranked.append((slug, code if cat_score >= CATEGORY_SCORE else None, round(score, 6)))
        # The thresholds were set on the lexical evidence alone, without the specific words' share.
        evidence = ranked[0][2] - SPECIFIC_WEIGHT * shares.get(ranked[0][0], 0.0) if ranked else 0.0
        if not ranked or evidence < OPD_SCORE or (
                evidence < OUTSIDE_OPD_SCORE and self._names_another_body(what, ranked[0][0])):
            return Route(None, None, ranked[0][2] if ranked else 0.0, tuple(ranked))
        opd, category, score = ranked[0]
        return Route(opd, category, score, tuple(ranked))

    def _names_another_body(self, text: str, slug: str) -> bool:
        """Tell whether the complaint names a body that is not the city's (the police, PLN, immigration...)
        and the OPD it would go to never mentions it. Then only a strong match sends it there (a complaint
        about a traffic light may say "polisi ga ada"); otherwise the resident is asked. Only the words outside
        the place phrases count: "kolam retensi di Simpang Polda" is about a pond, not the police."""
        return unmentioned_body(self._opd_index, text, self._position[slug]) is not None
