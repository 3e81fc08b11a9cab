"""Read knowledge-base YAML files with line numbers, and check values read out of them.

`read_yaml` parses a file into mappings (`YamlMap`) that remember the line of each key;
`Checker` reads typed values out of those mappings and collects every `Problem` with its
file and line. `knowledge.kbfiles` uses both to build the knowledge-base records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    severity: str = "error"  # "error" refuses the entry or file; "warning" is advice only

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


class YamlMap(dict):
    """A YAML mapping that remembers its line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]
    duplicate_keys: list[tuple[str, int]]


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> YamlMap:  # type: ignore[override]
        mapping = YamlMap()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines, mapping.duplicate_keys = {}, []
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if key in mapping.key_lines:
                mapping.duplicate_keys.append((str(key), line))
            mapping.key_lines[str(key)] = line
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping  # type: ignore[arg-type]
)


class Checker:
    """Collects problems for one file while values are read out of it."""

    def __init__(self, file: str, today: dt.date):
        self.file = file
        self.today = today
        self.problems: list[Problem] = []

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def warn(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message, "warning"))

    def keys(self, m: YamlMap, allowed: set[str], what: str) -> None:
        for key, line in m.duplicate_keys:
            self.error(line, f"duplicate key '{key}' in {what}")
        for key in m:
            if key not in allowed:
                self.error(m.key_lines.get(str(key), m.line), f"unknown key '{key}' in {what} (allowed: {', '.join(sorted(allowed))})")

    def text(self, m: YamlMap, key: str, what: str, required: bool = False) -> str | None:
        value = m.get(key)
        line = m.key_lines.get(key, m.line)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(line, f"{what}: '{key}' is missing or empty")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.error(line, f"{what}: '{key}' must be text")
            return None
        return value.strip()

    def text_list(self, m: YamlMap, key: str, what: str) -> tuple[str, ...]:
        value = m.get(key)
        if value is None:
            return ()
        line = m.key_lines.get(key, m.line)
        if isinstance(value, str):
            # "keywords: a, b" is a common slip; accept it rather than refuse the entry.
            value = [v for v in value.split(",")]
        if not isinstance(value, list):
            self.error(line, f"{what}: '{key}' must be a list of texts")
            return ()
        out = []
        for item in value:
            if isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item).strip():
                out.append(str(item).strip())
            else:
                self.error(line, f"{what}: '{key}' has an empty or non-text item")
        return tuple(out)

    def positive_int(self, m: YamlMap, key: str, what: str) -> int | None:
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.error(m.key_lines.get(key, m.line), f"{what}: '{key}' must be a whole number of days ≥ 1")
            return None
        return value


def read_yaml(path: Path, chk: Checker) -> Any:
    """Parse one YAML file into `YamlMap`s; report an unreadable or invalid file and return None."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        chk.error(1, f"cannot read file: {exc}")
        return None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        chk.error(mark.line + 1 if mark else 1, f"not valid YAML: {getattr(exc, 'problem', exc)}")
        return None
