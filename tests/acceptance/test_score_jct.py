"""`pingjian score aesthetic-clinic-112|cell-therapy-clinic-112 … --json`: contract "Rules per
program" (items I-01 … I-21 / I-24, each met / not_met / not_applicable; pass when no applicable
item is not_met; total = applicable items met, max_total = applicable items, 2 decimals) and seeds
000/001 (21 / 24 查核項目, 成績原則 通過/不通過)."""

from __future__ import annotations

import re

import pytest

from .seed_data import JCT

TWO_DP = re.compile(r"^\d+\.\d{2}$")
NOT_MET_CODES = {"item_not_met", "required_item_not_met"}


def assessment(pid: str, **results: str) -> dict:
    items = {iid: {"result": "met"} for iid in JCT[pid]}
    for key, res in results.items():
        iid = key.replace("_", "-")
        assert iid in items, iid
        items[iid] = {"result": res}
    return {"institution": {"id": "CL-001", "name": "測試診所"}, "items": items}


def score(cli, pid: str, data: dict) -> dict:
    out = cli.ok_json("score", pid, "@DATA", "--json", data=data)
    assert out["program"] == pid
    assert TWO_DP.match(out["total"]) and TWO_DP.match(out["max_total"]), (out["total"], out["max_total"])
    assert (out["result"] == "pass") == (out["reasons"] == []), out["reasons"]
    assert set(out["items"]) == set(JCT[pid])
    for it in out["items"].values():
        assert it["points"] is None or TWO_DP.match(it["points"]), it
    assert isinstance(out["trace"], list) and out["trace"]
    return out


@pytest.mark.parametrize("pid, n", [("aesthetic-clinic-112", "21.00"), ("cell-therapy-clinic-112", "24.00")])
def test_all_met_passes(cli, pid, n):
    """Contract example: `"21.00"`; seeds 000/001: 21 and 24 items, 通過 when all are met."""
    out = score(cli, pid, assessment(pid))
    assert (out["total"], out["max_total"], out["result"], out["reasons"]) == (n, n, "pass", [])


@pytest.mark.parametrize("pid", sorted(JCT))
@pytest.mark.parametrize("which", ["I_01", "I_12", "I_21"])
def test_one_not_met_fails(cli, pid, which):
    """Contract: pass only when no applicable item is not_met; one not_met → fail with a reason
    naming it (`item_not_met` / `required_item_not_met`), total one less than max_total."""
    n = len(JCT[pid])
    out = score(cli, pid, assessment(pid, **{which: "not_met"}))
    assert (out["total"], out["max_total"], out["result"]) == (f"{n - 1}.00", f"{n}.00", "fail")
    assert len(out["reasons"]) == 1
    code = out["reasons"][0].split(":", 1)[0].strip()
    assert code in NOT_MET_CODES, out["reasons"]
    assert which.replace("_", "-") in out["reasons"][0], out["reasons"]


def test_not_applicable_shrinks_max_total(cli):
    """Contract: max_total = number of applicable items; not_applicable items drop out of both
    sides and cannot fail; their points are null (team reading)."""
    pid = "aesthetic-clinic-112"
    out = score(cli, pid, assessment(pid, I_03="not_applicable", I_04="not_applicable"))
    assert (out["total"], out["max_total"], out["result"], out["reasons"]) == ("19.00", "19.00", "pass", [])
    assert out["items"]["I-03"]["points"] is None and out["items"]["I-04"]["points"] is None
    pid = "cell-therapy-clinic-112"
    out = score(cli, pid, assessment(pid, I_24="not_applicable"))
    assert (out["total"], out["max_total"], out["result"]) == ("23.00", "23.00", "pass")


def test_not_applicable_and_not_met(cli):
    """Contract: 2 not applicable + 1 not met of 21 → 18.00 of 19.00 → fail."""
    pid = "aesthetic-clinic-112"
    out = score(cli, pid, assessment(pid, I_03="not_applicable", I_04="not_applicable", I_20="not_met"))
    assert (out["total"], out["max_total"], out["result"]) == ("18.00", "19.00", "fail")


def test_several_not_met_all_reported(cli):
    """Contract: `reasons` lists why a result is fail — each item not met."""
    pid = "cell-therapy-clinic-112"
    out = score(cli, pid, assessment(pid, I_02="not_met", I_22="not_met"))
    assert (out["total"], out["max_total"], out["result"]) == ("22.00", "24.00", "fail")
    joined = " ".join(out["reasons"])
    assert "I-02" in joined and "I-22" in joined, out["reasons"]


@pytest.mark.parametrize(
    "pid, label, change",
    [
        ("aesthetic-clinic-112", "missing I-21", {"drop": "I-21"}),
        ("cell-therapy-clinic-112", "missing I-01", {"drop": "I-01"}),
        ("aesthetic-clinic-112", "unknown I-22 (aesthetic has 21)", {"add": ("I-22", {"result": "met"})}),
        ("cell-therapy-clinic-112", "unknown I-25", {"add": ("I-25", {"result": "met"})}),
        ("aesthetic-clinic-112", "unknown I-1 (not zero-padded)", {"add": ("I-1", {"result": "met"})}),
        ("aesthetic-clinic-112", "result value not offered", {"add": ("I-05", {"result": "partial"})}),
        ("aesthetic-clinic-112", "grade on a result item", {"add": ("I-05", {"grade": "A"})}),
        ("cell-therapy-clinic-112", "score on a result item", {"add": ("I-05", {"score": 1})}),
        ("cell-therapy-clinic-112", "exempt on a result item", {"add": ("I-05", {"exempt": True})}),
    ],
)
def test_bad_input(cli, pid, label, change):
    """Contract "Scoring": missing item, unknown item, a form the item does not accept (JCT items
    take `result` met / not_met / not_applicable), an exemption not allowed → error."""
    data = assessment(pid)
    if "drop" in change:
        del data["items"][change["drop"]]
    else:
        iid, value = change["add"]
        data["items"][iid] = value
    cli.bad_input("score", pid, "@DATA", "--json", data=data)
