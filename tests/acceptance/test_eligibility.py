"""`pingjian eligibility postpartum-111 INSTITUTIONS.json --json`: contract "Eligibility" and seed
002 §五 (targets of the 111 evaluation) with its owner-change note.

Team reading of the output: a list, one object per input institution in input order,
`{"id", "eligible", "clause", "reason"}`; `clause` is "5.1" … "5.4" when eligible, null otherwise
with a reason. 5.2's one year counts the opening day itself (opened 2021-06-01 → target on
2022-05-31; 2021-06-02 → not).
"""

from __future__ import annotations

from typing import Any

import pytest

PID = "postpartum-111"


def inst(iid: str, opened_on: str = "2010-01-01", *, reopened_on: str | None = None,
         evaluations: list[dict] | None = None, revoked: bool = False,
         owner_changes: list[str] | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "id": iid,
        "opened_on": opened_on,
        "reopened_on": reopened_on,
        "evaluations": evaluations or [],
        "revoked": revoked,
        "owner_changes": owner_changes or [],
    }


def ev(year: int, result: str, valid_until: str | None = None) -> dict[str, Any]:
    return {"year": year, "result": result, "valid_until": valid_until}


# (institution, expected clause or None, source)
CASES = [
    (inst("p51", evaluations=[ev(2018, "pass", "2022-12-31")]), "5.1",
     "§五(一) validity runs to 111-12-31"),
    (inst("p51-owner", evaluations=[ev(2018, "pass", "2022-12-31")], owner_changes=["2020-05-01"]), "5.1",
     "§五(一) + 註: owner change at the same site changes nothing"),
    (inst("valid-2023", evaluations=[ev(2019, "pass", "2023-12-31")]), None,
     "§五(一): validity beyond 111 → not a target"),
    (inst("valid-2025", evaluations=[ev(2021, "pass", "2025-12-31")]), None,
     "§五(一): validity beyond 111 → not a target"),
    (inst("new-edge", "2021-06-01"), "5.2",
     "§五(二): 2021-06-01 … 2022-05-31 is one full year counting the opening day"),
    (inst("new-late", "2021-06-02"), None,
     "§五(二): one day short of a year on 2022-05-31"),
    (inst("new-early", "2020-11-15"), "5.2",
     "§五(二): opened well over a year before 111-05-31, never evaluated"),
    (inst("new-owner", "2021-05-01", owner_changes=["2022-01-15"]), "5.2",
     "§五(二) + 註: 各負責人任職期間應合併計算 — the owners' periods add up"),
    (inst("new-late-owner", "2021-06-02", owner_changes=["2021-08-01"]), None,
     "§五(二) + 註: combined period still one day short"),
    (inst("reopened-edge", "2019-03-01", reopened_on="2021-06-01"), "5.2",
     "§五(二): 停業後復業 — counted from the reopening day"),
    (inst("reopened-late", "2019-03-01", reopened_on="2021-06-02"), None,
     "§五(二): reopened less than a year before 111-05-31 (the first opening does not count)"),
    (inst("fail-108", evaluations=[ev(2019, "fail")]), "5.3",
     "§五(三): failed in 108"),
    (inst("fail-110", evaluations=[ev(2021, "fail")]), "5.3",
     "§五(三): failed in 110"),
    (inst("fail-owner", evaluations=[ev(2020, "fail")], owner_changes=["2021-02-01"]), "5.3",
     "§五 註: failed under the previous owner, same site, new owner → still 5.3"),
    (inst("fail-then-valid-2022", evaluations=[ev(2019, "fail"), ev(2020, "pass", "2022-12-31")]), "5.1",
     "§五(三) needs 「111 年不在評鑑合格效期」; in validity to 111-12-31 → 5.1"),
    (inst("fail-then-valid-2023", evaluations=[ev(2019, "fail"), ev(2020, "pass", "2023-12-31")]), None,
     "§五(三): in validity in 111 (to 2023-12-31) → not a target"),
    (inst("revoked", evaluations=[ev(2020, "pass", "2024-12-31")], revoked=True), "5.4",
     "§五(四): a pass revoked (撤銷/廢止) → target even though its validity ran past 111"),
    (inst("revoked-owner", evaluations=[ev(2021, "pass", "2025-12-31")], revoked=True,
          owner_changes=["2022-02-01"]), "5.4",
     "§五(四) + 註"),
]  # fmt: skip


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> list[dict]:
    """All cases in one input file, as the contract's input is a list."""
    from .conftest import Cli

    cli = Cli(tmp_path_factory.mktemp("elig"))
    out = cli.ok_json("eligibility", PID, "@DATA", "--json", data=[c[0] for c in CASES])
    return out


def test_output_is_a_list_in_input_order(batch):
    """Team reading of contract "Eligibility" output: one object per input institution, in input
    order, keys exactly {id, eligible, clause, reason}."""
    assert isinstance(batch, list)
    assert [o["id"] for o in batch] == [c[0]["id"] for c in CASES]
    for o in batch:
        assert set(o) == {"id", "eligible", "clause", "reason"}, o
        assert isinstance(o["eligible"], bool), o


@pytest.mark.parametrize("case", CASES, ids=[c[0]["id"] for c in CASES])
def test_clause(batch, case):
    """Seed 002 §五 (一)–(四) and its 註 (owner change at the same site); see each case's source."""
    institution, clause, source = case
    got = next(o for o in batch if o["id"] == institution["id"])
    if clause is None:
        assert got["eligible"] is False, (source, got)
        assert got["clause"] is None, (source, got)
        assert isinstance(got["reason"], str) and got["reason"].strip(), (source, got)
    else:
        assert got["eligible"] is True, (source, got)
        assert got["clause"] == clause, (source, got)


def test_reopened_after_an_old_evaluation(cli):
    """Seed 002 §五(二): 「停業後復業，尚未接受評鑑」 — a home evaluated (pass, validity to
    2020-12-31) before its suspension, reopened 2021-04-01 and not evaluated since, is a 5.2 target
    on 111-05-31. Reading: 「尚未接受評鑑」 speaks of the time since reopening."""
    out = cli.ok_json(
        "eligibility", PID, "@DATA", "--json",
        data=[inst("reopened-old", "2012-01-01", reopened_on="2021-04-01",
                   evaluations=[ev(2016, "pass", "2020-12-31")])],
    )  # fmt: skip
    assert [(o["id"], o["eligible"], o["clause"]) for o in out] == [("reopened-old", True, "5.2")]


def test_single_institution_and_empty_list(cli):
    """Contract: the input is a list — a one-element list gives a one-element list; an empty list an
    empty list."""
    out = cli.ok_json("eligibility", PID, "@DATA", "--json", data=[inst("one", "2021-06-01")])
    assert len(out) == 1 and out[0]["clause"] == "5.2"
    assert cli.ok_json("eligibility", PID, "@DATA", "--json", data=[]) == []


@pytest.mark.parametrize(
    "label, data",
    [
        ("not a list", inst("x")),
        ("missing id", [{k: v for k, v in inst("x").items() if k != "id"}]),
        ("missing opened_on", [{k: v for k, v in inst("x").items() if k != "opened_on"}]),
        ("bad date", [inst("x", "2021/06/01")]),
        ("impossible date", [inst("x", "2021-02-30")]),
        ("result not pass/fail", [inst("x", evaluations=[ev(2020, "good")])]),
        ("revoked not a bool", [{**inst("x"), "revoked": "yes"}]),
        ("evaluations not a list", [{**inst("x"), "evaluations": "none"}]),
    ],
)
def test_bad_input(cli, label, data):
    """Contract: bad input → non-zero exit, one-line message, nothing written."""
    cli.bad_input("eligibility", PID, "@DATA", "--json", data=data)


def test_unreadable_input(cli):
    """Contract: bad input → non-zero exit, one-line message, nothing written."""
    cli.bad_input("eligibility", PID, "@DATA", "--json", raw="[{")
    cli.bad_input("eligibility", "no-such-program", "@DATA", "--json", data=[inst("x")])
