"""The values that pass in and out of a lexical index (`knowledge.index`).

`Doc` is what an entry is indexed by, `Term` one word of a query as the index reads it, and
`Evidence` how well an entry answers a query, on a fixed [0, 1] scale. They import nothing heavy,
so code that only weighs evidence (`knowledge.decision`) can use them without the index itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Doc:
    """The texts of one entry, grouped by how strongly they describe it."""

    phrases: tuple[str, ...]  # e.g. the question and its alternatives; each compared whole
    keywords: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()  # e.g. the answer or a description
    # What the weak text is mainly about (e.g. an answer's first line and bold terms), for entries
    # with little phrasing of their own: weaker evidence than a phrase, stronger than the answer.
    summary: tuple[str, ...] = ()


@dataclass(frozen=True)
class Term:
    """One distinct word of a query, as the index reads it."""

    token: str  # the normalised query token
    match: str | None  # the index token it stands for (itself, a correction, or None)
    similarity: float  # 1.0 for the token itself, the fuzzy similarity for a correction
    weight: float  # IDF, scaled down for function words and for words only in the context of a question
    emphasis: float = 1.0  # 1.0 in the asking sentence (or a one-sentence query), less in its context


@dataclass(frozen=True)
class Evidence:
    """How well one entry answers a query, on the fixed [0, 1] scale."""

    score: float  # in [0, 1]
    coverage: float  # share of the query's weight the entry covers
    precision: float  # share of the entry's best phrase the query contains
    fuzzy: float  # character similarity of the query and the entry's best phrase
    strong: float = 0.0  # share of the query's weight found in the entry's phrases, keywords or summary
    missing: float = 0.0  # share of the query's weight found nowhere in the entry
    worst_missing: float = 0.0  # the heaviest query term found nowhere, as a share of the query's weight
