"""Write a knowledge base back out as a folder of YAML files, in the format `knowledge.kbfiles` loads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from knowledge.kb import KnowledgeBase, Opd


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data if not style else data.rstrip() + "\n", style=style)


_Dumper.add_representer(str, _str_presenter)


def opd_to_dict(opd: Opd) -> dict[str, Any]:
    """Return the opd/<slug>.yaml mapping for an OPD, omitting empty optional keys."""
    out: dict[str, Any] = {"slug": opd.slug, "name": opd.name}
    if opd.short_name:
        out["short_name"] = opd.short_name
    if opd.description:
        out["description"] = opd.description
    contact = dict(opd.contact.items())
    if contact:
        out["contact"] = contact
    if opd.categories:
        out["complaint_categories"] = [
            {k: v for k, v in (("code", c.code), ("name", c.name), ("keywords", list(c.keywords)),
                               ("examples", list(c.examples)), ("sla_days", c.sla_days)) if v}
            for c in opd.categories
        ]
    out["faqs"] = [
        {k: v for k, v in (("id", f.id), ("question", f.question), ("alternatives", list(f.alternatives)),
                           ("answer", f.answer), ("keywords", list(f.keywords)), ("source", f.source),
                           ("review_by", f.review_by)) if v}
        for f in opd.faqs
    ]
    return out


def dump_opd(opd: Opd) -> str:
    """Return an OPD as YAML text in the knowledge-base file format."""
    return yaml.dump(opd_to_dict(opd), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def export_kb(kb: KnowledgeBase, folder: str | Path) -> list[Path]:
    """Write a knowledge base as city.yaml + opd/<slug>.yaml files; return the files written."""
    folder = Path(folder)
    (folder / "opd").mkdir(parents=True, exist_ok=True)
    city = {k: v for k, v in vars(kb.city).items() if v not in ("", None)}
    written = [folder / "city.yaml"]
    written[0].write_text(yaml.dump(city, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for opd in kb.opds:
        path = folder / "opd" / f"{opd.slug}.yaml"
        path.write_text(dump_opd(opd), encoding="utf-8")
        written.append(path)
    return written
