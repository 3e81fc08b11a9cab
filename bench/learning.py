"""How much a sparse knowledge base gains from residents' choices: `python -m bench.learning`.

When the bot is unsure it offers up to three entries ("did you mean"); a resident who picks one has
told the city how residents ask for it. The admin page lists those questions by entry, and an OPD admin
adds them as alternative phrasings ("Tambahkan ke variasi", admin/unanswered.py). This benchmark
plays that loop on each question set with its own KB, in two folds: the questions on even lines are
asked first, and every in-scope one whose right entry was offered in a menu is added to that entry's
alternatives (as if the resident picked it and the admin accepted it); the questions on odd lines are
then asked of the KB before and after; then the other way round. The figures add up both folds.

It assumes residents pick the right entry when it is offered and that admins add what residents
picked and nothing else (a picked wrong entry is one an admin should not accept). It is a figure of
the loop's reach, not of the matcher: its decision and thresholds are not changed.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import defaultdict
from dataclasses import replace

from bench.evaluate import EVAL_DIR, Result, Tally, _read_jsonl, default_sets, evaluate_questions, sparse_kb
from knowledge.kb import KnowledgeBase
from knowledge.kbfiles import load_kb
from knowledge.matcher import FaqMatcher
from knowledge.normalize import Normalizer

log = logging.getLogger(__name__)

# The other cities' development sets and Padang's KB made sparse, then the held-out other cities.
SETS = ("dev-sparse", "devcity", "devcity2", "devcity3", "devcity4", "devcity5", "devcity6", "otherkb", "otherkb2")
FIGURES = ("in-scope right top-1", "in-scope wrong answer", "off-topic refused")


def picked(matcher: FaqMatcher, rows: list[dict]) -> dict[str, list[str]]:
    """Return, per entry, the in-scope questions that got a menu offering that (right) entry."""
    chosen: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        gold = row.get("faq_id")
        if not gold:
            continue
        m = matcher.match(row["text"])
        if m.decision == "suggest" and gold in {f.id for f in m.suggestions}:
            chosen[gold].append(row["text"])
    return chosen


def with_phrasings(kb: KnowledgeBase, extra: dict[str, list[str]]) -> KnowledgeBase:
    """Return the KB with residents' questions added to their entries' alternatives."""
    return kb.with_faqs({o.slug: tuple(replace(f, alternatives=f.alternatives + tuple(extra.get(f.id, ())))
                                       for f in o.faqs) for o in kb.opds})


def learn(kb: KnowledgeBase, normalizer: Normalizer, rows: list[dict]) -> tuple[Result, Result, int]:
    """Play the loop in two folds; return the figures before, after, and how many phrasings were added."""
    before, after, added = Result(), Result(), 0
    halves = (rows[0::2], rows[1::2])
    plain = FaqMatcher(kb, normalizer)
    for first, then in (halves, halves[::-1]):
        extra = picked(plain, first)
        added += sum(len(v) for v in extra.values())
        evaluate_questions(plain, then, before)
        evaluate_questions(FaqMatcher(with_phrasings(kb, extra), normalizer), then, after)
    return before, after, added


def _change(before: Tally, after: Tally) -> str:
    """Render a figure before and after, as counts of the same total: "298 -> 299 / 362"."""
    return f"{before.hits} -> {after.hits} / {before.total}"


def run() -> str:
    """Return the table of the loop's figures on every set (the `python -m bench` entry point)."""
    normalizer = Normalizer.default()
    lines = ["Learning from residents' choices (2 folds: ask half, add the picked questions, ask the other half)",
             f"{'set':12}{'phrasings added':>17}" + "".join(f"{name:>30}" for name in FIGURES)]
    for s in default_sets(EVAL_DIR):
        if s.name not in SETS or not s.questions.exists():
            continue
        loaded = load_kb(s.kb_dir)
        kb = sparse_kb(loaded.kb) if s.sparse else loaded.kb
        before, after, added = learn(kb, normalizer, _read_jsonl(s.questions))
        cells = "".join(f"{_change(before.figures[n], after.figures[n]):>30}" for n in FIGURES)
        lines.append(f"{s.name:12}{added:>17}{cells}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(prog="python -m bench.learning", description=__doc__.splitlines()[0]).parse_args(argv)
    print(run())
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    sys.exit(main())
