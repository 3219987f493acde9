"""Synthetic NHI dental claims for `dental-south-113` (合成牙醫申報資料).

Writes `claims`, `clinics`, `doctors` and `clinic_quarter` exactly in the contract's formats
(`../shared/docs/contracts/dental-south-113.md`), deterministic for a seed. Everything is drawn
vectorised with numpy and written one quarter at a time with pyarrow, so 1× (1,200 clinics,
13 quarters, ~39 M lines) stays within a few hundred MB of memory.

What the data holds, on purpose:

- clinics of the region and of five other regions (one in six of N), hospitals, clinics opened
  during the look-back, new clinics (opened < 365 days before the quarter's end, including the
  364/365-day edge), a closed clinic and one not yet open (both of the region, no lines in Q);
- per clinic a patient pool with home-clinic loyalty, a procedure mix drawn around a base mix
  (OD 89xxx ≈ 31 % of lines incl. 892xx, endodontics with 90015C/rcf/9009x, extractions,
  scaling, oral exams incl. children ≤ 12, special-fund, P3601C, P4001C–P4003C), per patient
  two "problem teeth" that concentrate tooth-level work so that refills cross clinics and years;
- cross-region doctors (some specialists) with heavy months at one or several clinics, a clinic
  with enough 4-point doctors to hit the 12 cap and one with only 3-point doctors for the 9 cap;
- outreach sessions, `unimproved_after_agreement`, clinics with ≥ 44 sessions and low s1 (rule 九),
  a clinic without a `clinic_quarter` row for the quarter, rows for the previous quarter;
- edge rows (see `edges.py`): zero denominators, exact ties (a twin clinic), same-day lines at two
  clinics, day 730/731 and 1095/1096 and 180/181 boundaries, the 13th birthday, special-fund-only
  and child-exam-only claims, a 892xx line under 400 points, cross-region T of exactly 100,000 and
  150,000, s1 of exactly 200,000 with 44 sessions.

`roles(...)` tells which clinic plays which part, so tests can find them.

Modules: `catalogue` (the order codes and the base mix), `population` (clinics, doctors, patient
pools, roles), `claims` (one quarter of claim lines, drawn vectorised), `edges` (the hand-made
edge lines), `files` (the four files' schemas and writers), `dataset` (`generate`, which runs
them in order — the order of the random draws is what makes a seed's files the same).
"""

from pingjian.dental.generate.claims import Chunk, generate_quarter
from pingjian.dental.generate.dataset import GenerateResult, generate, roles_by_id
from pingjian.dental.generate.dates import target_quarter
from pingjian.dental.generate.population import Population, build_population

__all__ = [
    "Chunk",
    "GenerateResult",
    "Population",
    "build_population",
    "generate",
    "generate_quarter",
    "roles_by_id",
    "target_quarter",
]
