"""Match a resident's question to the knowledge base's FAQs: answer, suggest, or abstain.

A wrong confident answer about a government procedure is worse than none, so the matcher
answers only when the learned decision (`knowledge.decision`, shipped coefficients) rates the
best entry likely right; otherwise it offers "did you mean" choices, or abstains. Its features
are the fixed-scale evidence of `knowledge.index` (not raw BM25), so the decision transfers to
another city's knowledge base. In a long message the story around the question weighs less than
the sentence that asks it. A question about a body that is not the city's (the police, immigration)
or about another regency's or city's service is answered only by an entry that names that body or
place; otherwise the match says whose matter it is (`Match.elsewhere`). Build a matcher per KB
version; it is fast (170 entries in a few ms, 50,000 in seconds) so the bot can rebuild it after
FAQ edits.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from knowledge.decision import DecisionModel, features
from knowledge.index import Doc, Evidence, LexicalIndex, Term
from knowledge.kb import Faq, KnowledgeBase
from knowledge.normalize import Normalizer
from knowledge.places import Places
from knowledge.moving import with_direction
from knowledge.regions import first_words, named_region, own_place

log = logging.getLogger(__name__)

# Two candidates that both cover the whole question and score this close are a tie (set on dev).
FULL_COVERAGE = 0.999
TIE_MARGIN = 0.08
# A question of at most this many content words is not answered with an entry that lacks a word
# nearly as weighty as its weightiest (SUBJECT_SHARE of it). 5 words and more cost right answers
# on the development sets; at 4 they change nothing there and stop "paspor habis masa berlaku"
# from being answered with the entry on a KTP-el's validity.
SHORT_QUESTION_WORDS = 4
SUBJECT_SHARE = 0.8

# Hand-set thresholds on the [0, 1] evidence score, used by the semantic blend and when no
# decision model is shipped (set on the development set only). Answer when the entry covers enough of the question AND either matches very well or matches
# well and clearly beats the best other entry; a wrong confident answer is worse than none.
ANSWER_COVERAGE = 0.30  # share of the question's (IDF-weighted) words the entry must cover
ANSWER_SCORE = 0.50  # a very good match ...
ANSWER_MARGIN = 0.06  # ... still a little ahead of the runner-up
CLEAR_SCORE = 0.40  # a good match ...
CLEAR_MARGIN = 0.15  # ... far ahead of the runner-up
SUGGEST_SCORE = 0.30  # below this nothing is worth suggesting: abstain
# An entry that matches a question this well answers it even when the question names a body that is not
# the city's in passing ("karaoke buka sampai subuh, banyak anak SMA masuk" is about the karaoke, 0.79, not
# the province's high schools). In the dev sets, off-topic questions naming such a body scored at most 0.65.
OUTSIDE_BODY_SCORE = 0.7
PHRASE_OWNED = 0.999  # an entry "owns" an outside phrase when its phrasing and keywords have every word of it
PHRASE_GAP = 3  # words an outside phrase's words may have between them ("listrik di rumah saya mati")
OPD_SCORE = 0.30  # when abstaining, name the likely OPD only from this score up
CONTEXT_WEIGHT = 0.5  # a word only in the story around the question weighs this much
# ...unless the asking sentences have at most this many content words: "How do I get a new one?" after
# "My birth certificate was lost in the move" leans on the story for its subject, which then counts in full.
# Set on the dev sets (2 to 5 all gain; 4 gains most: dev +3, devcity2 +3, devcity3 +2, none lose a refusal).
THIN_ASKING = 4
CANDIDATES = 10  # BM25 candidates re-scored with the evidence score. 30 before 2026-12-06, 20 and 12 after:
# over the 3,112 dev questions of every dev set, 12 gave the same decision and the same answer for each (only
# ten off-topic questions, refused either way, showed other low-scoring suggestions), and 10 gives exactly
# what 12 gave (bench.evaluate --dev-only output identical); 8 loses a refusal. Evidence is most of a
# question's matching time, and it scales with this number.
# Optional semantic re-ranking (off by default): the score becomes a blend of the lexical
# evidence and the rescaled embedding similarity, and the thresholds below replace the ones above.
SEMANTIC_BLEND = 0.2  # share of the semantic similarity in the blended score
SEMANTIC_CANDIDATES = 10  # entries the embeddings alone bring into the candidate set
SEMANTIC_THRESHOLDS = (0.30, 0.55, 0.0, 0.35, 0.15)  # coverage, answer score/margin, clear score/margin
MAX_CANDIDATES = 4
FEW_ALTERNATIVES = 2  # a FAQ with fewer alternatives than this also matches on its answer's summary
SUMMARY_LINES = 2  # first lines of the answer in its summary
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
# The heading of a list of documents to bring, and a list item (answer_summary leaves the list out).
_REQUIREMENTS_RE = re.compile(r"(?:(?:per)?syarat(?:an|nya)?|dokumen|berkas|requirements?)\b[^:\n]{0,40}:",
                              re.IGNORECASE)
_LIST_ITEM_RE = re.compile(r"\s*(?:[-*\u2022]|\d+[.)])\s")
MAX_SUGGESTIONS = 3
# Words (as normalised and stemmed) that ask about any service but name none: "syaratnya apa aja?",
# "biayanya berapa", "jam buka". A question made only of them has no topic and is never answered
# outright (a follow-up in a chat takes its topic from the question before: handlers.faq).
GENERIC_WORDS = frozenset({
    "syarat", "cara", "biaya", "harga", "tarif", "lama", "waktu", "jadwal", "jam", "buka", "tutup", "layan", "lokasi",
    "alamat", "tempat", "kantor", "prosedur", "alur", "tahap", "langkah", "dokumen", "formulir", "daring", "online", "daftar",
    "bayar", "urus", "buat", "info", "informasi", "tanya", "lanjut", "terus", "selanjutnya", "gratis", "hari",
    "bagaimana", "apa", "kapan", "berapa", "mana", "siapa", "bisa", "boleh", "dapat", "harus", "perlu", "mau",
    "tidak", "ada", "bawa",  # "bayar ga?" (bayar tidak), "musti bawa apa?": still no topic
    "jadi", "selesai", "terbit", "datang", "ambil", "proses", "tunggu",  # "brp lama jadinya?", "how long does it take"
    "nomor", "telepon", "hubung", "kontak", "whatsapp", "email",  # "nomor telpon nyo ado?": which office?
    "sampai", "orang",  # "how long until someone comes?"
    "wajib", "bulan", "tahun", "minggu", "per",  # "wajib ga?" after the KIA, "how much per month" after the garbage fee
})
# Below this probability that the best entry is right, "did you mean" is put as "no answer; maybe related".
# Set on the dev sets (all of them, 2026-12-07): 235 of the 576 menus shown for off-topic questions fall
# below it, and 29 of the 256 that hold the right entry (they still offer it).
TENTATIVE_PROBABILITY = 0.1

# Sentences of a long message, and the words that mark the one asking the question.
_SENTENCE_RE = re.compile(r"(?<=[.!?\n])\s+|\n+")
_ASKING_RE = re.compile(r"\b(bagaimana|gimana|gmn|bgmn|ke ?mana|kemana|di ?mana|dimana|apa|apakah|berapa|brp|kapan|"
                        r"siapa|bisakah|bolehkah|how|what|where|when|who|which|can i|baa|dima|bara|kama|apo)\b")

# A message opening with a connective asks its next question ("trs kalo ktp sy rusak gmn"); the connective
# says nothing about the topic, though in the middle of a sentence "terus" can ("air mati terus").
_OPENING_CONNECTIVE = re.compile(r"^\s*(?:terus|trus|trs|terusnya|lalu|kemudian|lantas|nah|jadi|jd|then|so)\b"
                                 r"[\s,.:;-]*", re.IGNORECASE)


def without_opening_connective(text: str) -> str:
    """Return a question without the connective it opens with ("terus", "lalu", "then"), if more follows."""
    rest = _OPENING_CONNECTIVE.sub("", text, count=1)
    return rest if rest.strip() else text


def split_question(text: str) -> tuple[str, str]:
    """Split a message into its asking sentences and the story around them ("" when one sentence)."""
    sentences = [s for s in _SENTENCE_RE.split(text) if s.strip()]
    if len(sentences) < 2:
        return text, ""
    asking = [s for s in sentences if "?" in s or _ASKING_RE.search(s.lower())]
    if not asking or len(asking) == len(sentences):
        return text, ""
    return " ".join(asking), " ".join(s for s in sentences if s not in asking)


Decision = Literal["answer", "suggest", "abstain"]


def unmentioned_body(index: LexicalIndex, text: str, entry: int, *, phrases_only: bool = False) -> str | None:
    """Return the name of a body that is not the city's (outside_bodies.txt) which the text names and
    the index's entry never mentions, else None (the matcher and the complaint router both ask)."""
    bodies = index.normalizer.outside_bodies
    words = index.normalizer.words(text)
    for word in () if phrases_only else sorted(set(_bodies_said(words, bodies))):
        terms = index.query(word)
        if terms and index.evidence(terms, entry).coverage <= 0:
            return bodies[word]
    # A phrase ("listrik padam": PLN's) counts unless the entry's own phrasing or keywords have all its words:
    # the rusunawa entry says "mati" in a question and "listrik" in its answer, and is not about power cuts.
    for phrase, body in sorted(index.normalizer.outside_phrases.items()):
        if says_phrase(words, phrase):
            terms = index.query(phrase)
            if terms and index.evidence(terms, entry).strong < PHRASE_OWNED:
                return body
    return None


# Words before a school that make it the resident's schooling, not the body asked about ("anak sy tamat sma, mau
# bikin kartu kuning": the job card, not the province's high schools).
_SCHOOLING = frozenset({"tamat", "tamatan", "lulus", "lulusan", "alumni", "jebolan", "graduate", "graduated"})


# Words before a body that make it a landmark ("lampu jalan mati dekat SPBU": the street light, not Pertamina).
_LANDMARK = frozenset({"dekat", "depan", "samping", "sebelah", "seberang", "belakang", "dakek", "near", "opposite",
                       "behind", "beside"})


def _bodies_said(words: list[str], bodies: dict[str, str]) -> list[str]:
    """Return the words naming a body that is not the city's, in order, without a school said as schooling or a
    body said as a landmark (one word may stand between: "depan kantor imigrasi")."""
    return [word for i, word in enumerate(words) if word in bodies and not (i and words[i - 1] in _SCHOOLING)
            and not (_LANDMARK & set(words[max(0, i - 2):i]))]


def named_body(normalizer: Normalizer, text: str) -> str | None:
    """Return the first body that is not the city's (outside_bodies.txt) a text names, word or phrase."""
    words = normalizer.words(text)
    said = _bodies_said(words, normalizer.outside_bodies)
    if said:
        return normalizer.outside_bodies[said[0]]
    return next((body for phrase, body in sorted(normalizer.outside_phrases.items()) if says_phrase(words, phrase)),
                None)


def says_phrase(words: list[str], phrase: str, gap: int = PHRASE_GAP) -> bool:
    """Tell whether the words say a phrase's words in its order, with at most `gap` words between each two
    ("listrik di rumah saya mati" says "listrik mati")."""
    wanted = phrase.split()
    starts = [i for i, w in enumerate(words) if w == wanted[0]]
    for start in starts:
        at = start
        for word in wanted[1:]:
            nxt = next((j for j in range(at + 1, min(len(words), at + gap + 2)) if words[j] == word), None)
            if nxt is None:
                break
            at = nxt
        else:
            return True
    return False


@dataclass(frozen=True)
class Candidate:
    faq: Faq
    score: float  # in [0, 1]


@dataclass(frozen=True)
class Match:
    decision: Decision
    candidates: tuple[Candidate, ...]  # best first, at most 4
    opd: str | None  # likely OPD slug even when abstaining (to give its contact), or None
    # Who handles the question instead, when it names a body that is not the city's (a police station,
    # immigration) and no entry does: as the bot names it to the resident ("Kantor Imigrasi").
    elsewhere: str | None = None
    # Suggestions only loosely related to the question (the decision's probability is below
    # TENTATIVE_PROBABILITY): the bot says it has no answer before it offers them.
    tentative: bool = False
    topic: bool = True  # the question names what it is about (not only "syaratnya apa aja?": has_topic)

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


def answer_summary(answer: str) -> tuple[str, ...]:
    """Return what an answer is mainly about: its first lines and its bold terms.

    The documents an answer asks residents to bring are not what it is about: the KIA entry's
    "Persyaratan: akta kelahiran anak, Kartu Keluarga, ..." must not make it the answer for "akta
    kelahiran". A requirements heading keeps its own words ("Syarat KTP-el hilang") and loses its list.
    """
    lines: list[str] = []
    in_list = False
    for raw in answer.splitlines():
        line = raw.strip(" -*#>\t")
        if not line:
            continue
        if in_list and _LIST_ITEM_RE.match(raw):
            continue
        heading = _REQUIREMENTS_RE.match(line)
        in_list = heading is not None
        lines.append(line[:heading.end() - 1].strip() if heading else line)
    return tuple(filter(None, lines[:SUMMARY_LINES])) + tuple(_BOLD_RE.findall(answer))


def faq_doc(faq: Faq) -> Doc:
    """Return the texts of a FAQ as an index document.

    A FAQ written with few alternatives gets its answer's summary as extra, weaker phrasing:
    a formal KB with one question per entry must not hinge on the exact words of that question.
    """
    summary = answer_summary(faq.answer) if len(faq.alternatives) < FEW_ALTERNATIVES else ()
    return Doc(phrases=(faq.question, *faq.alternatives), keywords=faq.keywords, weak=(faq.answer,), summary=summary)


class FaqMatcher:
    """Rank a knowledge base's FAQs for a question and decide whether to answer."""

    def __init__(self, kb: KnowledgeBase, normalizer: Normalizer | None = None, *, semantic: bool = False,
                 decision: DecisionModel | None = None, places: Places | None = None):
        self.kb = kb
        self.places = places  # the city's kelurahan and kecamatan: a place named says where, weighing as context
        # The learned decision serves the lexical score it was trained on; the semantic blend
        # keeps its hand-set thresholds.
        self.decision = None if semantic else (decision or DecisionModel.shipped())
        self.normalizer = normalizer or Normalizer.default()
        self._faqs = kb.faqs
        self._position = {f.id: i for i, f in enumerate(self._faqs)}
        self._own_place = own_place(kb.city.name)
        self._region_starts = first_words(self.normalizer.regions)
        self.index = LexicalIndex([faq_doc(f) for f in self._faqs], self.normalizer)
        # The query tokens each outside phrase needs: a strong match is checked for one only when they are there.
        self._phrase_tokens = tuple(frozenset(t.token for t in self.index.query(p))
                                    for p in self.normalizer.outside_phrases)
        self._semantic = None
        self._thresholds = (ANSWER_COVERAGE, ANSWER_SCORE, ANSWER_MARGIN, CLEAR_SCORE, CLEAR_MARGIN)
        if semantic:
            from knowledge.semantic import SemanticScorer

            self._semantic = SemanticScorer([(f.question, *f.alternatives) for f in self._faqs])
            self._thresholds = SEMANTIC_THRESHOLDS

    def scored(self, text: str) -> list[tuple[Faq, Evidence]]:
        """Return candidate FAQs with their evidence, best first (for evaluation and debugging)."""
        return self._scored(text, self._terms(text))

    def assess(self, text: str) -> tuple[list[tuple[Faq, Evidence]], list[float] | None]:
        """Return the ranking and the decision features of its best entry (None when empty)."""
        _, found, x = self._assess(text)
        return found, x

    def _assess(self, text: str) -> tuple[list[Term], list[tuple[Faq, Evidence]], list[float] | None]:
        terms = self._terms(text)
        found = self._scored(text, terms)
        if not found:
            return terms, found, None
        asking, _ = split_question(text)
        focus = None
        if asking != text:  # how much of the asking sentence alone the best entry covers
            focus_terms = self.index.query(asking)
            if LexicalIndex.has_content(focus_terms, self.normalizer):
                focus = self.index.evidence(focus_terms, self._position[found[0][0].id]).coverage
        return terms, found, features(terms, [e for _, e in found], focus)

    def _terms(self, text: str) -> list[Term]:
        """Return the query terms, the story around a question in a long message weighing less (unless the
        question itself is too thin to say what it is about)."""
        text = without_opening_connective(text)
        text = with_direction(text, self.normalizer.regions, self._own_place)  # moving in or out (knowledge.moving)
        # "kalau di kelurahan ulak karang bisa urus kk?": a place says where, not what (the shelters' entry)
        text, named = self.places.names_taken_out(text) if self.places is not None else (text, [])
        asking, context = split_question(text)
        terms = self.index.query(asking, context, CONTEXT_WEIGHT)
        if context and sum(t.emphasis == 1.0 and not self.index.light(t.token) for t in terms) <= THIN_ASKING:
            terms = self.index.query(text, "", CONTEXT_WEIGHT)
        return terms + self._place_terms(named, {t.token for t in terms})

    def _place_terms(self, named: list[str], taken: set[str]) -> list[Term]:
        """Return the terms of the places a question names, each place weighing as one word of its context: a
        two-word kelurahan ("Lubuk Buaya") must not outweigh what is asked ("puskesmas"), nor lead to the entries
        that name it (its rusunawa, its bus stop)."""
        terms: list[Term] = []
        for name in named:
            for term in self.index.query("", name, CONTEXT_WEIGHT / max(1, len(name.split()))):
                if term.token not in taken:
                    taken.add(term.token)
                    terms.append(term)
        return terms

    def _scored(self, text: str, terms: list[Term]) -> list[tuple[Faq, Evidence]]:
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
        if self.decision:
            terms, found, x = self._assess(text)
        else:
            terms = self._terms(text)
            found, x = self._scored(text, terms), None
        topic = self.has_topic(terms)
        if not found:  # nothing in the KB: still say whose matter it is when the question names the body
            return Match("abstain", (), None, named_body(self.normalizer, split_question(text)[0]), topic=topic)
        candidates = tuple(Candidate(f, round(e.score, 6)) for f, e in found[:MAX_CANDIDATES])
        best_faq, best = found[0]
        if best.score < OUTSIDE_BODY_SCORE:
            elsewhere = self._another_body(text, best_faq)
        else:  # a strong match: only an outside phrase ("tagihan listrik") may still say whose matter it is
            said = {t.token for t in terms}
            elsewhere = self._another_body(text, best_faq, phrases_only=True) \
                if any(tokens <= said for tokens in self._phrase_tokens) else None
        elsewhere = elsewhere or self._another_region(text, best_faq)
        p = self.decision.probability(x) if self.decision is not None and x is not None else None
        if (self._answers(text, found, p) and not self._misses_the_subject(terms, best) and elsewhere is None
                and topic):
            return Match("answer", candidates, best_faq.opd)
        decision: Decision = "suggest" if best.score >= SUGGEST_SCORE else "abstain"
        tentative = decision == "suggest" and p is not None and p < TENTATIVE_PROBABILITY
        if tentative and elsewhere is None:  # nothing close: a body the question names is the best lead, even one
            elsewhere = named_body(self.normalizer, split_question(text)[0])  # a loose entry mentions ("bukan PLN")
        # A loosely related menu says nothing about whose matter the question is ("harga emas" is not DLH's).
        opd = None if elsewhere or tentative else self._likely_opd(found)
        return Match(decision, candidates, opd, elsewhere, tentative, topic)

    def _answers(self, text: str, found: list[tuple[Faq, Evidence]], p: float | None) -> bool:
        """Tell whether the best entry is good enough to answer with (`p`: the learned decision's probability
        that it is right, None when the hand-set thresholds decide)."""
        if self.decision is not None and p is not None:
            # Never answer with an entry not even worth suggesting: in a tiny KB a lone weak
            # candidate has no runner-up, which the model would read as a clear win.
            if self._tied(found):
                return False
            threshold = self.decision.threshold(self.normalizer.english_share(text))
            return found[0][1].score >= SUGGEST_SCORE and p >= threshold
        best = found[0][1]
        margin = best.score - (found[1][1].score if len(found) > 1 else 0.0)
        coverage, answer_score, answer_margin, clear_score, clear_margin = self._thresholds
        return best.coverage >= coverage and (
            (best.score >= answer_score and margin >= answer_margin)
            or (best.score >= clear_score and margin >= clear_margin))

    def has_topic(self, terms: list[Term]) -> bool:
        """Tell whether some weighty word of the question is more than a generic asking word (GENERIC_WORDS)."""
        return any(t.token not in GENERIC_WORDS and not self.index.light(t.token) for t in terms)

    def _misses_the_subject(self, terms: list[Term], best: Evidence) -> bool:
        """Tell whether one of a short question's weightiest words is found nowhere in the best entry.

        "paspor habis masa berlaku" against the entry on a KTP-el's validity: the words about
        validity match, but the thing asked about does not. In a question of a few content words
        that is a different subject, not a paraphrase; a long message may leave out one word.
        """
        content = [t for t in terms if not self.index.light(t.token)]
        if not content or len(content) > SHORT_QUESTION_WORDS:
            return False
        total = sum(t.weight for t in terms)
        return total > 0 and best.worst_missing >= SUBJECT_SHARE * max(t.weight for t in content) / total

    def _another_body(self, text: str, faq: Faq, *, phrases_only: bool = False) -> str | None:
        """Return who handles the question when its asking sentence names a body that is not the
        city's and the entry never does (else None).

        "kantor imigrasi buka hari sabtu?" matches Dukcapil's opening hours on every word but the one
        that says whose office it is. An entry that mentions the body (a referral) may still answer.
        A phrase ("tagihan listrik") is checked even against a strong match (PDAM's bills).
        """
        asking, _ = split_question(text)
        return unmentioned_body(self.index, asking, self._position[faq.id], phrases_only=phrases_only)

    def _another_region(self, text: str, faq: Faq) -> str | None:
        """Return whose matter the question is when it asks about another regency's or city's service
        (knowledge.regions) and the entry never names that place (else None)."""
        named = named_region(text, self.normalizer.regions, self._own_place, self._region_starts)
        if named is None:
            return None
        terms = self.index.query(named[0])  # every word of the name must be in the entry ("padang pariaman")
        if terms and self.index.evidence(terms, self._position[faq.id]).missing <= 0:
            return None
        return named[1]

    @staticmethod
    def _tied(found: list[tuple[Faq, Evidence]]) -> bool:
        """Tell whether the runner-up covers the whole question as well, only a little behind.

        Two entries that both account for every word of the question ("ktp baru" against the
        entries for a new and for a lost KTP-el) cannot be told apart by their scores alone;
        asking "did you mean" is safer than a confident guess.
        """
        if len(found) < 2:
            return False
        best, second = found[0][1], found[1][1]
        return (second.coverage >= FULL_COVERAGE and second.strong >= FULL_COVERAGE
                and best.score - second.score < TIE_MARGIN)

    @staticmethod
    def _likely_opd(found: list[tuple[Faq, Evidence]]) -> str | None:
        """Return the OPD whose entries lead the ranking, if the evidence is good enough."""
        by_opd: dict[str, float] = defaultdict(float)
        for faq, ev in found[:MAX_CANDIDATES]:
            by_opd[faq.opd] = max(by_opd[faq.opd], ev.score)
        opd, score = max(by_opd.items(), key=lambda kv: kv[1])
        return opd if score >= OPD_SCORE else None
