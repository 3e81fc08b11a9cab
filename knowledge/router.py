"""Route a resident's complaint to the OPD (and complaint category) that should handle it.

Two lexical indexes share one normaliser: one over the complaint categories (name, keywords,
examples), one over the OPDs themselves (name, description, FAQ questions and keywords) for
complaints no category describes. An OPD's evidence is its best category's score, or its own
score discounted a little, plus a small bonus when the complaint names the OPD by its short name
outside a place phrase ("kirim damkar"); the thresholds read it. OPDs are ranked by that evidence plus
a little where the two indexes agree on the OPD and for the complaint's words that are specific to it
(knowledge.opdwords: "posyandu" is the health office's). The category is named only when it clearly
belongs to that OPD. A complaint's place phrases ("di dekat kantor lurah") weigh less than what it
says is wrong (knowledge.locative). Scores are the fixed-scale evidence of `knowledge.index`, so the
thresholds transfer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from knowledge.index import Doc, LexicalIndex, Term
from knowledge.kb import KnowledgeBase, Opd
from knowledge.locative import split_place_phrases
from knowledge.matcher import FEW_ALTERNATIVES, answer_summary, unmentioned_body
from knowledge.normalize import Normalizer
from knowledge.opdwords import OpdWords
from knowledge.places import Places
from knowledge.privacy import without_personal_data

log = logging.getLogger(__name__)

# Thresholds on the [0, 1] evidence score, set on the development set only (bench/evaluate.py).
OPD_SCORE = 0.2  # below this, ask the resident to choose the OPD (who confirms any route anyway)
CATEGORY_SCORE = 0.2  # below this, leave the category empty (the OPD sorts it out)
# Nor is a category named when the OPD's own texts match the complaint much better than it does: the
# OPD was found by what it does, and its best category may be beside the point. On the dev complaints
# 0.6 left 5 misfits unnamed (4 where no category fits) and no right category; 0.7 lost 4 right ones.
CATEGORY_SHARE = 0.6
OPD_DOC_FACTOR = 0.8  # an OPD matched by its description/FAQs rather than a category counts less
# Added to every OPD's ranking: this much times the share of the complaint's specific words that are
# the OPD's own (knowledge.opdwords). 0.05-0.15 all helped on the dev complaint sets; 0.3 did harm.
SPECIFIC_WEIGHT = 0.1
# Added to the ranking when an OPD's categories and its own texts (description, FAQs) both match: this
# much times the lesser of the two. 0.1-0.5 all gained 6-7 dev complaints; agreement is evidence too.
AGREEMENT_WEIGHT = 0.2
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
# Words any complaint may say that name no problem (stemmed): "ada masalah di dekat rumah sy, tolong ditindak"
# had gone to school admissions ("Masalah pendaftaran SPMB"). A complaint saying nothing else outside its place
# phrases is not routed: the resident is asked to choose.
VAGUE_WORDS = frozenset({"masalah", "keluh", "adu", "lapor", "tolong", "tindak", "mohon", "segera", "bantu", "kasus",
                         "hal", "soal", "sesuatu", "problem", "urus", "cepat", "parah", "pokok"})  # "pokoknya": anyway


@dataclass(frozen=True)
class Route:
    opd: str | None
    category: str | None
    score: float  # the chosen (or best) OPD's lexical evidence, on the scale of the thresholds
    candidates: tuple[tuple[str, str | None, float], ...]  # (opd, category, ranking score), best first, up to 5
    elsewhere: str | None = None  # a body that is not the city's which the complaint names ("PLN"), when unrouted


class ComplaintRouter:
    """Pick the OPD and complaint category for a complaint text."""

    def __init__(self, kb: KnowledgeBase, normalizer: Normalizer | None = None, places: Places | None = None):
        self.kb = kb
        self.normalizer = normalizer or Normalizer.default()
        # The city's kelurahan and kecamatan names say where, not what: left out, an entry that lists places
        # (BPBD's shelters) does not pull "lampu jalan mati di kelurahan ulak karang" to its OPD.
        self._places = places
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
        described: dict[str, float] = {}  # opd -> evidence from its own texts (discounted)
        shares: dict[str, float] = {}  # opd -> share of the complaint's specific words that are its own
        if self._places is not None:
            text = self._places.names_blanked(text)
        what, where = split_place_phrases(without_personal_data(text))  # "NIK saya …" is not Dukcapil's matter
        terms = self._cat_index.query(what, where, PLACE_WEIGHT)
        if self._says_nothing_wrong(terms):
            return Route(None, None, 0.0, ())
        if LexicalIndex.has_content(terms, self.normalizer):
            ids = self._cat_index.search(terms, CANDIDATES)
            for i, ev in zip(ids, self._cat_index.evidence_many(terms, ids)):
                category = self._categories[i]
                if ev.score > categories.get(category.opd, ("", -1.0))[1]:
                    categories[category.opd] = (category.code, ev.score)
            terms = self._opd_index.query(what, where, PLACE_WEIGHT)
            ids = self._opd_index.search(terms, CANDIDATES)
            for i, ev in zip(ids, self._opd_index.evidence_many(terms, ids)):
                described[self._opds[i].slug] = ev.score * OPD_DOC_FACTOR
            shares = self._words.shares(terms)
        # evidence: the OPD's best lexical evidence, on the scale the thresholds were set on; rank: that,
        # plus a little where its categories and its own texts agree, and for its specific words.
        evidence: dict[str, float] = {}
        rank: dict[str, float] = {}
        for slug in categories.keys() | described.keys():
            by_category, by_texts = categories.get(slug, ("", 0.0))[1], described.get(slug, 0.0)
            evidence[slug] = max(by_category, by_texts)
            rank[slug] = (evidence[slug] + AGREEMENT_WEIGHT * min(by_category, by_texts)
                          + SPECIFIC_WEIGHT * shares.get(slug, 0.0))
        if evidence:
            # the complaint's tokens outside its place phrases ("parkir liar di depan Dinas Sosial" is Dishub's)
            said = {t.token for t in terms if t.emphasis == 1.0}
            for slug, names in self._names:
                if slug in evidence and names and names <= said:
                    evidence[slug] += NAMED_BONUS
                    rank[slug] += NAMED_BONUS
        ranked = []
        for slug in sorted(rank, key=lambda s: (-rank[s], self._position[s]))[:MAX_ROUTES]:
            code, cat_score = categories.get(slug, (None, 0.0))
            named = cat_score >= max(CATEGORY_SCORE, CATEGORY_SHARE * described.get(slug, 0.0))
            ranked.append((slug, code if named else None, round(rank[slug], 6)))
        best = round(evidence[ranked[0][0]], 6) if ranked else 0.0
        if not ranked or best < OPD_SCORE:
            return Route(None, None, best, tuple(ranked))
        if best < OUTSIDE_OPD_SCORE:
            body = self._another_body(what, ranked[0][0])
            if body is not None:
                return Route(None, None, best, tuple(ranked), elsewhere=body)
        opd, category, _ = ranked[0]
        return Route(opd, category, best, tuple(ranked))

    def _says_nothing_wrong(self, terms: list[Term]) -> bool:
        """Tell whether a complaint's words outside its place phrases are only asking, light or VAGUE_WORDS (and
        there are some: a complaint all of place phrases is read as it is)."""
        said = [t for t in terms if t.emphasis == 1.0]
        light = self._cat_index.light
        return bool(said) and all(t.token in VAGUE_WORDS or light(t.token) for t in said)

    def _another_body(self, text: str, slug: str) -> str | None:
        """Return the body that is not the city's (the police, PLN, immigration...) which the complaint names
        and the OPD it would go to never mentions, else None. Then only a strong match sends it there (a
        complaint about a traffic light may say "polisi ga ada"); otherwise the resident is asked. Only the
        words outside the place phrases count: "kolam retensi di Simpang Polda" is about a pond, not the police."""
        return unmentioned_body(self._opd_index, text, self._position[slug])
