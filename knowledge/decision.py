"""The learned answer decision: how likely is the best-ranked FAQ the right answer to a question?

`features()` describes a ranking with scale-free numbers (evidence scores, margins, shares of the
question's weight), so the same coefficients serve any city's knowledge base. The logistic model
is trained once by `bench/train_decision.py` on questions generated from a knowledge base (each
FAQ's phrasings asked with that phrasing or the whole FAQ left out) and shipped as
knowledge/data/decision.json; the answer threshold on its probability is set on the dev set.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from knowledge.indextypes import Evidence, Term

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).parent / "data" / "decision.json"

# A feature further than this many standard deviations from its training mean counts as this far: the
# linear model must not extrapolate. A lone candidate (no runner-up: "resep rendang", whose only known
# word is in one entry) has a runner-up ratio of 0, over 4 deviations out, which alone made it a
# confident answer. Clipping changes no answer on any dev set.
MAX_DEVIATIONS = 3.0

# A question with at least this share of English function words is treated as English (the dev sets'
# English questions have 0.21-0.67, their Indonesian and code-mixed ones at most 0.19).
ENGLISH_SHARE = 0.2

FEATURES = (
    "score", "margin", "ratio", "coverage", "strong", "precision", "fuzzy", "missing", "worst_missing",
    "unknown", "terms", "focus_coverage",
)


def features(terms: Sequence[Term], found: Sequence[Evidence], focus: float | None = None) -> list[float]:
    """Describe the best candidate of a ranking (evidence best first) as FEATURES."""
    best = found[0]
    runner_up = found[1].score if len(found) > 1 else 0.0
    total = sum(t.weight for t in terms) or 1.0
    unknown = sum(t.weight for t in terms if t.match is None) / total
    return [
        best.score,
        best.score - runner_up,
        runner_up / best.score if best.score > 0 else 1.0,
        best.coverage,
        best.strong,
        best.precision,
        best.fuzzy,
        best.missing,
        best.worst_missing,
        unknown,
        math.log1p(len(terms)),
        best.coverage if focus is None else focus,
    ]


@dataclass(frozen=True)
class DecisionModel:
    """A logistic model over standardised FEATURES, with its answer threshold."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    answer_threshold: float = 0.5
    # For English questions (see ENGLISH_SHARE): their words reach the KB through a glossary, which
    # renders some words loosely and leaves others out, so the same evidence means a better fit.
    english_threshold: float | None = None

    @classmethod
    def load(cls, path: str | Path = MODEL_PATH) -> DecisionModel:
        """Read a model written by bench/train_decision.py."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        model = cls(tuple(data["names"]), tuple(data["mean"]), tuple(data["scale"]), tuple(data["coef"]),
                    float(data["intercept"]), float(data.get("answer_threshold", 0.5)),
                    None if data.get("english_threshold") is None else float(data["english_threshold"]))
        if model.names != FEATURES:
            raise ValueError(f"{path}: features {model.names} do not match this code's {FEATURES}")
        return model

    @classmethod
    def shipped(cls) -> DecisionModel | None:
        """Return the model shipped in the package, or None (hand-set thresholds) when absent."""
        if not MODEL_PATH.exists():
            log.warning("decision: %s missing, using the hand-set thresholds", MODEL_PATH)
            return None
        return cls.load(MODEL_PATH)

    def to_json(self) -> str:
        """Return the model as the JSON stored in knowledge/data/decision.json."""
        return json.dumps({"names": self.names, "mean": self.mean, "scale": self.scale, "coef": self.coef,
                           "intercept": self.intercept, "answer_threshold": self.answer_threshold,
                           "english_threshold": self.english_threshold}, indent=1)

    def threshold(self, english_share: float) -> float:
        """Return the answer threshold for a question with this share of English function words."""
        if self.english_threshold is not None and english_share >= ENGLISH_SHARE:
            return self.english_threshold
        return self.answer_threshold

    def probability(self, x: Sequence[float]) -> float:
        """Return the probability that the best candidate is the right answer."""
        z = self.intercept + sum(c * max(-MAX_DEVIATIONS, min(MAX_DEVIATIONS, (v - m) / s))
                                 for c, v, m, s in zip(self.coef, x, self.mean, self.scale))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
