"""Load and validate knowledge-base folders (city.yaml + opd/<slug>.yaml); `knowledge.kbexport` writes them.

Every problem is reported with its file and line. A broken entry is skipped and a broken
file is refused, so one bad file never takes the bot down. This module holds the folder's
schema (allowed keys, record rules, duplicate ids across files); `knowledge.kbyaml` reads
the YAML with line numbers and collects the problems.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.kb import CONTACT_KEYS, Category, City, Contact, Faq, KnowledgeBase, Opd
from knowledge.kbyaml import Checker, Problem, YamlMap, read_yaml

log = logging.getLogger(__name__)

SLUG_RE = re.compile(r"^[a-z0-9-]+$")
CITY_CODE_RE = re.compile(r"^[A-Z]{2,5}$")
CITY_KEYS = {"code", "name", "bot_name", "timezone", "greeting", "emergency", "default_sla_days"}
OPD_KEYS = {"slug", "name", "short_name", "description", "contact", "complaint_categories", "faqs"}
CATEGORY_KEYS = {"code", "name", "keywords", "examples", "sla_days"}
FAQ_KEYS = {"id", "question", "alternatives", "answer", "keywords", "source", "review_by"}


@dataclass(frozen=True)
class LoadResult:
    kb: KnowledgeBase
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


def _load_city(path: Path, chk: Checker) -> City:
    if not path.exists():
        return City()
    data = read_yaml(path, chk)
    if data is None:
        return City()
    if not isinstance(data, YamlMap):
        chk.error(1, "city.yaml must be a mapping of keys")
        return City()
    chk.keys(data, CITY_KEYS, "city.yaml")
    kwargs: dict[str, Any] = {}
    code = chk.text(data, "code", "city")
    if code is not None:
        if CITY_CODE_RE.match(code):
            kwargs["code"] = code
        else:
            chk.error(data.key_lines["code"], f"city: code '{code}' must be 2–5 capital letters (e.g. PDG)")
    for key in ("name", "bot_name", "greeting", "emergency"):
        value = chk.text(data, key, "city")
        if value is not None:
            kwargs[key] = value
    tz = chk.text(data, "timezone", "city")
    if tz is not None:
        try:
            zoneinfo.ZoneInfo(tz)
            kwargs["timezone"] = tz
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            chk.error(data.key_lines["timezone"], f"city: unknown timezone '{tz}' (e.g. Asia/Jakarta)")
    sla = chk.positive_int(data, "default_sla_days", "city")
    if sla is not None:
        kwargs["default_sla_days"] = sla
    return City(**kwargs)


def _load_contact(value: Any, line: int, chk: Checker, what: str) -> Contact:
    if value is None:
        return Contact()
    if not isinstance(value, YamlMap):
        chk.error(line, f"{what}: 'contact' must be a mapping")
        return Contact()
    chk.keys(value, set(CONTACT_KEYS), f"{what} contact")
    return Contact(**{k: chk.text(value, k, f"{what} contact") for k in CONTACT_KEYS if k in value})


def _load_category(m: Any, slug: str, line: int, chk: Checker) -> Category | None:
    if not isinstance(m, YamlMap):
        chk.error(line, "each complaint category must be a mapping")
        return None
    before = len(chk.problems)
    chk.keys(m, CATEGORY_KEYS, "complaint category")
    code = chk.text(m, "code", "complaint category", required=True)
    what = f"complaint category '{code}'"
    if code and not SLUG_RE.match(code):
        chk.error(m.key_lines["code"], f"{what}: code must use only a-z, 0-9 and '-'")
    name = chk.text(m, "name", what, required=True)
    category = Category(
        code=code or "",
        name=name or "",
        opd=slug,
        keywords=chk.text_list(m, "keywords", what),
        examples=chk.text_list(m, "examples", what),
        sla_days=chk.positive_int(m, "sla_days", what),
    )
    return category if len(chk.problems) == before else None


def _load_faq(m: Any, slug: str, line: int, chk: Checker) -> Faq | None:
    if not isinstance(m, YamlMap):
        chk.error(line, "each FAQ must be a mapping")
        return None
    before = sum(p.severity == "error" for p in chk.problems)
    chk.keys(m, FAQ_KEYS, "FAQ")
    faq_id = chk.text(m, "id", "FAQ", required=True)
    what = f"FAQ '{faq_id}'"
    if faq_id and not SLUG_RE.match(faq_id):
        chk.error(m.key_lines["id"], f"{what}: id must use only a-z, 0-9 and '-'")
    question = chk.text(m, "question", what, required=True)
    answer = chk.text(m, "answer", what, required=True)
    review_by = m.get("review_by")
    if isinstance(review_by, str):
        try:
            review_by = dt.date.fromisoformat(review_by.strip())
        except ValueError:
            review_by = "bad"
    if review_by is not None and not isinstance(review_by, dt.date):
        chk.error(m.key_lines["review_by"], f"{what}: review_by must be a date like 2027-06-30")
        review_by = None
    elif isinstance(review_by, dt.date) and review_by < chk.today:
        chk.warn(m.key_lines["review_by"], f"{what}: review_by {review_by} has passed; the entry needs review")
    faq = Faq(
        id=faq_id or "",
        opd=slug,
        question=question or "",
        answer=answer or "",
        alternatives=chk.text_list(m, "alternatives", what),
        keywords=chk.text_list(m, "keywords", what),
        source=chk.text(m, "source", what),
        review_by=review_by,
    )
    errors = sum(p.severity == "error" for p in chk.problems)
    return faq if errors == before else None


def _items(data: YamlMap, key: str, chk: Checker) -> list[tuple[Any, int]]:
    value = data.get(key)
    if value is None:
        return []
    line = data.key_lines.get(key, data.line)
    if not isinstance(value, list):
        chk.error(line, f"'{key}' must be a list")
        return []
    # Items carry their own line when they are mappings; fall back to the key's line.
    return [(item, getattr(item, "line", line)) for item in value]


def load_opd_file(path: Path, chk: Checker) -> Opd | None:
    """Read one opd/<slug>.yaml; return None when the file itself must be refused."""
    data = read_yaml(path, chk)
    if data is None:
        if not chk.problems:
            chk.error(1, "file is empty")
        return None
    if not isinstance(data, YamlMap):
        chk.error(1, "an OPD file must be a mapping of keys (slug, name, faqs, ...)")
        return None
    chk.keys(data, OPD_KEYS, "OPD file")
    slug = chk.text(data, "slug", "OPD", required=True)
    name = chk.text(data, "name", "OPD", required=True)
    if slug is None or name is None:
        return None
    if not SLUG_RE.match(slug):
        chk.error(data.key_lines["slug"], f"slug '{slug}' must use only a-z, 0-9 and '-'")
        return None
    if slug != path.stem:
        chk.error(data.key_lines["slug"], f"slug '{slug}' must equal the file name '{path.stem}'")
        return None
    categories = [_load_category(m, slug, line, chk) for m, line in _items(data, "complaint_categories", chk)]
    faqs = [_load_faq(m, slug, line, chk) for m, line in _items(data, "faqs", chk)]
    return Opd(
        slug=slug,
        name=name,
        short_name=chk.text(data, "short_name", "OPD"),
        description=chk.text(data, "description", "OPD"),
        contact=_load_contact(data.get("contact"), data.key_lines.get("contact", 1), chk, "OPD"),
        categories=tuple(c for c in categories if c),
        faqs=tuple(f for f in faqs if f),
    )


def _drop_duplicates(opds: list[Opd], files: dict[str, str], lines: dict[tuple[str, str], int], problems: list[Problem]) -> list[Opd]:
    """Keep the first FAQ id and category code seen in the KB; report and drop later ones."""
    from dataclasses import replace

    seen_faq: dict[str, str] = {}
    seen_cat: dict[str, str] = {}
    out = []
    for opd in opds:
        faqs, cats = [], []
        for f in opd.faqs:
            if f.id in seen_faq:
                problems.append(Problem(files[opd.slug], lines.get(("faq", f.id), 1), f"duplicate FAQ id '{f.id}' (already used in {seen_faq[f.id]})"))
                continue
            seen_faq[f.id] = files[opd.slug]
            faqs.append(f)
        for c in opd.categories:
            if c.code in seen_cat:
                problems.append(Problem(files[opd.slug], lines.get(("cat", c.code), 1), f"duplicate category code '{c.code}' (already used in {seen_cat[c.code]})"))
                continue
            seen_cat[c.code] = files[opd.slug]
            cats.append(c)
        out.append(replace(opd, faqs=tuple(faqs), categories=tuple(cats)))
    return out


def _id_lines(path: Path) -> dict[tuple[str, str], int]:
    """Find the line of each `- id:` / `- code:` for duplicate reports (cheap text scan)."""
    lines: dict[tuple[str, str], int] = {}
    try:
        for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = re.match(r"^\s*-?\s*(id|code)\s*:\s*['\"]?([a-z0-9-]+)", raw)
            if m:
                lines.setdefault(("faq" if m.group(1) == "id" else "cat", m.group(2)), n)
    except (OSError, UnicodeDecodeError):
        pass
    return lines


def load_kb(folder: str | Path, today: dt.date | None = None) -> LoadResult:
    """Load a knowledge-base folder; return what is usable and every problem found."""
    folder = Path(folder)
    today = today or dt.date.today()
    problems: list[Problem] = []
    if not folder.is_dir():
        return LoadResult(KnowledgeBase(), (Problem(str(folder), 0, "not a folder"),))
    chk = Checker(str(folder / "city.yaml"), today)
    city = _load_city(folder / "city.yaml", chk)
    problems += chk.problems
    opds: list[Opd] = []
    files: dict[str, str] = {}
    lines: dict[tuple[str, str], int] = {}
    opd_dir = folder / "opd"
    paths = sorted(opd_dir.glob("*.yaml")) + sorted(opd_dir.glob("*.yml"))
    if not paths:
        problems.append(Problem(str(opd_dir), 0, "no OPD files (opd/<slug>.yaml)"))
    for path in paths:
        chk = Checker(str(path), today)
        opd = load_opd_file(path, chk)
        problems += chk.problems
        if opd is None:
            continue
        files[opd.slug] = str(path)
        for key, line in _id_lines(path).items():
            lines.setdefault(key, line)
        opds.append(opd)
    opds = _drop_duplicates(opds, files, lines, problems)
    for p in problems:
        if p.severity == "error":
            log.warning("knowledge base: %s", p)
    return LoadResult(KnowledgeBase(city=city, opds=tuple(opds)), tuple(problems))
