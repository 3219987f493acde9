"""Server-side chart geometry (SVG drawn by the templates in core/templates/core/charts/, no script,
no CDN), for any app's page: horizontal bars, stacked horizontal bars and a heatmap. The caller
gives labels (Chinese) and numbers; the templates name the Traditional Chinese font on the SVG.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

WIDTH = 760
ROW_H = 26
PALETTE = [
    "#90a4ae", "#64b5f6", "#4fc3f7", "#ffb74d", "#aed581", "#81c784", "#4db6ac", "#7986cb",
    "#ba68c8", "#9575cd", "#f06292", "#e57373", "#388e3c", "#bdbdbd", "#795548",
]  # fmt: skip


def number_text(value: Decimal | int | float) -> str:
    """A number as a person reads it on a chart: at most 2 decimals without trailing zeros, and
    from 1,000 on whole and thousands-separated (the dental review's charts use it too)."""
    d = Decimal(str(value))
    if abs(d) >= 1000:
        return f"{d:,.0f}"
    return f"{d:.2f}".rstrip("0").rstrip(".")


@dataclass
class Bars:
    width: int = WIDTH
    height: int = 0
    label_w: int = 300
    plot_w: int = WIDTH - 300 - 90
    axis_y: int = 0  # where the tick labels stand, under the bars
    rows: list[dict[str, Any]] = field(default_factory=list)
    ticks: list[dict[str, Any]] = field(default_factory=list)
    legend: list[dict[str, Any]] = field(default_factory=list)


def bars(
    rows: list[dict[str, Any]],
    *,
    highest: Decimal | int | None = None,
    unit: str = "",
    label_w: int = 300,
    text_w: int = 90,
    whole: bool = False,
) -> Bars:
    """One horizontal bar per row: {label, value, colour?, note?} (values ≥ 0); LABEL_W for the
    labels on the left, TEXT_W for the value (and note) after the longest bar; WHOLE ticks for
    counts."""
    b = Bars(label_w=label_w, plot_w=WIDTH - label_w - text_w)
    values = [Decimal(str(r["value"])) for r in rows]
    top = max([Decimal(1), *values]) if highest is None else Decimal(highest)
    for i, r in enumerate(rows):
        value = Decimal(str(r["value"]))
        w = float(value / top) * b.plot_w if top else 0
        text = f"{number_text(value)}{unit}" + (f"（{r['note']}）" if r.get("note") else "")
        b.rows.append(
            {
                "y": 10 + i * ROW_H,
                "text_y": 10 + i * ROW_H + 15,
                "label": _clip(r["label"], 24),
                "full_label": r["label"],
                "x": b.label_w,
                "w": round(max(w, 1.5), 1),
                "colour": r.get("colour", "#1565c0"),
                "value_text": text,
                "value_x": round(b.label_w + max(w, 1.5) + 6, 1),
            }
        )
    b.axis_y = 10 + len(rows) * ROW_H + 14
    b.height = b.axis_y + 10
    b.ticks = (
        _ticks(b, int(top))
        if whole
        else [
            {"x": round(b.label_w + b.plot_w * i / 4, 1), "label": number_text(top * i / 4)} for i in range(5)
        ]
    )
    return b


def _ticks(b: Bars, biggest: int) -> list[dict[str, Any]]:
    """Whole-number ticks from 0 to BIGGEST, about four."""
    step = -(-biggest // 4)
    return [
        {"x": round(b.label_w + b.plot_w * v / biggest, 1), "label": str(v)}
        for v in range(0, biggest + 1, step)
    ]


def stacked_bars(rows: list[tuple[str, dict[str, int]]], keys: list[tuple[str, str]]) -> Bars:
    """One horizontal bar per row (label, {key: count}), split by KEYS [(key, label)] in order,
    each key its colour of the palette; the longest row spans the plot."""
    b = Bars()
    colours = {key: PALETTE[i % len(PALETTE)] for i, (key, _label) in enumerate(keys)}
    names = dict(keys)
    biggest = max([1, *(sum(counts.values()) for _label, counts in rows)])
    for i, (label, counts) in enumerate(rows):
        x = float(b.label_w)
        parts = []
        for key, _name in keys:
            n = counts.get(key, 0)
            if not n:
                continue
            w = b.plot_w * n / biggest
            parts.append(
                {"x": round(x, 1), "w": round(w, 1), "colour": colours[key], "title": f"{names[key]}：{n}"}
            )
            x += w
        b.rows.append(
            {
                "y": 10 + i * ROW_H,
                "text_y": 10 + i * ROW_H + 15,
                "label": _clip(label, 24),
                "full_label": label,
                "parts": parts,
                "value_text": str(sum(counts.values())),
                "value_x": round(x + 6, 1),
            }
        )
    b.axis_y = 10 + len(rows) * ROW_H + 14
    used = [(k, n) for k, n in keys if any(counts.get(k) for _l, counts in rows)]
    per_line = 5
    for i, (key, name) in enumerate(used):
        b.legend.append(
            {
                "x": 10 + (i % per_line) * 150,
                "y": b.axis_y + 14 + (i // per_line) * 20,
                "colour": colours[key],
                "label": name,
            }
        )
    b.height = b.axis_y + 20 + ((len(used) + per_line - 1) // per_line) * 20
    b.ticks = _ticks(b, biggest)
    return b


@dataclass
class Heatmap:
    width: int = WIDTH
    height: int = 0
    label_w: int = 230
    top: int = 60
    cell_w: float = 0
    cell_h: int = 22
    columns: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    highest: str = "0"


def heatmap(
    row_labels: list[tuple[str, str]],
    column_labels: list[tuple[Any, str]],
    values: dict[tuple[str, Any], Decimal],
    *,
    unit: str = "",
) -> Heatmap:
    """Rows × columns of cells shaded white → deep red by value (the highest value the deepest);
    a missing value is a grey cell."""
    h = Heatmap()
    n = max(len(column_labels), 1)
    h.cell_w = round(min(120, (h.width - h.label_w - 10) / n), 1)
    h.width = int(h.label_w + h.cell_w * n + 10)
    highest = max([Decimal(0), *values.values()])
    h.highest = number_text(highest)
    for j, (_key, label) in enumerate(column_labels):
        h.columns.append(
            {"x": round(h.label_w + h.cell_w * (j + 0.5), 1), "label": _clip(label, 9), "full_label": label}
        )
    for i, (row_key, row_label) in enumerate(row_labels):
        y = h.top + i * h.cell_h
        cells = []
        for j, (col_key, col_label) in enumerate(column_labels):
            value = values.get((row_key, col_key))
            share = float(value / highest) if value is not None and highest else 0.0
            shown = "—" if value is None else number_text(value)
            cells.append(
                {
                    "x": round(h.label_w + h.cell_w * j, 1),
                    "text_x": round(h.label_w + h.cell_w * (j + 0.5), 1),
                    "fill": "#eeeeee" if value is None else _red(share),
                    "text": shown,
                    "dark": share > 0.55,
                    "title": f"{row_label} · {col_label}：{shown}{unit}",
                }
            )
        h.rows.append({"y": y, "text_y": y + 15, "label": _clip(row_label, 16), "cells": cells})
    h.height = h.top + len(row_labels) * h.cell_h + 40
    return h


def _red(share: float) -> str:
    """White (0) to deep red (1)."""
    r = 255 - round(share * (255 - 183))
    g = 255 - round(share * (255 - 28))
    b = 255 - round(share * (255 - 28))
    return f"#{r:02x}{g:02x}{b:02x}"


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
