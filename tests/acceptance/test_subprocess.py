"""A few cases through the installed `pingjian` script as a real subprocess (the rest of the suite
runs the same click command in-process; `PINGJIAN_ACCEPTANCE_SUBPROCESS=1` runs it all this way).
Contract preamble: `--json` output is UTF-8 on stdout; bad input exits non-zero with a one-line
message, writing nothing."""

from __future__ import annotations

import json

from .seed_data import POSTPARTUM_MAX, PROGRAM_IDS, PSYCH_RES_POINTS


def test_script_is_installed(cli_subprocess):
    """The `pingjian` console script sits next to the interpreter (pyproject `[project.scripts]`)."""
    from .conftest import PINGJIAN

    assert PINGJIAN.exists(), PINGJIAN


def test_programs_list(cli_subprocess):
    """Contract "Program ids": the six programs."""
    out = cli_subprocess.ok_json("programs", "list", "--json")
    assert {p["id"] for p in out} == PROGRAM_IDS


def test_score_70_and_69_99(cli_subprocess):
    """Seed 002 附件2 三: 69.995 → 70.00 pass; 69.994 → 69.99 fail (decimal, half-up, after summing)."""
    for b23, total, result in ((5.995, "70.00", "pass"), (5.994, "69.99", "fail")):
        items = {iid: {"score": int(mx)} for iid, mx in POSTPARTUM_MAX.items()}
        items.update({"C1": {"score": 0}, "C2": {"score": 0}, "B2.3": {"score": b23}})
        data = {
            "institution": {"id": "PP-1", "name": "產後護理之家"},
            "preconditions": {"fire_safety": "compliant", "building_safety": "compliant"},
            "assessed_on": "2022-08-15",
            "items": items,
        }
        out = cli_subprocess.ok_json("score", "postpartum-111", "@DATA", "--json", data=data)
        assert (out["total"], out["result"]) == (total, result)


def test_score_output_is_utf8(cli_subprocess):
    """Contract: `--json` output is UTF-8 — the Chinese trace survives a subprocess pipe."""
    data = {
        "institution": {"id": "R-1", "name": "康復之家"},
        "items": {iid: {"grade": "A"} for iid in PSYCH_RES_POINTS},
    }
    run = cli_subprocess("score", "psych-rehab-residential-107", "@DATA", "--json", data=data)
    assert run.code == 0, run.describe()
    out = json.loads(run.stdout)
    assert out["total"] == "100.00"


def test_eligibility(cli_subprocess):
    """Seed 002 §五(二): opened 2021-06-01 → 5.2; 2021-06-02 → not a target."""
    data = [
        {
            "id": a,
            "opened_on": d,
            "reopened_on": None,
            "evaluations": [],
            "revoked": False,
            "owner_changes": [],
        }
        for a, d in (("a", "2021-06-01"), ("b", "2021-06-02"))
    ]
    out = cli_subprocess.ok_json("eligibility", "postpartum-111", "@DATA", "--json", data=data)
    assert [(o["id"], o["eligible"], o["clause"]) for o in out] == [("a", True, "5.2"), ("b", False, None)]


def test_calendar(cli_subprocess):
    """Contract "Deadlines" example output and a make-up Saturday."""
    out = cli_subprocess.ok_json(
        "calendar", "deadline", "2023-06-08", "14", "--regime", "administrative", "--json"
    )
    assert out == {"date": "2023-06-26", "roc": "112/06/26"}
    out = cli_subprocess.ok_json("calendar", "workdays", "2023-06-16", "1", "--json")
    assert out == {"date": "2023-06-17", "roc": "112/06/17"}


def test_bad_inputs_one_line(cli_subprocess):
    """Contract: non-zero exit, nothing on stdout, one line on stderr — including usage errors."""
    cli_subprocess.bad_input(
        "calendar", "deadline", "2035-03-01", "10", "--regime", "administrative", "--json"
    )
    cli_subprocess.bad_input(
        "calendar", "deadline", "2023-06-08", "ten", "--regime", "administrative", "--json"
    )
    cli_subprocess.bad_input(
        "score", "postpartum-111", "@DATA", "--json", data={"items": {"A1.1": {"score": 9}}}
    )
    cli_subprocess.bad_input("eligibility", "postpartum-111", "@DATA", "--json", raw="not json")
    cli_subprocess.bad_input("programs", "show", "nope", "--json")
