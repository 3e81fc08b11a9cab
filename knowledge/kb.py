"""The knowledge base: typed records for a city's OPDs, FAQs and complaint categories.

The folder format is described in the README ("Writing a knowledge-base file"); `knowledge.kbfiles`
loads and validates folders into these records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

CONTACT_KEYS = ("phone", "whatsapp", "email", "address", "hours", "website")


def default_kb_path() -> Path:
    """Return the folder of the default (Padang) knowledge base shipped in the package."""
    return Path(__file__).parent / "data" / "padang"


@dataclass(frozen=True)
class Contact:
    phone: str | None = None
    whatsapp: str | None = None
    email: str | None = None
    address: str | None = None
    hours: str | None = None
    website: str | None = None

    def items(self) -> list[tuple[str, str]]:
        """Return the (key, value) pairs that are set, in a stable order."""
        return [(k, getattr(self, k)) for k in CONTACT_KEYS if getattr(self, k)]

    @property
    def reachable(self) -> bool:
        """Tell whether it gives a way to reach someone (not only a website or opening hours)."""
        return bool(self.phone or self.whatsapp or self.email or self.address)


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    opd: str
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    sla_days: int | None = None


@dataclass(frozen=True)
class Faq:
    id: str
    opd: str
    question: str
    answer: str
    alternatives: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    source: str | None = None
    review_by: dt.date | None = None


@dataclass(frozen=True)
class Opd:
    slug: str
    name: str
    short_name: str | None = None
    description: str | None = None
    contact: Contact = field(default_factory=Contact)
    categories: tuple[Category, ...] = ()
    faqs: tuple[Faq, ...] = ()

    @property
    def label(self) -> str:
        """Return the name residents know the OPD by, e.g. "Dinas Lingkungan Hidup (DLH)"."""
        return f"{self.name} ({self.short_name})" if self.short_name else self.name


@dataclass(frozen=True)
class City:
    code: str = "PDG"
    name: str = ""
    bot_name: str = "Tanya Kota"
    timezone: str = "Asia/Jakarta"
    greeting: str = ""
    emergency: str = ""
    default_sla_days: int = 5


@dataclass(frozen=True)
class KnowledgeBase:
    city: City = field(default_factory=City)
    opds: tuple[Opd, ...] = ()

    @cached_property
    def faqs(self) -> tuple[Faq, ...]:
        return tuple(f for o in self.opds for f in o.faqs)

    @cached_property
    def categories(self) -> tuple[Category, ...]:
        return tuple(c for o in self.opds for c in o.categories)

    @cached_property
    def _opd_by_slug(self) -> dict[str, Opd]:
        return {o.slug: o for o in self.opds}

    @cached_property
    def _faq_by_id(self) -> dict[str, Faq]:
        return {f.id: f for f in self.faqs}

    @cached_property
    def _category_by_code(self) -> dict[str, Category]:
        return {c.code: c for c in self.categories}

    def opd(self, slug: str | None) -> Opd | None:
        return self._opd_by_slug.get(slug) if slug else None

    def faq(self, faq_id: str | None) -> Faq | None:
        return self._faq_by_id.get(faq_id) if faq_id else None

    def category(self, code: str | None) -> Category | None:
        return self._category_by_code.get(code) if code else None

    def sla_days(self, category_code: str | None) -> int:
        """Return the working days allowed for a category, else the city's default."""
        category = self.category(category_code)
        if category and category.sla_days:
            return category.sla_days
        return self.city.default_sla_days

    def with_faqs(self, faqs_by_opd: dict[str, tuple[Faq, ...]]) -> KnowledgeBase:
        """Return a copy whose OPDs carry the given FAQs (used when FAQs live in the database)."""
        from dataclasses import replace

        opds = tuple(replace(o, faqs=faqs_by_opd.get(o.slug, ())) for o in self.opds)
        return KnowledgeBase(city=self.city, opds=opds)
