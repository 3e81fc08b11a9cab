"""Text normalisation for matching: Indonesian chat slang, Minangkabau, English, synonyms, stemming.

`Normalizer.default()` loads the lexicons shipped in knowledge/data/lexicon/ (read by
`knowledge.lexicons`) once per process; `tokens(text)` turns "gmn caronyo mangurus KK yg ilang??"
into stemmed Indonesian content tokens. The same normaliser is applied to knowledge-base texts
and to residents' questions, so both sides meet in one vocabulary. All caches live in the
instance (no module-level state).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.generality import Generality
from knowledge.lexicons import LEXICON_DIR, read_lexicons
from knowledge.synonyms import SynonymMap, replace_longest

log = logging.getLogger(__name__)

_URL_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+|@\w+")
_NON_WORD_RE = re.compile(r"[^a-z0-9\-]+")
_STRETCH_RE = re.compile(r"([a-z])\1{2,}")  # three or more of the same letter: "tolongggg"
_DOUBLE_RE = re.compile(r"([a-z])\1")
_VOWEL_RE = re.compile(r"[aeiou]")
_ASCII_WORD_RE = re.compile(r"[a-z]+")
_REDUP_DIGIT_RE = re.compile(r"^([a-z]{2,})2$")  # "anak2", "diangkut2"
# Clitics written after a hyphen ("ktp-nya") or glued to an abbreviation ("kknya").
_CLITICS = ("nya", "ny", "lah", "kah", "pun", "tah")
_ENGLISH_SUFFIXES = ("ing", "ied", "ies", "ed", "es", "s", "er", "ly")
_LOANWORD_SUFFIXES = ("ing", "ied", "ies", "ed", "es", "s")
# Indonesian chat prefixes glued to an English verb: "dicancel", "ngeclaim", "kedetect", "terupload".
_CHAT_PREFIXES = ("nge", "di", "ke", "ter")


@dataclass
class Normalizer:
    """Normalise resident and knowledge-base text into comparable stemmed tokens."""

    phrases: dict[tuple[str, ...], tuple[str, ...]]  # slang, then curated Minang, then English
    minang_dict: dict[str, tuple[str, ...]]
    minang_exceptions: set[str]
    indonesian: set[str]
    function_words: set[str]
    # Bodies that are not the city's own (police, immigration, KUA, courts...): the word residents write ->
    # who handles it, as the bot names it ("paspor" -> "Kantor Imigrasi").
    outside_bodies: dict[str, str] = field(default_factory=dict)
    # Other regencies and cities: the name residents write -> whose matter it is ("bukittinggi" ->
    # "Pemerintah Kota Bukittinggi"); see knowledge.regions.
    regions: dict[str, str] = field(default_factory=dict)
    # Civic concepts, matched on the mapped words (so "fired", "dipecat" and Minang alike): an everyday
    # word or phrase -> itself plus the term an FAQ would use ("jompo" -> "jompo lanjut usia").
    concepts: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    prefix_rules: tuple[tuple[str, str], ...] = ()  # Minang / informal prefix -> Indonesian
    suffix_rules: tuple[tuple[str, str], ...] = ()
    # Words whose chat reading shadows an English one ("no" = nomor, or English "no" = tidak),
    # and the English words whose company selects the English reading ("no garbage").
    english_alt: dict[str, tuple[str, ...]] = field(default_factory=dict)
    english_words: frozenset[str] = frozenset()
    # Glossary words an inflected form may be read through ("registering" -> register): the
    # English-only words plus those that are also Indonesian loanwords ("register", "hospital").
    english_bases: frozenset[str] = frozenset()
    # English function words (the, is, how, my...), which tell an English question from an Indonesian one.
    english_function_words: frozenset[str] = frozenset()
    generality: Generality = field(default_factory=Generality)  # general-language word frequencies
    # Civic synonym classes ("biaya", "ongkos", "tarif"), canonical member first: every member, in
    # any inflection, reads as the canonical word on both sides (questions and FAQ texts).
    synonyms: tuple[tuple[tuple[str, ...], ...], ...] = ()
    _stemmer: object = None
    _stems: dict[str, str] = field(default_factory=dict, repr=False)
    _word_cache: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _known: set[str] = field(default_factory=set, repr=False)
    _heads: dict[str, int] = field(default_factory=dict, repr=False)  # first word -> longest phrase
    _concept_heads: dict[str, int] = field(default_factory=dict, repr=False)
    _single: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _synonym_map: SynonymMap = field(default_factory=SynonymMap, repr=False)
    _outside_phrases: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self._stemmer is None:
            from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

            self._stemmer = StemmerFactory().create_stemmer()
        self._known = set(self.indonesian) | set(self.minang_dict)
        for source, target in self.phrases.items():
            self._known.update(source)
            self._known.update(target)
            if len(source) > 1:
                self._heads[source[0]] = max(self._heads.get(source[0], 0), len(source))
        for source, target in self.concepts.items():
            self._known.update(target)
            self._concept_heads[source[0]] = max(self._concept_heads.get(source[0], 0), len(source))
        self._known.update(w for members in self.synonyms for member in members for w in member)
        self._synonym_map = SynonymMap.build(self.synonyms, self._sastrawi)
        self.function_words = self.function_words | {self.stem(w) for w in self.function_words}
        self._outside_phrases = {" ".join(self.words(p)): body for p, body in self.outside_bodies.items() if " " in p}

    @property
    def outside_phrases(self) -> dict[str, str]:
        """The outside bodies named by a phrase ("listrik padam"), the phrase normalised as `words` reads it."""
        return self._outside_phrases

    @classmethod
    def from_dir(cls, folder: str | Path) -> Normalizer:
        """Build a normaliser from the lexicon files in a folder."""
        return cls(**read_lexicons(folder))

    @classmethod
    def default(cls) -> Normalizer:
        """Build the normaliser with the lexicons shipped in the package."""
        return cls.from_dir(LEXICON_DIR)

    # --- public API ---------------------------------------------------------------------

    def tokens(self, text: str) -> list[str]:
        """Return the normalised, stemmed content tokens of a text (function words removed)."""
        return [t for t in self.analyze(text) if t not in self.function_words]

    def english_share(self, text: str) -> float:
        """Return the share of a text's words that are English function words (0.0 for no words).

        An English question is 40-60% such words ("How do I get a new ID card?"); an Indonesian one,
        English loanwords and all ("how to register nya?" aside), almost none.
        """
        words = _ASCII_WORD_RE.findall(text.lower().replace("'", "").replace("\u2019", ""))
        return sum(w in self.english_function_words for w in words) / len(words) if words else 0.0

    def analyze(self, text: str) -> list[str]:
        """Return every normalised, stemmed token of a text, function words included."""
        return [self.stem(w) for w in self.words(text)]

    def words(self, text: str) -> list[str]:
        """Return the normalised words of a text before stemming (slang, Minang, English, concepts and
        synonym phrases mapped)."""
        mapped = self._add_concepts(self._map_phrases(self._raw_words(text)))
        return self._synonym_map.map_phrases(mapped, self._sastrawi)

    def is_function_word(self, token: str) -> bool:
        """Tell whether a stemmed token is a pure function word (down-weighted when matching)."""
        return token in self.function_words

    def is_known(self, word: str) -> bool:
        """Tell whether a word is Indonesian or in one of the lexicons."""
        return word in self._known

    def stem(self, word: str) -> str:
        """Return the stem of one word: Sastrawi's, read through the synonym classes ("ongkosnya" -> biaya)."""
        stem = self._sastrawi(word)
        return self._synonym_map.by_stem.get(stem, stem)

    def _sastrawi(self, word: str) -> str:
        """Return the Sastrawi stem of one word (memoised)."""
        stem = self._stems.get(word)
        if stem is None:
            stem = word
            if len(word) > 3 and word.isalpha():
                stem = self._stemmer.stem(word) or word  # type: ignore[attr-defined]
            self._stems[word] = stem
        return stem

    # --- steps --------------------------------------------------------------------------

    def _raw_words(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFKC", text or "").lower()
        text = _URL_RE.sub(" ", text).replace("'", "").replace("’", "")
        out: list[str] = []
        for chunk in _NON_WORD_RE.sub(" ", text).split():
            cached = self._word_cache.get(chunk)
            if cached is None:
                cached = tuple(self._split_chunk(chunk))
                if len(self._word_cache) < 200_000:  # bound the cache on odd input
                    self._word_cache[chunk] = cached
            out.extend(cached)
        return out

    def _split_chunk(self, chunk: str) -> list[str]:
        """Split one whitespace-free chunk: hyphens, reduplication, clitics, stretched letters."""
        parts = [p for p in chunk.split("-") if p]
        if len(parts) == 2 and (parts[0] == parts[1] or parts[1] in _CLITICS):
            parts = [parts[0]] if parts[1] in _CLITICS else self._reduplicate(parts[0])
        out: list[str] = []
        for part in parts:
            m = _REDUP_DIGIT_RE.match(part)
            if m:
                out.extend(self._reduplicate(self._destretch(m.group(1))))
            else:
                out.append(self._destretch(part))
        return out

    def _reduplicate(self, word: str) -> list[str]:
        # A plain reduplicated noun is a plural ("anak2" -> "anak anak"); an affixed verb
        # reduplicates for repetition ("diangkut2" -> "diangkut"): keep it once.
        return [word, word] if self._sastrawi(word) == word else [word]

    def _destretch(self, word: str) -> str:
        """Collapse stretched letters ("pleaseee", "tolongggg") but keep real doubles ("saat")."""
        if word in self._known or not word.isalpha():
            return word
        candidates = []
        if _STRETCH_RE.search(word):
            # Prefer a known double ("maaaf" -> "maaf") over a known single ("tolongggg" -> "tolong").
            candidates += [_STRETCH_RE.sub(r"\1\1", word), _STRETCH_RE.sub(r"\1", word)]
        for c in candidates:
            if c in self._known:
                return c
        if not candidates and self._english_inflected(word) is not None:
            return word  # an English plural or past tense ("trees", "needed"), not a doubled-letter typo
        # A doubled letter read as a typo ("sammpah") only when that yields a real Indonesian
        # word of three letters or more: an acronym ("sppt", "MPP") must not become a slang abbreviation
        # ("spt" = seperti) or another acronym ("mp").
        single = _DOUBLE_RE.sub(r"\1", candidates[1] if candidates else word)
        if not _VOWEL_RE.search(word):  # no vowel: an acronym ("SKTT", a foreigner's residence letter), not a typo
            return candidates[1] if candidates else word
        if len(single) > 2 and single in self.indonesian and self.phrases.get((single,), (single,)) == (single,):
            return single
        return candidates[1] if candidates else word

    def _map_phrases(self, words: list[str]) -> list[str]:
        """Map slang, Minang and English (longest phrase first), then the Minang dictionary."""
        out: list[str] = []
        heads, single = self._heads, self._single
        i, n_words = 0, len(words)
        while i < n_words:
            word = words[i]
            longest = min(heads.get(word, 0), n_words - i)
            for n in range(longest, 1, -1):  # multi-word phrases starting with this word
                target = self._phrase(words[i:i + n])
                if target is not None:
                    out.extend(target)
                    i += n
                    break
            else:
                mapped = single.get(word) if word not in self.english_alt else self._english_reading(words, i)
                if mapped is None:
                    mapped = self.phrases.get((word,))
                    if mapped is None:
                        mapped = self._map_word(word)
                    if len(single) < 200_000:
                        single[word] = mapped
                out.extend(mapped)
                i += 1
        return out

    def _add_concepts(self, words: list[str]) -> list[str]:
        """Replace each concept phrase (longest first, one pass) by its target, which keeps the phrase."""
        if not self._concept_heads:
            return words
        return replace_longest(words, words, self._concept_heads, self.concepts)

    def _phrase(self, words: list[str]) -> tuple[str, ...] | None:
        """Return a multi-word phrase's target, also for an English plural last word ("bus stops")."""
        target = self.phrases.get(tuple(words))
        last = words[-1]
        if target is None and last.endswith("s") and len(last) > 3:
            for singular in (last[:-1], last[:-2] if last.endswith("es") else ""):
                target = self.phrases.get((*words[:-1], singular)) if singular else None
                if target is not None:
                    break
        return target

    def _english_reading(self, words: list[str], i: int) -> tuple[str, ...] | None:
        """Return the English reading of an ambiguous word next to an English word ("the cat", "cat is"),
        else None."""
        def english(word: str) -> bool:
            return word in self.english_words or word in self.english_function_words
        if (i + 1 < len(words) and english(words[i + 1])) or (i > 0 and english(words[i - 1])):
            return self.english_alt[words[i]]
        return None

    def _map_word(self, word: str) -> tuple[str, ...]:
        for clitic in ("nya", "ny", "ku", "mu"):  # "ktpnya", "kkny", "hpku": an abbreviation with a glued clitic
            # (a base that is also Indonesian, "ktp", only when the whole word is no word of its own: "kamu")
            base = word[: -len(clitic)]
            if word.endswith(clitic) and (base,) in self.phrases and (
                    base not in self.indonesian or (word not in self.indonesian and word not in self.minang_dict)):
                return self.phrases[(base,)]
        if word in self.indonesian or word in self.minang_exceptions or not word.isalpha():
            return (word,)
        target = self.minang_dict.get(word)
        if target is not None:
            return target
        target = self._english_inflected(word)
        if target is None:
            target = self._english_with_prefix(word)
        if target is not None:
            return target
        if word.endswith("nya") and len(word) > 5 and word[:-3] in self._known:  # "lobangnya": Sastrawi
            return self._map_word(word[:-3])  # strips -nya only from roots in its own dictionary
        if word.endswith("nyo") and len(word) > 5:  # Minang "-nyo" is Indonesian "-nya"
            base = self._map_word(word[:-3])
            return base[:-1] + (base[-1] + "nya",)
        rewritten = self._rewrite_affixes(word)
        if rewritten is None and word.endswith("nya") and len(word) > 6:  # "ngaktifinnya"
            rewritten = self._rewrite_affixes(word[:-3])
        if rewritten is None and self.generality.zipf(word) == 0.0:  # "bkti", "brhnti": vowels left out
            full = self.generality.vowelless(word)
            if full is not None and full in self.indonesian:
                return self.phrases.get((full,)) or self._map_word(full)
        return (rewritten,) if rewritten else (word,)

    def _english_inflected(self, word: str) -> tuple[str, ...] | None:
        """Map an inflected English word ("needed", "rains", "closing") through its glossary base."""
        for suffix in _ENGLISH_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                stem = word[: -len(suffix)]
                # A loanword base ("register", "pay") only takes the plain verb and plural endings:
                # "tower" is not a "tow"-er, nor "pass" a "pay"-s.
                bases = self.english_bases if suffix in _LOANWORD_SUFFIXES else self.english_words
                doubled = stem[:-1] if stem[-1:] == stem[-2:-1] else ""
                for base in (stem, stem + "e", doubled, stem + "y" if suffix in ("ies", "ied") else ""):
                    if base in bases:
                        return self.phrases[(base,)]
        return None

    def _english_with_prefix(self, word: str) -> tuple[str, ...] | None:
        """Map an English word with an Indonesian chat prefix ("dicancel", "ngeclaim") through the glossary."""
        for prefix in _CHAT_PREFIXES:
            rest = word[len(prefix):]
            if word.startswith(prefix) and len(rest) >= 4:
                if rest in self.english_words:
                    return self.phrases[(rest,)]
                # only a verb's -ed/-ing after the prefix: "disnaker" (an agency) is no "di"+"snake"+"r"
                if rest.endswith(("ed", "ing")) and rest not in self.indonesian:
                    target = self._english_inflected(rest)
                    if target is not None:
                        return target
        return None

    def _rewrite_affixes(self, word: str) -> str | None:
        """Undo Minang sound changes or informal affixes when that yields an Indonesian word."""
        if len(word) < 4:
            return None
        heads = [("", word)] + [(t, word[len(s):]) for s, t in self.prefix_rules if word.startswith(s) and len(word) - len(s) >= 3]
        bases: list[str] = []
        for head, rest in heads:
            bases.append(head + rest)
            bases += [head + rest[: len(rest) - len(s)] + t for s, t in self.suffix_rules
                      if s and rest.endswith(s) and len(rest) - len(s) >= 2
                      # a dropped ending must leave a word seen in general text: "kematin" is no "kemat"
                      and (t or self.generality.zipf(head + rest[: len(rest) - len(s)]) > 0.0)]
        # Fewest changes first: suffix only, prefix only, both; then one 'a' read as schwa 'e'.
        for base in bases[1:]:
            if base in self.indonesian:
                return base
        for base in bases:
            for i in range(1, len(base) - 1):
                if base[i] == "a":
                    candidate = base[:i] + "e" + base[i + 1:]
                    if candidate in self.indonesian:
                        return candidate
        return None
