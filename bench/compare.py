"""Compare the engine's score result with the pandas reference, clinic by clinic and column by column."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from bench.pandas_reference import INDICATORS, RULES, Result


def _norm(x: Any) -> Any:
    if x is None:
        return None
    if isinstance(x, float) and x != x:
        return None
    if isinstance(x, Fraction | int) and not isinstance(x, bool):
        return Fraction(x)
    return x


def engine_rows(score_result: Any) -> dict[str, dict[str, Any]]:
    """pingjian.dental.pipeline.ScoreResult → clinic → column → value (exact)."""
    out = {}
    for s in score_result.scores:
        row: dict[str, Any] = {
            "excluded": bool(s.excluded),
            "points": _norm(s.points),
            "level": s.level,
            "flags": ";".join(sorted(s.flags)),
        }
        for r in RULES:
            row[r] = s.rule_points.get(r)
        for i in INDICATORS:
            row[i] = _norm(s.values.get(i))
            row[f"{i}_pr"] = s.ranks.get(i)
        out[s.clinic_id] = row
    return out


def reference_rows(ref: Result) -> dict[str, dict[str, Any]]:
    out = {}
    for rec in ref.table.to_dict("records"):
        row: dict[str, Any] = {
            "excluded": bool(rec["excluded"]),
            "points": _norm(rec["points"]),
            "level": None if rec["level"] is None or rec["level"] != rec["level"] else int(rec["level"]),
            "flags": rec["flags"],
        }
        for r in RULES:
            v = rec[r]
            row[r] = None if v is None or v != v else int(v)
        for i in INDICATORS:
            row[i] = _norm(rec[i])
            pr = rec[f"{i}_pr"]
            row[f"{i}_pr"] = None if pr is None or pr != pr else int(pr)
        out[rec["clinic_id"]] = row
    return out


def differences(engine: dict[str, dict[str, Any]], reference: dict[str, dict[str, Any]]) -> list[str]:
    """Every disagreement, one line each: clinic, column, engine value, reference value."""
    diffs = []
    for c in sorted(set(engine) | set(reference)):
        if c not in engine:
            diffs.append(f"{c}: only in the reference")
            continue
        if c not in reference:
            diffs.append(f"{c}: only in the engine output")
            continue
        e, r = engine[c], reference[c]
        for col in r:
            if e.get(col) != r[col]:
                ev, rv = e.get(col), r[col]
                diffs.append(f"{c} {col}: engine {_show(ev)} vs reference {_show(rv)}")
    return diffs


def _show(x: Any) -> str:
    return f"{float(x):.6f} ({x})" if isinstance(x, Fraction) else repr(x)
