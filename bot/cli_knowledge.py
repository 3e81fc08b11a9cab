"""`tanyakota ask`, `tanyakota route` and `tanyakota kb validate`: the knowledge base from files.

No database, no server, no web or Telegram libraries: only the knowledge package is imported,
so 1,000 questions take a couple of seconds including start-up.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, TextIO

from knowledge.kb import KnowledgeBase, default_kb_path
from knowledge.kbfiles import load_kb

log = logging.getLogger(__name__)

ASK_NULLS = {"faq_id": None, "opd": None, "score": 0.0, "answer": None, "suggestions": []}
ROUTE_NULLS = {"opd": None, "category": None, "score": 0.0}


def _load(kb_dir: str | None) -> KnowledgeBase | None:
    result = load_kb(Path(kb_dir) if kb_dir else default_kb_path())
    for problem in result.errors:
        log.warning("%s", problem)
    if not result.kb.opds:
        log.error("no usable knowledge base in %s", kb_dir or default_kb_path())
        return None
    return result.kb


def _read_text(line: str) -> tuple[str | None, str | None]:
    """Return (text, None) for a good input line, else (None, error message)."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"not JSON: {exc.msg}"
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        return None, 'expected an object with a "text" string'
    return data["text"], None


def ask_or_route(command: str, kb_dir: str | None, stdin: TextIO, stdout: TextIO) -> int:
    """Answer (`ask`) or route (`route`) JSON lines from stdin, one JSON line out per line in."""
    kb = _load(kb_dir)
    if kb is None:
        return 2
    from knowledge.normalize import Normalizer

    from knowledge.places import Places

    normalizer = Normalizer.default()
    # The city's kelurahan list beside the KB (as the chat has it): a place named says where, not what.
    places = Places.for_kb(Path(kb_dir) if kb_dir else default_kb_path())
    if command == "ask":
        from knowledge.matcher import FaqMatcher

        matcher = FaqMatcher(kb, normalizer, places=places)

        def handle(text: str) -> dict[str, Any]:
            m = matcher.match(text)
            faq = m.faq
            best_id = faq.id if faq else None
            return {
                "faq_id": best_id,
                "opd": faq.opd if faq else None,
                "score": round(m.score, 4),
                "answer": faq.answer if faq else None,
                "suggestions": [f.id for f in m.suggestions if f.id != best_id][:3],
            }

        nulls = ASK_NULLS
    else:
        from knowledge.router import ComplaintRouter

        router = ComplaintRouter(kb, normalizer, places)

        def handle(text: str) -> dict[str, Any]:
            r = router.route(text)
            return {"opd": r.opd, "category": r.category, "score": round(r.score, 4)}

        nulls = ROUTE_NULLS

    for line in stdin:
        if not line.strip():
            continue
        text, error = _read_text(line)
        if error is not None:
            out = {"text": None, **nulls, "error": error}
        else:
            try:
                out = {"text": text, **handle(text)}
            except Exception as exc:  # one odd line must never stop a batch
                log.exception("cannot handle line")
                out = {"text": text, **nulls, "error": f"internal error: {exc}"}
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def validate(folder: str, stdout: TextIO) -> int:
    """Print every problem of a knowledge-base folder and a summary; return 1 if any error."""
    result = load_kb(folder)
    for problem in result.problems:
        stdout.write(f"{problem}\n")
    kb = result.kb
    errors = len(result.errors)
    warnings = len(result.problems) - errors
    stdout.write(f"{folder}: {len(kb.opds)} OPDs, {len(kb.faqs)} FAQs, {len(kb.categories)} complaint categories; "
                 f"{errors} error(s), {warnings} warning(s)\n")
    stdout.flush()
    return 1 if errors else 0
