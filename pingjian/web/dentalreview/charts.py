"""Server-side charts (SVG, no script, no CDN): the geometry is computed here from stored engine
results and drawn by the templates in templates/dentalreview/charts/. Labels are Chinese; the SVG
names the Traditional Chinese font on its text."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from pingjian.web.core.charts import number_text as _short

WIDTH = 760
LEVEL_COLOURS = {
    "0": "#cfd8dc",
    "1": "#fff176",
    "2": "#ffb74d",
    "3": "#ff8a65",
    "4": "#e57373",
    "5": "#b71c1c",
    "excluded": "#90a4ae",
}
LEVEL_KEYS = ["0", "1", "2", "3", "4", "5", "excluded"]


def level_label(key: str) -> str:
    return "排除" if key == "excluded" else f"級別 {key}"


def _num(text: Any) -> Decimal | None:
    try:
        return None if text in (None, "", "—") else Decimal(str(text))
    except InvalidOperation:
        return None


@dataclass
class Distribution:
    width: int = WIDTH
    height: int = 340
    left: int = 80
    top: int = 30
    plot_w: int = WIDTH - 110
    plot_h: int = 250
    dots: list[dict[str, Any]] = field(default_factory=list)
    bands: list[dict[str, Any]] = field(default_factory=list)
    x_ticks: list[dict[str, Any]] = field(default_factory=list)
    y_ticks: list[dict[str, Any]] = field(default_factory=list)
    mark: dict[str, Any] | None = None
    count: int = 0


def distribution(
    values: list[dict[str, Any]], bands: list[dict[str, Any]], clinic_id: str = ""
) -> Distribution:
    """Every clinic at (PR, value); the PR bands of the rules shaded; CLINIC_ID marked."""
    d = Distribution(top=30 + 15 * len(bands), height=340 + 15 * len(bands))
    pts = [(v["clinic_id"], v["pr"], _num(v["value"])) for v in values if v["pr"] is not None]
    pts = [(c, pr, val) for c, pr, val in pts if val is not None]
    d.count = len(pts)
    lo = min((p[2] for p in pts), default=Decimal(0))
    hi = max((p[2] for p in pts), default=Decimal(1))
    if hi == lo:
        hi = lo + 1

    def x(pr: float) -> float:
        return round(d.left + d.plot_w * pr / 100, 1)

    def y(val: Decimal) -> float:
        return round(d.top + d.plot_h - float((val - lo) / (hi - lo)) * d.plot_h, 1)

    for b in bands:
        d.bands.append(
            {
                "x": x(b["low"]),
                "w": max(x(b["high"] + 1 if b["high"] < 100 else 100) - x(b["low"]), 2),
                "label": f"PR {b['low']}–{b['high']}：{b['points']} 分（{b['rule']}）",
                "ly": 14 + 15 * len(d.bands),
                "colour": "#ffe0b2" if b["points"] <= 1 else "#ffab91" if b["points"] <= 2 else "#ef9a9a",
            }
        )
    for c, pr, val in pts:
        dot = {"x": x(pr), "y": y(val), "clinic_id": c, "pr": pr, "value": val}
        if c == clinic_id:
            d.mark = dot
        else:
            d.dots.append(dot)
    d.x_ticks = [{"x": x(t), "label": str(t)} for t in (0, 25, 50, 75, 85, 95, 100)]
    d.y_ticks = [
        {"y": y(lo + (hi - lo) * Decimal(i) / 4), "label": _short(lo + (hi - lo) * Decimal(i) / 4)}
        for i in range(5)
    ]
    return d


@dataclass
class Bars:
    width: int = WIDTH
    height: int = 0
    label_w: int = 330
    zero_x: float = 0
    rows: list[dict[str, Any]] = field(default_factory=list)


def points_by_rule(rule_points: dict[str, int | None], rules: list[dict[str, Any]]) -> Bars:
    """One bar per rule of the program (deductions to the left of zero)."""
    b = Bars()
    values = [rule_points.get(r["id"]) or 0 for r in rules]
    neg = min([0, *values])
    pos = max([1, *values])
    span = pos - neg
    plot_w = b.width - b.label_w - 60
    b.zero_x = round(b.label_w + plot_w * (-neg) / span, 1)
    row_h = 26
    for i, (rule, v) in enumerate(zip(rules, values, strict=True)):
        w = plot_w * abs(v) / span
        b.rows.append(
            {
                "y": 10 + i * row_h,
                "text_y": 10 + i * row_h + 16,
                "label": f"{rule['id']} {rule['title']}"[:24],
                "x": round(b.zero_x - w if v < 0 else b.zero_x, 1),
                "w": round(max(w, 0), 1),
                "value": v,
                "value_x": round(b.zero_x + w + 6 if v >= 0 else b.zero_x - w - 26, 1),
                "colour": "#1565c0" if v >= 0 else "#2e7d32",
            }
        )
    b.height = 20 + len(rules) * row_h
    return b


@dataclass
class Stacked:
    width: int = WIDTH
    height: int = 320
    top: int = 20
    plot_h: int = 220
    columns: list[dict[str, Any]] = field(default_factory=list)
    legend: list[dict[str, Any]] = field(default_factory=list)
    y_ticks: list[dict[str, Any]] = field(default_factory=list)


def levels_by_quarter(rows: list[tuple[str, dict[str, int]]]) -> Stacked:
    """Stacked columns: clinics per level (and excluded) for each quarter."""
    s = Stacked()
    biggest = max([1, *(sum(c.values()) for _q, c in rows)])
    n = max(len(rows), 1)
    slot = (s.width - 120) / n
    for i, (quarter, counts) in enumerate(rows):
        x = 70 + i * slot + slot * 0.2
        base = s.top + s.plot_h
        parts = []
        for key in LEVEL_KEYS:
            c = counts.get(key, 0)
            if not c:
                continue
            h = s.plot_h * c / biggest
            base -= h
            parts.append(
                {
                    "y": round(base, 1),
                    "h": round(h, 1),
                    "colour": LEVEL_COLOURS[key],
                    "title": f"{quarter} {level_label(key)}：{c} 家",
                }
            )
        s.columns.append(
            {
                "x": round(x, 1),
                "w": round(slot * 0.6, 1),
                "label": quarter,
                "label_x": round(x + slot * 0.3, 1),
                "parts": parts,
                "total": sum(counts.values()),
            }
        )
    s.legend = [
        {"x": 70 + i * 95, "colour": LEVEL_COLOURS[k], "label": level_label(k)}
        for i, k in enumerate(LEVEL_KEYS)
    ]
    s.y_ticks = [
        {"y": round(s.top + s.plot_h - s.plot_h * i / 4, 1), "label": str(round(biggest * i / 4))}
        for i in range(5)
    ]
    return s
