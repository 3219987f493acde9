"""`pingjian score postpartum-111 … --json`: contract "Scoring" + "Rules per program" and seed 002
附件2 (16 items in A 20 / B 50 / C 30; sum first, then round half-up to 2 decimals; pass ≥ 70),
§六 and §八(三) (fire / building safety preconditions, remediation by 111-12-10)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from .seed_data import POSTPARTUM, POSTPARTUM_MAX

PID = "postpartum-111"
TWO_DP = re.compile(r"^-?\d+\.\d{2}$")
COMPLIANT = {"fire_safety": "compliant", "building_safety": "compliant"}


def assessment(overrides: dict[str, Any] | None = None, *, drop: tuple[str, ...] = (), **top: Any) -> dict:
    """Full marks by `score` unless overridden."""
    items: dict[str, Any] = {iid: {"score": int(mx)} for iid, mx in POSTPARTUM_MAX.items()}
    items.update(overrides or {})
    for iid in drop:
        items.pop(iid)
    data = {
        "institution": {"id": "PP-001", "name": "測試產後護理之家"},
        "preconditions": dict(COMPLIANT),
        "assessed_on": "2022-08-15",
        "items": items,
    }
    data.update(top)
    return data


def score(cli, data: dict) -> dict:
    out = cli.ok_json("score", PID, "@DATA", "--json", data=data)
    check_shape(out)
    return out


def check_shape(out: dict) -> None:
    """Contract "Output" + the team's readings: decimal strings with exactly 2 decimals for total,
    max_total and groups; items[ID].points 2 decimals or null, items[ID].max written plainly;
    reasons are "code: …" strings; trace is a list."""
    assert out["program"] == PID
    for key in ("total", "max_total"):
        assert isinstance(out[key], str) and TWO_DP.match(out[key]), (key, out[key])
    assert out["result"] in ("pass", "fail")
    assert isinstance(out["reasons"], list)
    assert (out["result"] == "pass") == (out["reasons"] == []), out["reasons"]
    assert set(out["groups"]) == {"A", "B", "C"}, out["groups"]
    for g, v in out["groups"].items():
        assert isinstance(v, str) and TWO_DP.match(v), (g, v)
    assert set(out["items"]) == set(POSTPARTUM)
    for iid, it in out["items"].items():
        assert it["points"] is None or (isinstance(it["points"], str) and TWO_DP.match(it["points"])), it
        assert it["max"] == str(POSTPARTUM[iid][1]), (iid, it["max"])
    assert isinstance(out["trace"], list) and out["trace"], "trace is empty"


def codes(out: dict) -> list[str]:
    return [r.split(":", 1)[0].strip() for r in out["reasons"]]


def test_full_marks_by_score(cli):
    """Seed 002 附件2 二: A 20 + B 50 + C 30 = 100; 三(一)1 pass at ≥ 70."""
    out = score(cli, assessment())
    assert (out["total"], out["max_total"], out["result"], out["reasons"]) == ("100.00", "100.00", "pass", [])
    assert out["groups"] == {"A": "20.00", "B": "50.00", "C": "30.00"}
    assert (out["items"]["A1.1"]["points"], out["items"]["A1.1"]["max"]) == ("4.00", "4")
    assert out["items"]["C1"]["points"] == "15.00" and out["items"]["C1"]["max"] == "15"


def test_full_marks_by_met(cli):
    """Contract: with `met`, an item scores max × met / applicable requirements; every numbered
    requirement of seed 002 附件1 met → full marks."""
    items = {iid: {"met": list(range(1, reqs + 1))} for iid, (_, _, reqs) in POSTPARTUM.items()}
    out = score(cli, assessment(items))
    assert (out["total"], out["result"]) == ("100.00", "pass")
    assert out["groups"] == {"A": "20.00", "B": "50.00", "C": "30.00"}


def test_all_lowest(cli):
    """Seed 002 附件2 三(一)2: total below 70 fails; reason `below_threshold`. Zero by score and by
    an empty `met`."""
    for form in ({"score": 0}, {"met": []}):
        out = score(cli, assessment({iid: dict(form) for iid in POSTPARTUM}))
        assert (out["total"], out["max_total"], out["result"]) == ("0.00", "100.00", "fail")
        assert codes(out) == ["below_threshold"]
        assert out["groups"] == {"A": "0.00", "B": "0.00", "C": "0.00"}


def test_exactly_70_passes(cli):
    """Seed 002 附件2 三(一)1: 「總分70分以上」 is inclusive: 20 + 50 + 0 = 70.00 passes."""
    out = score(cli, assessment({"C1": {"score": 0}, "C2": {"score": 0}}))
    assert (out["total"], out["result"], out["reasons"]) == ("70.00", "pass", [])
    assert out["groups"]["C"] == "0.00"


def test_69_995_rounds_up_to_70_and_passes(cli):
    """Seed 002 附件2 三(二): sum first, then round half-up to 2 decimals: 69.995 → 70.00 → pass.
    (Decimal arithmetic: as a binary float 5.995 is 5.99499…, which would round down.)"""
    out = score(cli, assessment({"C1": {"score": 0}, "C2": {"score": 0}, "B2.3": {"score": 5.995}}))
    assert (out["total"], out["result"]) == ("70.00", "pass")


def test_69_994_rounds_down_and_fails(cli):
    """Seed 002 附件2 三(二): 69.994 → 69.99 < 70 → fail, `below_threshold`."""
    out = score(cli, assessment({"C1": {"score": 0}, "C2": {"score": 0}, "B2.3": {"score": 5.994}}))
    assert (out["total"], out["result"]) == ("69.99", "fail")
    assert codes(out) == ["below_threshold"]


def test_met_sevenths_summed_unrounded(cli):
    """Contract: "Item scores are summed unrounded; the total is then rounded half-up" (seed 002
    附件2 三(二) 「先行加總，再將總分…四捨五入」). A1.2 met 6 of 7 → 4 × 6/7 = 3.428571…:

    * + C2 0.57  → 69.998571… → 70.00 pass;
    * + C2 0.5665 → 69.995071… → 70.00 pass;
    * + C2 0.566 → 69.994571… → 69.99 fail (rounding each item first would give 3.43 + 0.57 = 70.00).
    """
    base = {"A1.2": {"met": [1, 2, 3, 4, 5, 6]}, "C1": {"score": 0}}
    cases = [(0.57, "70.00", "pass"), (0.5665, "70.00", "pass"), (0.566, "69.99", "fail")]
    for c2, total, result in cases:
        out = score(cli, assessment({**base, "C2": {"score": c2}}))
        assert (out["total"], out["result"]) == (total, result), (c2, out["total"], out["result"])
        assert out["items"]["A1.2"]["points"] == "3.43"


def test_met_thirds_sum_to_exactly_70(cli):
    """Contract `met` rule + seed 002 附件2 三(二): B1.3, B1.4, B2.2 (max 5, 3 requirements each)
    with 2 of 3 met score 10/3 each, exactly 10 together; with C1 0 and C2 5 the total is exactly
    70.00 → pass (rounding each item to 3.33 first would give 69.99 → fail)."""
    two_of_three = {"met": [1, 2]}
    out = score(
        cli,
        assessment(
            {
                "B1.3": dict(two_of_three),
                "B1.4": dict(two_of_three),
                "B2.2": dict(two_of_three),
                "C1": {"score": 0},
                "C2": {"score": 5},
            }
        ),
    )
    assert (out["total"], out["result"], out["reasons"]) == ("70.00", "pass", [])
    assert out["items"]["B1.3"]["points"] == "3.33"
    assert out["groups"]["B"] == "45.00"


def test_not_applicable_leaves_the_denominator(cli):
    """Contract: "max × met / applicable requirements"; `not_applicable` defaults to []. A1.2 met
    1–6 with 7 not applicable → 4 × 6/6 = 4; A1.1 met 1–2 with 3 not applicable → 4 × 2/3;
    total 100 − 4/3 = 98.666… → 98.67."""
    out = score(
        cli,
        assessment(
            {
                "A1.2": {"met": [1, 2, 3, 4, 5, 6], "not_applicable": [7]},
                "A1.1": {"met": [1, 2], "not_applicable": [3]},
            }
        ),
    )
    assert out["items"]["A1.2"]["points"] == "4.00"
    assert out["items"]["A1.1"]["points"] == "2.67"
    assert (out["total"], out["result"]) == ("98.67", "pass")
    assert out["groups"]["A"] == "18.67"


def test_mixed_score_and_met(cli):
    """Contract example input mixes `score` (3.25) and `met` ([1,2,3,5,6,7] of A1.2's 7)."""
    out = score(
        cli, assessment({"A1.1": {"score": 3.25}, "A1.2": {"met": [1, 2, 3, 5, 6, 7], "not_applicable": []}})
    )
    # 100 − 0.75 − 4/7 = 98.678571… → 98.68
    assert out["items"]["A1.1"]["points"] == "3.25"
    assert (out["total"], out["result"]) == ("98.68", "pass")


@pytest.mark.parametrize("which", ["fire_safety", "building_safety"])
def test_precondition_non_compliant_fails_full_marks(cli, which):
    """Seed 002 §六(二) / §八(三) 序號1–2: a precondition not met → 不合格 whatever the score;
    reason `precondition_not_met`."""
    out = score(cli, assessment(preconditions={**COMPLIANT, which: "non_compliant"}))
    assert out["total"] == "100.00"
    assert out["result"] == "fail"
    assert codes(out) == ["precondition_not_met"]


def test_precondition_and_threshold_both_reported(cli):
    """Contract: `reasons` lists why a result is fail — both a precondition and the threshold."""
    out = score(
        cli,
        assessment(
            {iid: {"score": 0} for iid in POSTPARTUM},
            preconditions={**COMPLIANT, "fire_safety": "non_compliant"},
        ),
    )
    assert out["result"] == "fail"
    assert sorted(codes(out)) == ["below_threshold", "precondition_not_met"]


@pytest.mark.parametrize(
    "assessed_on, result",
    [
        ("2022-08-15", "pass"),
        ("2022-12-09", "pass"),
        ("2022-12-10", "pass"),
        ("2022-12-11", "fail"),
        ("2023-03-01", "fail"),
    ],
)
@pytest.mark.parametrize("which", ["fire_safety", "building_safety"])
def test_remediation_pending_around_the_deadline(cli, which, assessed_on, result):
    """Seed 002 §六(三): 「須於 111 年 12 月 10 日前完成限期改善或複評符合規定；屆期仍未完成者，
    公告為…不合格」; contract: `remediation_pending` fails "once the remediation deadline
    (111-12-10) has passed", judged at `assessed_on`.

    Reading for 2022-12-10 itself: the deadline day is still within the period (「屆期」 — the
    period has not yet run out until 12-10 ends), so the deadline has not *passed* on 12-10 and
    the institution still passes; from 2022-12-11 on it fails with `precondition_not_met`."""
    out = score(
        cli, assessment(preconditions={**COMPLIANT, which: "remediation_pending"}, assessed_on=assessed_on)
    )
    assert out["total"] == "100.00"
    assert out["result"] == result, (assessed_on, out["result"], out["reasons"])
    if result == "fail":
        assert codes(out) == ["precondition_not_met"]


def test_remediation_pending_defaults_to_today(cli):
    """Contract: `assessed_on` "defaults to today" — today is after 2022-12-10, so a still-pending
    remediation fails."""
    data = assessment(preconditions={**COMPLIANT, "fire_safety": "remediation_pending"})
    del data["assessed_on"]
    out = score(cli, data)
    assert out["result"] == "fail" and codes(out) == ["precondition_not_met"]


def test_remediation_pending_does_not_rescue_a_low_score(cli):
    """Seed 002 附件2 三(一)2: before the deadline the precondition does not fail, but the score does."""
    out = score(
        cli,
        assessment(
            {"C1": {"score": 0}, "C2": {"score": 0}, "B2.3": {"score": 5.994}},
            preconditions={**COMPLIANT, "fire_safety": "remediation_pending"},
            assessed_on="2022-11-01",
        ),
    )
    assert out["result"] == "fail" and codes(out) == ["below_threshold"]


# ---------------------------------------------------------------- bad input (contract "Scoring")


@pytest.mark.parametrize(
    "label, data",
    [
        ("missing item C2", assessment(drop=("C2",))),
        ("missing item A1.1", assessment(drop=("A1.1",))),
        ("unknown item D1", assessment({"D1": {"score": 1}})),
        ("unknown item A3.1", assessment({"A3.1": {"score": 1}})),
        ("score above max A1.1 4.01", assessment({"A1.1": {"score": 4.01}})),
        ("score above max C1 15.01", assessment({"C1": {"score": 15.01}})),
        ("score above max B1.3 (max 5) 6", assessment({"B1.3": {"score": 6}})),
        ("negative score", assessment({"A1.1": {"score": -0.01}})),
        ("grade on a postpartum item", assessment({"A1.1": {"grade": "A"}})),
        ("exempt on a postpartum item", assessment({"A1.1": {"exempt": True}})),
        ("result on a postpartum item", assessment({"A1.1": {"result": "met"}})),
    ],
)
def test_bad_input(cli, label, data):
    """Contract "Scoring": a missing item, an unknown item, a score out of range, a grade the item
    does not have, or an exemption the item does not allow is an error → non-zero exit, nothing on
    stdout, one line on stderr. Postpartum items accept only `score` or `met`."""
    cli.bad_input("score", PID, "@DATA", "--json", data=data)


@pytest.mark.parametrize(
    "label, data",
    [
        ("requirement 8 of A1.2 (it has 7)", assessment({"A1.2": {"met": [1, 2, 8]}})),
        ("requirement 0", assessment({"A1.1": {"met": [0, 1]}})),
        ("B1.5 has only 2 requirements", assessment({"B1.5": {"met": [1, 2, 3]}})),
    ],
)
def test_bad_requirement_numbers(cli, label, data):
    """Contract: `met` lists requirements "numbered as in the seed" (seed 002 附件1: A1.2 has 1–7,
    B1.5 has 1–2). A number the criterion does not have cannot be met; reading: it is an input
    error like an unknown item."""
    cli.bad_input("score", PID, "@DATA", "--json", data=data)


def test_unreadable_input(cli):
    """Contract: bad input → non-zero exit and a one-line message, nothing written."""
    cli.bad_input("score", PID, "@DATA", "--json", raw="{not json")
    cli.bad_input("score", PID, "/nonexistent/assessment.json", "--json")


def test_decimal_points_recorded_exactly(cli):
    """Contract: numbers are computed with decimal arithmetic; a `score` with 2 decimals comes back
    as given (item points) and the sum is exact: 0.1 + 0.2 style sums never drift."""
    items = {iid: {"score": 0} for iid in POSTPARTUM}
    items.update({"A1.1": {"score": 0.1}, "A1.2": {"score": 0.2}, "A2.1": {"score": 0.3}})
    out = score(cli, assessment(items))
    assert out["total"] == "0.60"
    assert out["groups"]["A"] == "0.60"
    assert [out["items"][i]["points"] for i in ("A1.1", "A1.2", "A2.1")] == ["0.10", "0.20", "0.30"]
    assert sum(Decimal(out["groups"][g]) for g in "ABC") == Decimal("0.60")


@pytest.mark.parametrize(
    "label, data",
    [
        ("unknown precondition status", assessment(preconditions={**COMPLIANT, "fire_safety": "maybe"})),
        ("assessed_on not a date", assessment(assessed_on="2022-13-01")),
        ("no items at all", {k: v for k, v in assessment().items() if k != "items"}),
        ("score not a number", assessment({"A1.1": {"score": True}})),
    ],
)
def test_bad_top_level_input(cli, label, data):
    """Contract "Scoring": preconditions are compliant / non_compliant / remediation_pending,
    `assessed_on` is an ISO date, `items` holds every item. Reading: anything else is bad input
    (a status nobody knows must never be silently treated as compliant)."""
    cli.bad_input("score", PID, "@DATA", "--json", data=data)


@pytest.mark.parametrize(
    "label, item",
    [
        ("a requirement listed twice", {"met": [1, 1, 1, 1, 1]}),
        ("a requirement both met and not applicable", {"met": [1, 2, 3, 4], "not_applicable": [4]}),
    ],
)
def test_met_never_exceeds_the_item_maximum(cli, label, item):
    """Contract: an item scores max × met / applicable requirements, and a score may never exceed
    the item's maximum (0 ≤ score ≤ max). A1.1 (4 requirements, max 4) given contradictory `met`
    lists is either refused as bad input or scored at most 4 — never 5 or 16/3."""
    run = cli("score", PID, "@DATA", "--json", data=assessment({"A1.1": item}))
    assert run.crashed is None, run.describe()
    if run.code != 0:
        cli.bad_input("score", PID, "@DATA", "--json", data=assessment({"A1.1": item}))
        return
    import json

    out = json.loads(run.stdout)
    assert Decimal(out["items"]["A1.1"]["points"]) <= 4, out["items"]["A1.1"]
    assert Decimal(out["total"]) <= 100, out["total"]
