"""A lexical index over short texts, shared by the FAQ matcher and the complaint router.

Two stages:
1. BM25 over normalised tokens (an inverted index of numpy arrays) finds the candidates fast,
   even among 50,000 entries.
2. `evidence()` scores a candidate on a fixed [0, 1] scale that means the same for any
   knowledge base: how much of the query (IDF-weighted) the entry covers, how much of the
   entry's best phrasing the query contains, and the character-level similarity of the two.
   Thresholds set on these values transfer between cities; raw BM25 values would not.

A query word no entry has weighs less the more common it is in general Indonesian or English
(wordfreq, `knowledge.generality`): "tetangga" is narrative, "faskes" a topic the KB lacks.
Query words that are not in the index vocabulary are corrected to the closest vocabulary word
when they are close enough, or expanded when they are a vowel-dropped chat abbreviation
(`knowledge.spelling`): a typo-tolerant match that costs nothing for known words.
"""

from __future__ import annotations

import logging
import math
from array import array
from collections.abc import Callable, Sequence

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import extractOne as extract_one

from knowledge.indextypes import Doc, Evidence, Term
from knowledge.normalize import Normalizer
from knowledge.spelling import Speller

log = logging.getLogger(__name__)

# Field weights for BM25 term frequencies: the entry's own phrasing counts most, its
# long answer least (answers mention many things the entry is not about).
PHRASE_WEIGHT = 1.0
KEYWORD_WEIGHT = 1.0
SUMMARY_WEIGHT = 0.6  # the answer's lead and bold terms: between the phrasing and the rest of the answer
WEAK_WEIGHT = 0.3
BM25_K1, BM25_B = 1.2, 0.75
MAX_WEAK_TOKENS = 120  # index the beginning of long answers only: keeps 50,000 entries fast

# Question words and modals carry a question's intent, not its topic. Their IDF depends on how a KB
# words its questions ("Bagaimana cara ...?" in one city, "Syarat ..." titles in another), so in a
# KB that rarely writes "kapan" or "bisa" they would weigh like a topic word and a question that
# uses them would miss its entry. Their IDF is capped at this value (set on the dev sets).
INTENT_IDF_CAP = 1.5
INTENT_WORDS = frozenset({"bagaimana", "cara", "apa", "apakah", "kapan", "berapa", "mana", "siapa",
                          "bisa", "boleh", "dapat", "harus", "perlu"})
# Indonesia's emergency numbers (police, general, fire, SAR, ambulance, women and children) name a
# service; other numbers ("3 hari", "5rb") weigh like function words.
EMERGENCY_NUMBERS = frozenset({"110", "112", "113", "115", "118", "119", "129"})
FUNCTION_WEIGHT = 0.2  # a function word ("yang", "saya") or a number weighs this share of its IDF
WEAK_CREDIT = 0.7  # a query word found only in the answer counts a little less
SUMMARY_CREDIT = 0.85  # ... and one found in the answer's summary (lead, bold terms) a little more
# A query word unknown to the whole index weighs like a word found in one entry: rare, so an
# off-topic word ("rendang") pulls coverage down, but not more than a rare known word would.
UNKNOWN_DF = 1
# A query word the index does not know weighs less the more common it is in general language:
# an everyday word ("kemarin", "tetangga") is narrative, a rare one ("faskes") is a topic the
# knowledge base lacks. Full weight up to zipf COMMON_ZIPF[0], COMMON_MIN of it from COMMON_ZIPF[1].
COMMON_ZIPF = (3.5, 5.5)
COMMON_MIN = 0.3
LIGHT_CACHE_SIZE = 200_000  # tokens whose lightness (function word or number) is kept
SET_POSTINGS = 300  # a token in at most this many entries (over its three postings) gets sets (see _membership)
SETS_CACHE = 200_000  # entry ids kept in those sets in all (about 12 MB at most)
PHRASE_FACTS_CACHE = 20_000  # entries whose phrase facts (EntryFacts) are kept, under a kilobyte each

# The fixed-scale score: weights of coverage, precision and fuzzy similarity (sum to 1).
# Default for FAQ questions; the complaint router passes its own (complaints are longer).
WEIGHTS = (0.6, 0.2, 0.2)


# Per entry, over its phrases: token -> [(phrase number, the token's weight in it)], each phrase's total
# weight, and each phrase's sorted content words joined (for the fuzzy similarity).
EntryFacts = tuple[dict[str, list[tuple[int, float]]], tuple[float, ...], tuple[str, ...]]


def _entry_facts(phrases: Sequence[tuple[str, ...]], light: Callable[[str], bool],
                 idf: Callable[[str], float]) -> EntryFacts:
    by_token: dict[str, list[tuple[int, float]]] = {}
    masses, strings = [], []
    for j, phrase in enumerate(phrases):
        distinct = set(phrase)
        weights = {tok: idf(tok) * (FUNCTION_WEIGHT if light(tok) else 1.0) for tok in distinct}
        for tok, weight in weights.items():
            by_token.setdefault(tok, []).append((j, weight))
        masses.append(sum(weights.values()))
        strings.append(" ".join(sorted(tok for tok in distinct if not light(tok))))
    return by_token, tuple(masses), tuple(strings)


class LexicalIndex:
    """Find and score entries for a query; build once, query many times."""

    def __init__(self, docs: Sequence[Doc], normalizer: Normalizer, weights: tuple[float, float, float] = WEIGHTS):
        self.normalizer = normalizer
        self.weights = weights  # of coverage, precision and fuzzy similarity
        self._phrases: list[tuple[tuple[str, ...], ...]] = []  # tokens of each phrase (not keywords)
        ids: dict[str, array] = {}  # token -> entry ids (ascending), for BM25
        freqs: dict[str, array] = {}  # token -> weighted term frequency in those entries
        strong_ids: dict[str, array] = {}  # token -> entries whose phrases or keywords have it
        summary_ids: dict[str, array] = {}  # token -> entries whose summary (not phrases) has it
        lengths = array("f")
        surface: dict[str, str] = {}  # surface word -> stem, for spelling repair
        words_of, stem = normalizer.words, normalizer.stem
        for i, doc in enumerate(docs):
            phrases = []
            tf: dict[str, float] = {}
            for texts, weight, keep in ((doc.phrases, PHRASE_WEIGHT, True), (doc.keywords, KEYWORD_WEIGHT, False)):
                for text in texts:
                    words = words_of(text)
                    tokens = tuple(stem(w) for w in words)
                    surface.update(zip(words, tokens))
                    if keep:
                        phrases.append(tokens)
                    for t in tokens:
                        tf[t] = tf.get(t, 0.0) + weight
            for t in tf:
                strong_ids.setdefault(t, array("i")).append(i)
            summary = {stem(w) for text in doc.summary for w in words_of(text)} - tf.keys()
            for t in summary:
                summary_ids.setdefault(t, array("i")).append(i)
                tf[t] = tf.get(t, 0.0) + SUMMARY_WEIGHT
            weak_len = 0
            for text in doc.weak:
                # Only the beginning of a long answer: enough for evidence, cheap for 50,000 entries.
                for w in words_of(text[: MAX_WEAK_TOKENS * 12])[: MAX_WEAK_TOKENS - weak_len]:
                    t = stem(w)
                    tf[t] = tf.get(t, 0.0) + WEAK_WEIGHT
                    weak_len += 1
            for t, f in tf.items():
                ids.setdefault(t, array("i")).append(i)
                freqs.setdefault(t, array("f")).append(f)
            lengths.append(sum(tf.values()))
            self._phrases.append(tuple(phrases))
        self._n = len(self._phrases)
        self._df = {t: len(v) for t, v in ids.items()}
        self._idf: dict[str, float] = {}
        self._idf = {t: self.idf(t) for t in self._df}
        self._light: dict[str, bool] = {}
        self._facts: dict[int, EntryFacts] = {}
        self._sets: dict[str, tuple[frozenset[int], frozenset[int], frozenset[int]]] = {}  # see _membership
        self._set_elements = 0
        self._strong = {t: np.frombuffer(v, dtype=np.int32) for t, v in strong_ids.items()}
        self._summary = {t: np.frombuffer(v, dtype=np.int32) for t, v in summary_ids.items()}
        self._build_postings(ids, freqs, np.frombuffer(lengths, dtype=np.float32).astype(np.float64))
        self._speller = Speller(surface, self.light, normalizer.is_function_word, normalizer.generality.zipf)

    def __len__(self) -> int:
        return self._n

    def _build_postings(self, ids: dict[str, array], freqs: dict[str, array], lengths: np.ndarray) -> None:
        avg = float(lengths.mean()) if len(lengths) else 1.0
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / max(avg, 1e-9))
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for t, doc_ids in ids.items():
            arr = np.frombuffer(doc_ids, dtype=np.int32)
            f = np.frombuffer(freqs[t], dtype=np.float32).astype(np.float64)
            contrib = self.idf(t) * f * (BM25_K1 + 1) / (f + norm[arr])
            self._postings[t] = (arr, contrib.astype(np.float32))

    # --- query side ----------------------------------------------------------------------

    def light(self, token: str) -> bool:
        """Tell whether a token carries little meaning: a function word or a number ("3", "5rb"), not 112 or 113."""
        light = self._light.get(token)
        if light is None:
            light = self.normalizer.is_function_word(token) or (
                any(c.isdigit() for c in token) and token not in EMERGENCY_NUMBERS)
            if len(self._light) < LIGHT_CACHE_SIZE:
                self._light[token] = light
        return light

    def idf(self, token: str | None) -> float:
        """Return the IDF of an index token (an unknown token counts as found UNKNOWN_DF times)."""
        idf = self._idf.get(token) if token else None
        if idf is None:
            df = (self._df.get(token, 0) if token else 0) or UNKNOWN_DF
            idf = math.log(1 + (self._n - df + 0.5) / (df + 0.5))
        return min(idf, INTENT_IDF_CAP) if token in INTENT_WORDS else idf

    def query(self, text: str, context: str = "", context_weight: float = 1.0) -> list[Term]:
        """Normalise a query into unique terms, correcting typos against the index vocabulary.

        Words found only in `context` (the story around a question) weigh `context_weight` times less.
        """
        norm = self.normalizer
        terms: dict[str, Term] = {}
        for part, emphasis in ((text, 1.0), (context, context_weight)):
            for word in norm.words(part) if part else ():
                token = norm.stem(word)
                if token in terms:
                    continue
                match, sim = (token, 1.0) if token in self._df else self._speller.correct(word, token)
                weight = self.idf(match) * (FUNCTION_WEIGHT if self.light(token) else 1.0) * emphasis
                if match is None:
                    weight *= self.commonness(word)
                terms[token] = Term(token, match, sim, weight, emphasis)
        return list(terms.values())

    def commonness(self, word: str) -> float:
        """Return the weight factor of an unknown word: 1.0 when rare, COMMON_MIN when everyday."""
        low, high = COMMON_ZIPF
        z = self.normalizer.generality.zipf(word)
        if z <= low:
            return 1.0
        return max(COMMON_MIN, 1.0 - (1.0 - COMMON_MIN) * (z - low) / (high - low))

    @staticmethod
    def has_content(terms: Sequence[Term], normalizer: Normalizer) -> bool:
        """Tell whether a query has any content word (not only greetings and particles)."""
        return any(not normalizer.is_function_word(t.token) for t in terms)

    def search(self, terms: Sequence[Term], k: int) -> list[int]:
        """Return the indices of the k best entries by BM25, best first."""
        scores = np.zeros(self._n, dtype=np.float32)
        hit = False
        for term in terms:
            posting = self._postings.get(term.match) if term.match else None
            if posting is None:
                continue
            hit = True
            factor = term.similarity * term.emphasis * (FUNCTION_WEIGHT if self.light(term.token) else 1.0)
            scores[posting[0]] += posting[1] * factor
        if not hit:
            return []
        k = min(k, self._n)
        top = np.argpartition(-scores, k - 1)[:k] if k < self._n else np.arange(self._n)
        top = top[scores[top] > 0]
        return [int(i) for i in top[np.argsort(-scores[top], kind="stable")]]

    def _membership(self, token: str, entries: Sequence[int], ids: np.ndarray) -> tuple[list[bool], list[bool], list[bool]]:
        """Tell, for each entry, whether it has `token` in its phrases or keywords, its summary, anywhere.

        A token found in few entries gets Python sets, made on first use: testing ten candidates against
        a set costs a tenth of numpy's per-call overhead, which three calls per query word made a sixth
        of a question's matching time. Common tokens (long postings) stay numpy arrays.
        """
        sets = self._sets.get(token)
        if sets is None:
            arrays = (self._strong.get(token), self._summary.get(token), self._postings.get(token, (None,))[0])
            if sum(len(a) for a in arrays if a is not None) > SET_POSTINGS:
                return tuple(self._members(a, ids).tolist() for a in arrays)  # type: ignore[return-value]
            sets = tuple(frozenset(a.tolist()) if a is not None else frozenset() for a in arrays)
            size = sum(len(x) for x in sets)
            if self._set_elements + size > SETS_CACHE:
                self._sets.clear()
                self._set_elements = 0
            self._sets[token] = sets  # type: ignore[assignment]
            self._set_elements += size
        strong, summary, anywhere = sets
        return [i in strong for i in entries], [i in summary for i in entries], [i in anywhere for i in entries]

    @staticmethod
    def _members(arr: np.ndarray | None, ids: np.ndarray) -> np.ndarray:
        """Tell, for each entry id, whether it is in an ascending posting array."""
        if arr is None or not len(arr):
            return np.zeros(len(ids), dtype=bool)
        j = np.minimum(np.searchsorted(arr, ids), len(arr) - 1)
        return arr[j] == ids

    def evidence(self, terms: Sequence[Term], i: int) -> Evidence:
        """Score entry i against the query on the fixed [0, 1] scale."""
        return self.evidence_many(terms, [i])[0]

    def evidence_many(self, terms: Sequence[Term], entries: Sequence[int]) -> list[Evidence]:
        """Score several entries against the query on the fixed [0, 1] scale."""
        total = sum(t.weight for t in terms)
        if total <= 0 or not entries:
            return [Evidence(0.0, 0.0, 0.0, 0.0, missing=1.0) for _ in entries]
        ids = np.asarray(entries, dtype=np.int32)
        # Per matched term: which candidates have it in their phrases/keywords, in their summary, anywhere.
        membership = [(t, *self._membership(t.match, entries, ids)) for t in terms if t.match is not None]
        light = self.light
        query_str = " ".join(sorted(t.match or t.token for t in terms if not light(t.token)))
        w_coverage, w_precision, w_fuzzy = self.weights
        out = []
        unmatched = sum(t.weight for t in terms if t.match is None)
        worst_unmatched = max((t.weight for t in terms if t.match is None and not light(t.token)), default=0.0)
        # Plain lists: indexing a numpy array one element at a time is slow.
        columns = [(t, t.weight, t.similarity, light(t.token), strong, summary, anywhere)
                   for t, strong, summary, anywhere in membership]
        ratio = fuzz.ratio
        for k, i in enumerate(entries):
            covered = strong_covered = 0.0
            absent, worst = unmatched, worst_unmatched
            matched: dict[str, float] = {}
            for t, weight, similarity, is_light, strong, summary, anywhere in columns:
                if strong[k]:
                    covered += weight * similarity
                    strong_covered += weight * similarity
                    matched[t.match] = similarity  # type: ignore[index]
                elif summary[k]:  # counts as phrasing, at a discount
                    credit = similarity * SUMMARY_CREDIT
                    covered += weight * credit
                    strong_covered += weight * credit
                    matched[t.match] = credit  # type: ignore[index]
                elif anywhere[k]:  # only in the weak texts (the answer)
                    covered += weight * similarity * WEAK_CREDIT
                else:
                    absent += weight
                    if not is_light and weight > worst:
                        worst = weight
            coverage = covered / total
            # Precision: the best share of one phrase's weight that the matched words make up.
            by_token, masses, strings = self._entry_facts(i)
            parts = [0.0] * len(masses)
            for tok, sim in matched.items():
                for j, weight in by_token.get(tok, ()):
                    parts[j] += weight * sim
            precision = max((part / mass for part, mass in zip(parts, masses) if mass > 0), default=0.0)
            best = extract_one(query_str, strings, scorer=ratio) if strings else None
            fuzzy = best[1] / 100 if best else 0.0
            score = w_coverage * coverage + w_precision * precision + w_fuzzy * fuzzy
            out.append(Evidence(min(1.0, max(0.0, score)), coverage, precision, fuzzy,
                                strong_covered / total, absent / total, worst / total))
        return out

    def _entry_facts(self, i: int) -> EntryFacts:
        """Return what scoring entry i needs that does not depend on the query (see EntryFacts).

        Computed on first use and kept for the entries queries keep finding, within a bound.
        """
        facts = self._facts.get(i)
        if facts is None:
            facts = _entry_facts(self._phrases[i], self.light, self.idf)
            if len(self._facts) >= PHRASE_FACTS_CACHE:
                self._facts.clear()
            self._facts[i] = facts
        return facts

