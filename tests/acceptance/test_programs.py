"""`pingjian programs list|show --json` against the contract's "Program ids" section and the seeds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from .seed_data import (
    CRITERIA_COUNTS,
    DENTAL_INDICATORS,
    JCT,
    POSTPARTUM,
    PROGRAM_IDS,
    PSYCH,
)

ITEM_KEYS = {"id", "title", "group", "max_points", "forms", "requirements", "exemptable", "key"}


@pytest.fixture(scope="module")
def shows() -> dict[str, dict]:
    """`programs show ID --json` for every program, run once for the module."""
    import json

    from .conftest import ALWAYS_SUBPROCESS, run_in_process, run_subprocess

    out = {}
    for pid in sorted(PROGRAM_IDS):
        run = (run_subprocess if ALWAYS_SUBPROCESS else run_in_process)(["programs", "show", pid, "--json"])
        assert run.code == 0 and run.crashed is None, run.describe()
        out[pid] = json.loads(run.stdout)
    return out


def test_list_has_exactly_the_six_programs_with_criteria_counts(cli):
    """Contract "Program ids": list gives ids, titles, versions and criteria counts; issue 2 "Done
    when": 21 and 24 (JCT, seeds 000/001), 16 (postpartum, seed 002 附件2 一), 23 and 25 (seed 003
    章節配分: day 12 + 11, residential 12 + 13)."""
    listed = cli.ok_json("programs", "list", "--json")
    assert isinstance(listed, list)
    ids = [p["id"] for p in listed]
    assert len(ids) == len(set(ids)) == 6
    assert set(ids) == PROGRAM_IDS
    for p in listed:
        assert p.get("title"), p
        assert "version" in p and p["version"] not in (None, ""), p
        assert "criteria" in p, p
    counts = {p["id"]: p["criteria"] for p in listed}
    for pid, n in CRITERIA_COUNTS.items():
        assert counts[pid] == n, (pid, counts[pid])


def test_versions_match_the_seed_years(cli):
    """Contract program ids end in the ROC year of the seed: 112 (JCT, seed 001 is dated 112),
    111 (seed 002), 107 (seed 003), 113 (seed 004)."""
    listed = cli.ok_json("programs", "list", "--json")
    for p in listed:
        assert str(p["version"]) == p["id"].rsplit("-", 1)[1], p


@pytest.mark.parametrize("pid", sorted(CRITERIA_COUNTS))
def test_show_items_have_the_contract_keys(shows, pid):
    """Contract "Program ids": items are `{id, title, group, max_points, forms, requirements,
    exemptable, key}`; `requirements` a count or null; `exemptable`, `key` booleans."""
    d = shows[pid]
    assert d["id"] == pid and d.get("title") and "version" in d
    items = d["items"]
    assert isinstance(items, list) and len(items) == CRITERIA_COUNTS[pid]
    for item in items:
        assert set(item) >= ITEM_KEYS, (pid, item.get("id"), ITEM_KEYS - set(item))
        assert item["requirements"] is None or (
            isinstance(item["requirements"], int) and not isinstance(item["requirements"], bool)
        ), item
        assert isinstance(item["exemptable"], bool) and isinstance(item["key"], bool), item
        assert isinstance(item["forms"], list) and item["forms"], item
        assert item["title"], item
    assert len({i["id"] for i in items}) == len(items)


def test_postpartum_items_groups_maxima_requirements(shows):
    """Contract "postpartum-111" item maxima (A1.1 4 … C2 15; groups A 20, B 50, C 30) and seed 002
    附件1: the numbered requirements of each 基準 (A1.2 has 7, B1.5 2, C2 4 …); forms score/met."""
    items = {i["id"]: i for i in shows["postpartum-111"]["items"]}
    assert set(items) == set(POSTPARTUM)
    for iid, (group, mx, reqs) in POSTPARTUM.items():
        it = items[iid]
        assert it["group"] == group, (iid, it["group"])
        assert Decimal(str(it["max_points"])) == mx, (iid, it["max_points"])
        assert it["requirements"] == reqs, (iid, it["requirements"])
        assert set(it["forms"]) == {"score", "met"}, (iid, it["forms"])
        assert it["exemptable"] is False and it["key"] is False, iid
    totals: dict[str, Decimal] = {}
    for it in items.values():
        totals[it["group"]] = totals.get(it["group"], Decimal(0)) + Decimal(str(it["max_points"]))
    assert totals == {"A": 20, "B": 50, "C": 30}


@pytest.mark.parametrize("pid", sorted(PSYCH))
def test_psych_item_points_ace_exempt_key(shows, pid):
    """Seed 003 「各條文配分」 tables (day 37 + 29, residential 37 + 30), the A/C/E-only items of the
    detail pages, residential 3.5 可 (exemptable) and 3.11 重 (key); day has neither (— in 章節配分)."""
    points, ace = PSYCH[pid]
    items = {i["id"]: i for i in shows[pid]["items"]}
    assert set(items) == set(points)
    for iid, pts in points.items():
        it = items[iid]
        assert Decimal(str(it["max_points"])) == pts, (iid, it["max_points"])
        assert set(it["forms"]) - {"exempt"} == {"grade"}, (iid, it["forms"])
        if it.get("grades") is not None:  # not a contract key; checked when the definition shows it
            expected = ["A", "C", "E"] if iid in ace else ["A", "B", "C", "D", "E"]
            assert list(it["grades"]) == expected, (iid, it["grades"])
        if not it["exemptable"]:
            assert "exempt" not in it["forms"], (iid, it["forms"])
    residential = pid.endswith("residential-107")
    exemptable = {i for i, it in items.items() if it["exemptable"]}
    keys = {i for i, it in items.items() if it["key"]}
    assert exemptable == ({"3.5"} if residential else set())
    assert keys == ({"3.11"} if residential else set())
    ch2 = sum(Decimal(str(it["max_points"])) for i, it in items.items() if i.startswith("2."))
    ch3 = sum(Decimal(str(it["max_points"])) for i, it in items.items() if i.startswith("3."))
    assert (ch2, ch3) == ((37, 30) if residential else (37, 29))


def test_residential_3_5_forms_include_exempt(shows):
    """Contract "Program ids": `forms` are "the input forms the item accepts"; contract "Scoring":
    the forms are score / met / grade / result, "or `exempt` where the criterion allows exemption";
    seed 003 residential 3.5 is 可 (exemptable), so its forms are grade and exempt."""
    items = {i["id"]: i for i in shows["psych-rehab-residential-107"]["items"]}
    assert items["3.5"]["exemptable"] is True
    assert set(items["3.5"]["forms"]) == {"grade", "exempt"}, items["3.5"]["forms"]


@pytest.mark.parametrize("pid", sorted(PSYCH))
def test_psych_ace_items_refuse_b_and_d(cli, pid):
    """Seed 003 detail pages: 3.1, 3.2, 3.5, 3.6, day 3.7 / residential 3.8, day 3.9 / residential
    3.10 and residential 3.11 have only A, C, E; contract: "a grade the item does not have" is an
    error. (Checked through `score`, since `show` does not fix how grades are listed.)"""
    points, ace = PSYCH[pid]
    for iid in sorted(ace):
        for grade in ("B", "D"):
            items = {i: {"grade": "A"} for i in points}
            items[iid] = {"grade": grade}
            cli.bad_input("score", pid, "@DATA", "--json", data={"institution": {"id": "x"}, "items": items})
    # and the A–E items take B and D
    others = sorted(set(points) - ace)
    items = {i: {"grade": "A"} for i in points}
    for n, iid in enumerate(others):
        items[iid] = {"grade": "B" if n % 2 else "D"}
    cli.ok_json("score", pid, "@DATA", "--json", data={"institution": {"id": "x"}, "items": items})


@pytest.mark.parametrize("pid", sorted(JCT))
def test_jct_items_are_numbered_in_order(shows, pid):
    """Contract: JCT items `I-01` … `I-21` / `I-24`, judged met / not_met / not_applicable; seeds
    000/001 name the two parts 壹、機構運作與管理 and 貳、專業及安全的醫療作業."""
    items = shows[pid]["items"]
    assert [i["id"] for i in items] == JCT[pid]
    for it in items:
        assert set(it["forms"]) == {"result"}, it
        assert it["exemptable"] is False, it
    assert len({i["group"] for i in items}) == 2, {i["group"] for i in items}


def test_dental_lists_the_seed_indicators(shows):
    """Seed 004 「28 項指標」 (its list runs s1 … s29) and contract dental-south-113 "Indicators":
    each appears in the program definition."""
    d = shows["dental-south-113"]
    ids = {i["id"] for i in d.get("indicators", [])} | {i["id"] for i in d.get("items", [])}
    missing = [s for s in DENTAL_INDICATORS if s not in ids]
    assert not missing, missing


def test_show_unknown_program_is_an_error(cli):
    """Contract: bad input → non-zero exit, one-line message, nothing written."""
    cli.bad_input("programs", "show", "postpartum-112", "--json")
    cli.bad_input("score", "no-such-program", "@DATA", "--json", data={"items": {}})
