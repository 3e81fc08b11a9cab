"""Server-rendered SVG charts: geometry computed here, drawn by the `charts.html` macros.

No JavaScript and no inline styles (the CSP forbids both); colours come from classes in admin.css.
Labels stay plain data, so Jinja escapes them like any other text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str  # class name: the series
    title: str  # tooltip text


@dataclass
class BarChart:
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # y position, label
    labels: list[tuple[float, str]] = field(default_factory=list)  # x position, label under the axis
    legend: list[tuple[str, str]] = field(default_factory=list)  # css class, label
    title: str = ""
    empty: bool = False


def _nice_step(value: float) -> float:
    """Return the smallest of 1, 2 or 5 times a power of ten that is at least `value` (and at least 1)."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    return next(m * magnitude for m in (1, 2, 5, 10) if value <= m * magnitude)


def bar_chart(title: str, labels: list[str], series: list[tuple[str, str, list[float]]], *,
              width: int = 720, height: int = 220, overlay: bool = True, label_every: int = 1) -> BarChart:
    """Build a bar chart; with `overlay` later series are drawn over the first (e.g. answered of asked).

    `series` is a list of (css class, legend label, values), one value per label.
    """
    left, right, top, bottom = 44, 8, 10, 24
    chart = BarChart(width=width, height=height, title=title, legend=[(css, name) for css, name, _ in series])
    n = len(labels)
    peak = max((v for _, _, values in series for v in values), default=0)
    chart.empty = n == 0 or peak == 0
    step = _nice_step(peak / 4)  # about four gridlines, at whole numbers (the series are counts)
    top_value = step * max(1, math.ceil(peak / step))
    plot_w, plot_h = width - left - right, height - top - bottom
    value = 0.0
    while value <= top_value:
        chart.ticks.append((round(top + plot_h - plot_h * value / top_value, 1), f"{value:g}"))
        value += step
    if n == 0:
        return chart
    slot = plot_w / n
    groups = 1 if overlay else len(series)
    bar_w = max(1.0, slot * 0.8 / groups)
    for s_index, (css, name, values) in enumerate(series):
        for i, value in enumerate(values):
            h = plot_h * value / top_value if top_value else 0
            offset = 0 if overlay else s_index * bar_w
            x = left + i * slot + slot * 0.1 + offset
            chart.bars.append(Bar(round(x, 1), round(top + plot_h - h, 1), round(bar_w, 1), round(h, 1), css,
                                  f"{labels[i]}: {name} {value:g}"))
    for i, label in enumerate(labels):
        if i % max(1, label_every) == 0:
            chart.labels.append((round(left + i * slot + slot / 2, 1), label))
    return chart
