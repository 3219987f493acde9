"""Round-2 helpers for the dental-south-113 hand-computed fixtures (contract
`/work/shared/docs/contracts/dental-south-113.md`). Like `_build.py` they only build input files,
run the `pingjian dental` command and read its CSV; they know nothing of the engine's code.

Filler clinics: a filler sits strictly above every "plain" clinic on every ranked indicator
(s1, s2, s3, s5, s7, s9, s10, s11, s21, oral_exam), so that with F fillers among N clinics
(F/N > 15 %) a plain clinic never reaches PR 85 and earns only the absolute rules.
One filler, per date given (tooth 11, 12, … one per date):
  claim 1: 00121C 1,000 + 89001C 1,000 (5 surfaces); claim 2: 01271C 1,998,000; one adult patient;
  a north clinic holds an OD line of the same patient and tooth 96 days before.
  → points 2,000,000 = s1 = s2; s3 0.05; s5 1; s7 5; s9 = s10 = s21 100; s11 100; oral_exam 50;
    od_teeth 1; s25 0; avg_case_points 1,000,000 (flag `reference`).
  Points when it shares every top with the other fillers only: 三.2 1, 三.4 4 (s25 < 1, s1 ≥ 550k),
  三.5 3, 四.1 s2 4 + s5 4 + s7 4, 四.2 s1 s3 s9 s10 s11 = 10 → 30, level 5.
Plain clinic: 01271C cases plus one 90012C line of 100 points (ENDO for s11, so s11 < 100, and not
in s25 — reading 18); no OD, exam, scaling, rcf or extraction unless a test adds them.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

from ._build import Data, expect_row, run

X = ("90012C", 100)  # ENDO line of a plain clinic (s11 < 100; not in s25)
HIST = "ZN"  # north clinic holding the fillers' OD history
FILLER_RULES = {"r3_2": 1, "r3_4": 4, "r3_5": 3, "r4_1": 12, "r4_2": 10}


def day(s: str, delta: int = 0) -> str:
    return (dt.date.fromisoformat(s) + dt.timedelta(days=delta)).isoformat()


def filler(d: Data, cid: str, dates=("2024-11-05",), cq_quarters=("2024Q4",)):
    """A filler clinic (see the module docstring), one set of claims per date."""
    if not any(c["clinic_id"] == HIST for c in d.clinics):
        d.clinic(HIST, region="north")
    d.clinic(cid, quarter_row=False)
    for q in cq_quarters:
        cq_row(d, cid, q)
    for i, date in enumerate(dates):
        tooth = str(11 + i)
        pat = f"P{cid}"
        d.claim(cid, f"D{cid}", pat, date, [("00121C", 1000), ("89001C", 1000, tooth, 5)])
        d.claim(cid, f"D{cid}", pat, date, [("01271C", 1_998_000)])
        d.claim(HIST, "DZN", pat, day(date, -96), [("89001C", 500, tooth, 1)])


def cq_row(d: Data, cid: str, quarter: str, sessions=20.0, outreach=0, unimproved=False):
    d.cq.append(
        dict(
            clinic_id=cid,
            quarter=quarter,
            sessions_per_month=sessions,
            outreach_sessions_year=outreach,
            unimproved_after_agreement=str(unimproved).lower(),
        )
    )


def cases(d: Data, clinic, doctor, patient, total, date, per_case=1400, first=()):
    """Claims (cases) of ONE patient at `clinic` by `doctor` on `date` whose claimed points sum to
    exactly `total`: `first` lines go into the first case, the rest is 01271C lines of at most
    `per_case` points, one case each. Returns the number of cases."""
    rest = total - sum(ln[1] for ln in first)
    assert rest >= 0
    n = max(1, -(-rest // per_case))
    base, extra = divmod(rest, n)
    for i in range(n):
        lines = [("01271C", base + (1 if i < extra else 0))]
        if i == 0:
            lines = list(first) + lines
        d.claim(clinic, doctor, patient, date, lines)
    return n


def cli(args: list[str], out: Path):
    """Run `pingjian <args> --out out` and read the score CSV: (exit code, stderr, rows, header)."""
    r = run(args, out)
    return r.code, r.stderr, r.rows, r.header


def score_run(data: Path, out: Path, quarter="2024Q4", *extra: str):
    code, se, rows, _ = cli(["dental", "score", "--data", str(data), "--quarter", quarter, *extra], out)
    assert code == 0, se
    return rows, se


def level_of(total) -> int:
    """Contract 'Levels' table written out by hand; for half-year / year runs the bands read as
    "at least the lower bound" (0 below 1, 1 from 1, 2 from 5, 3 from 10, 4 from 16, 5 from 20)."""
    for lower, lvl in ((20, 5), (16, 4), (10, 3), (5, 2), (1, 1)):
        if total >= lower:
            return lvl
    return 0


def num(v: str):
    """A CSV cell as an exact Fraction (None for an empty cell)."""
    return None if v == "" else Fraction(v)


def rule_diff(row: dict, rules: dict[str, int] | None, flags: str = "") -> dict:
    """Differences between an output row and hand-computed rule points (missing rules = 0);
    rules=None means excluded by 九 (empty points, level and rule columns; flags still written)."""
    got, want = expect_row(row, rules or {}, flags, excluded=rules is None)
    return {k: (got[k], want[k]) for k in want if got[k] != want[k]}


def check_all(rows: dict, expected: dict, flags: dict | None = None, only=None) -> dict:
    """{clinic: differences} for every expected clinic (or those in `only`) that disagrees."""
    flags = flags or {}
    bad = {}
    for c, rules in expected.items():
        if only is not None and c not in only:
            continue
        if c not in rows:
            bad[c] = "missing"
            continue
        diff = rule_diff(rows[c], rules, flags.get(c, ""))
        if diff:
            bad[c] = diff
    return bad
