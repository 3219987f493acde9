"""`pingjian score psych-rehab-{day,residential}-107 … --json`: contract "Rules per program" (grade
fractions A 1.0 B 0.8 C 0.6 D 0.4 E 0; percent = earned / applicable maximum × 100, half-up to 2
decimals; pass ≥ 60; exempt item leaves both sides; residential 3.11 key: below C fails) and seed
003 (item points tables, 3.5 可, 3.11 重, A/C/E items)."""

from __future__ import annotations

import re

import pytest

from .seed_data import PSYCH, PSYCH_DAY_POINTS, PSYCH_RES_POINTS

DAY = "psych-rehab-day-107"
RES = "psych-rehab-residential-107"
TWO_DP = re.compile(r"^\d+\.\d{2}$")


def assessment(pid: str, default: str = "A", **grades: str) -> dict:
    points, _ = PSYCH[pid]
    items: dict = {iid: {"grade": default} for iid in points}
    for key, grade in grades.items():
        iid = key.lstrip("_").replace("_", ".")
        assert iid in points, iid
        items[iid] = {"exempt": True} if grade == "exempt" else {"grade": grade}
    return {"institution": {"id": "PR-001", "name": "測試康復之家"}, "items": items}


def score(cli, pid: str, data: dict) -> dict:
    out = cli.ok_json("score", pid, "@DATA", "--json", data=data)
    points, _ = PSYCH[pid]
    assert out["program"] == pid
    assert TWO_DP.match(out["total"]), out["total"]
    assert out["max_total"] == "100.00", out["max_total"]
    assert out["result"] in ("pass", "fail")
    assert (out["result"] == "pass") == (out["reasons"] == []), out["reasons"]
    for v in out.get("groups", {}).values():
        assert TWO_DP.match(v), out["groups"]
    assert set(out["items"]) == set(points)
    for iid, it in out["items"].items():
        assert it["points"] is None or TWO_DP.match(it["points"]), (iid, it)
        assert it["max"] == str(points[iid]), (iid, it["max"])
    assert isinstance(out["trace"], list) and out["trace"]
    return out


def codes(out: dict) -> list[str]:
    return sorted(r.split(":", 1)[0].strip() for r in out["reasons"])


@pytest.mark.parametrize("pid", [DAY, RES])
def test_all_a_is_100(cli, pid):
    """Contract: A earns 1.0 of the item's points → 100.00 %; seed 003 day 66 / residential 67 points."""
    out = score(cli, pid, assessment(pid, "A"))
    assert (out["total"], out["result"], out["reasons"]) == ("100.00", "pass", [])
    assert out["items"]["2.1"]["points"] == "4.00"


@pytest.mark.parametrize("pid", [DAY, RES])
def test_all_e_is_0(cli, pid):
    """Contract: E earns 0 → 0.00 % → fail (`below_threshold`; residential also the key item 3.11)."""
    out = score(cli, pid, assessment(pid, "E"))
    assert (out["total"], out["result"]) == ("0.00", "fail")
    assert "below_threshold" in codes(out)
    if pid == RES:
        assert codes(out) == ["below_threshold", "key_item_below_minimum"]
    else:
        assert codes(out) == ["below_threshold"]


@pytest.mark.parametrize("pid", [DAY, RES])
def test_all_c_is_exactly_60_and_passes(cli, pid):
    """Contract: C earns 0.6; pass when percent ≥ 60 — all C is exactly 60.00 → pass (and the key
    item 3.11 at C is not below C)."""
    out = score(cli, pid, assessment(pid, "C"))
    assert (out["total"], out["result"], out["reasons"]) == ("60.00", "pass", [])


def test_day_just_below_60(cli):
    """Day (66 points, seed 003): all C = 39.6; 2.5 (2 pts) at B +0.4, 2.7 (3 pts) at D −0.6 →
    39.4 / 66 = 59.6969… → 59.70 → fail. The smallest step below 60 with these points."""
    out = score(cli, DAY, assessment(DAY, "C", _2_5="B", _2_7="D"))
    assert (out["total"], out["result"]) == ("59.70", "fail")
    assert codes(out) == ["below_threshold"]
    assert out["items"]["2.5"]["points"] == "1.60" and out["items"]["2.7"]["points"] == "1.20"


def test_residential_just_below_60(cli):
    """Residential (67 points): all C = 40.2; 2.5 (2 pts) B +0.4, 2.4 (3 pts) D −0.6 → 40.0 / 67 =
    59.7014… → 59.70 → fail."""
    out = score(cli, RES, assessment(RES, "C", _2_5="B", _2_4="D"))
    assert (out["total"], out["result"]) == ("59.70", "fail")
    assert codes(out) == ["below_threshold"]


def test_percent_rounds_half_up_after_division(cli):
    """Contract: percent = earned / applicable maximum × 100, rounded half-up to 2 decimals.
    Day all A but 2.1 (4 pts) at E: 62 / 66 = 93.9393… → 93.94; residential 2.3 (6 pts) at D:
    (67 − 3.6) / 67 = 94.6268… → 94.63."""
    assert score(cli, DAY, assessment(DAY, "A", _2_1="E"))["total"] == "93.94"
    out = score(cli, RES, assessment(RES, "A", _2_3="D"))
    assert out["total"] == "94.63"
    assert out["items"]["2.3"]["points"] == "2.40"


def test_every_grade_fraction(cli):
    """Contract: A 1.0, B 0.8, C 0.6, D 0.4, E 0 of the item's points (day 2.1 has 4 points)."""
    expected = {"A": "4.00", "B": "3.20", "C": "2.40", "D": "1.60", "E": "0.00"}
    for grade, pts in expected.items():
        out = score(cli, DAY, assessment(DAY, "A", _2_1=grade))
        assert out["items"]["2.1"]["points"] == pts, (grade, out["items"]["2.1"])


def test_ace_item_fractions(cli):
    """Contract: items with only A/C/E use the same fractions (day 3.2, 3 points: C → 1.80)."""
    out = score(cli, DAY, assessment(DAY, "A", _3_2="C"))
    assert out["items"]["3.2"]["points"] == "1.80"
    # (66 − 1.2) / 66 = 98.1818… → 98.18
    assert out["total"] == "98.18"


def test_exempt_3_5_leaves_numerator_and_denominator(cli):
    """Contract: "An exempt item leaves both numerator and denominator"; seed 003 residential 3.5
    可 (2 points). All A but 3.4 (3 pts) E: with 3.5 exempt 62 / 65 = 95.3846… → 95.38 (not
    64 / 67 = 95.52, nor 62 / 67 = 92.54); the exempt item's points are null."""
    out = score(cli, RES, assessment(RES, "A", _3_4="E", _3_5="exempt"))
    assert (out["total"], out["result"]) == ("95.38", "pass")
    assert out["items"]["3.5"]["points"] is None


def test_exemption_flips_the_result(cli):
    """Residential all C except 3.5: at E 39.0 / 67 = 58.21 → fail; exempt 39.0 / 65 = 60.00 → pass."""
    out = score(cli, RES, assessment(RES, "C", _3_5="E"))
    assert (out["total"], out["result"]) == ("58.21", "fail")
    out = score(cli, RES, assessment(RES, "C", _3_5="exempt"))
    assert (out["total"], out["result"], out["reasons"]) == ("60.00", "pass", [])


def test_key_item_3_11_at_e_fails_a_passing_total(cli):
    """Contract: "Key item (residential 3.11): a grade below C fails the evaluation"; seed 003 3.11
    重 (3 points, A/C/E). All A but 3.11 E: 64 / 67 = 95.52 but fail, `key_item_below_minimum`."""
    out = score(cli, RES, assessment(RES, "A", _3_11="E"))
    assert (out["total"], out["result"]) == ("95.52", "fail")
    assert codes(out) == ["key_item_below_minimum"]


def test_key_item_3_11_at_c_does_not_fail(cli):
    """Contract: only a grade *below* C fails; 3.11 at C: (67 − 1.2) / 67 = 98.2089… → 98.21 pass."""
    out = score(cli, RES, assessment(RES, "A", _3_11="C"))
    assert (out["total"], out["result"], out["reasons"]) == ("98.21", "pass", [])


def test_day_3_11_is_not_a_key_item(cli):
    """Seed 003 章節配分-日間型: no 重點條文 (—). Day 3.11 (satisfaction survey, 2 pts) at E only
    lowers the percent: 64 / 66 = 96.9696… → 96.97 pass."""
    out = score(cli, DAY, assessment(DAY, "A", _3_11="E"))
    assert (out["total"], out["result"], out["reasons"]) == ("96.97", "pass", [])


@pytest.mark.parametrize(
    "pid, label, iid, value",
    [
        (DAY, "day 3.5 is not exemptable", "3.5", {"exempt": True}),
        (DAY, "day 2.1 is not exemptable", "2.1", {"exempt": True}),
        (RES, "residential 3.11 is not exemptable", "3.11", {"exempt": True}),
        (RES, "residential 2.1 is not exemptable", "2.1", {"exempt": True}),
        (RES, "grade F", "2.1", {"grade": "F"}),
        (RES, "3.11 has no B", "3.11", {"grade": "B"}),
        (RES, "3.11 has no D", "3.11", {"grade": "D"}),
        (DAY, "3.1 has no B", "3.1", {"grade": "B"}),
        (DAY, "score on a graded item", "2.1", {"score": 4}),
        (DAY, "met on a graded item", "2.1", {"met": [1, 2, 3]}),
        (RES, "result on a graded item", "2.1", {"result": "met"}),
    ],
)
def test_bad_item_input(cli, pid, label, iid, value):
    """Contract "Scoring": a grade the item does not have, or an exemption the item does not allow
    is an error; psychiatric items accept `grade` (or `exempt`) only."""
    data = assessment(pid, "A")
    data["items"][iid] = value
    cli.bad_input("score", pid, "@DATA", "--json", data=data)


@pytest.mark.parametrize("pid", [DAY, RES])
def test_missing_and_unknown_items(cli, pid):
    """Contract "Scoring": a missing item or an unknown item is an error. Day has no 3.12/3.13."""
    data = assessment(pid, "A")
    del data["items"]["2.12"]
    cli.bad_input("score", pid, "@DATA", "--json", data=data)
    data = assessment(pid, "A")
    data["items"]["4.1"] = {"grade": "A"}
    cli.bad_input("score", pid, "@DATA", "--json", data=data)
    if pid == DAY:
        data = assessment(pid, "A")
        data["items"]["3.13"] = {"grade": "A"}
        cli.bad_input("score", pid, "@DATA", "--json", data=data)


def test_points_tables_are_what_the_percent_uses(cli):
    """Seed 003 tables: each item alone at E costs exactly its points: percent = (P − p) / P."""
    from decimal import ROUND_HALF_UP, Decimal

    for pid, table in ((DAY, PSYCH_DAY_POINTS), (RES, PSYCH_RES_POINTS)):
        total = sum(table.values())
        for iid in ("2.3", "3.4", "3.8"):
            out = score(cli, pid, assessment(pid, "A", **{"_" + iid.replace(".", "_"): "E"}))
            exp = (Decimal(total - table[iid]) * 100 / total).quantize(Decimal("0.01"), ROUND_HALF_UP)
            assert out["total"] == str(exp), (pid, iid, out["total"], exp)
