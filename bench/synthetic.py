"""Generate a large synthetic knowledge base for the speed benchmark.

Entries recombine the real knowledge base's own words (question templates, topic words,
answer sentences), so the vocabulary, word frequencies and text lengths look like a real
Indonesian city KB, only bigger. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import re

from knowledge.kb import Faq, KnowledgeBase, Opd

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z\-]+")
_OPENERS = ("Bagaimana cara", "Apa syarat", "Di mana", "Kapan jadwal", "Berapa biaya", "Ke mana melapor",
            "Apakah boleh", "Siapa yang mengurus")


def _pools(kb: KnowledgeBase) -> tuple[list[str], list[str], list[str]]:
    """Return topic words, question phrases and answer sentences taken from a real KB."""
    words: list[str] = []
    phrases: list[str] = []
    sentences: list[str] = []
    for faq in kb.faqs:
        for text in (faq.question, *faq.alternatives):
            phrases.append(text.rstrip("?"))
            words += [w.lower() for w in _WORD_RE.findall(text) if len(w) > 3]
        words += [k.lower() for k in faq.keywords]
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n", faq.answer) if len(s.strip()) > 20]
    if not words:  # an empty KB still yields a usable synthetic one
        words, phrases, sentences = ["layanan", "warga", "kota"], ["Bagaimana cara mengurus layanan"], ["Silakan datang."]
    return words, phrases, sentences


def synthetic_kb(source: KnowledgeBase, size: int, seed: int = 7, opds: int = 40) -> KnowledgeBase:
    """Return a KB of `size` FAQs built from the words of `source`."""
    rng = random.Random(seed)
    words, phrases, sentences = _pools(source)

    def topic(n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n))

    faqs_by_opd: dict[str, list[Faq]] = {f"opd-{i:02d}": [] for i in range(opds)}
    slugs = list(faqs_by_opd)
    for i in range(size):
        subject = topic(rng.randint(2, 4))
        question = f"{rng.choice(_OPENERS)} {subject} {topic(rng.randint(1, 3))}?"
        alternatives = tuple(f"{rng.choice(phrases)} {subject}" for _ in range(rng.randint(0, 2)))
        answer = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 5)))
        slug = slugs[i % opds]
        faqs_by_opd[slug].append(Faq(
            id=f"syn-{i:06d}", opd=slug, question=question, answer=answer, alternatives=alternatives,
            keywords=tuple(subject.split()[:3]),
        ))
    return KnowledgeBase(city=source.city, opds=tuple(
        Opd(slug=s, name=f"Dinas Sintetis {s}", faqs=tuple(f)) for s, f in faqs_by_opd.items()
    ))


def synthetic_questions(kb: KnowledgeBase, n: int, seed: int = 11) -> list[str]:
    """Return n query texts: paraphrase-like questions about random entries, with some noise."""
    rng = random.Random(seed)
    faqs = kb.faqs
    words, _, _ = _pools(kb)
    out = []
    for _ in range(n):
        faq = rng.choice(faqs)
        tokens = faq.question.rstrip("?").split()
        rng.shuffle(tokens)
        tokens = tokens[: rng.randint(2, len(tokens))] + [rng.choice(words) for _ in range(rng.randint(0, 3))]
        out.append("min " + " ".join(tokens) + " gmn ya?")
    return out
