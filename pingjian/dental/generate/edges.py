"""Hand-made claim lines for the edges the contract names (day 730/731, the 13th birthday, …)."""

from __future__ import annotations

import numpy as np

from pingjian.dental.generate.catalogue import CODE_INDEX, CONSULT
from pingjian.dental.generate.claims import Chunk
from pingjian.dental.generate.dates import add_years, from_days, month_start, to_days
from pingjian.dental.generate.population import Population
from pingjian.rules.roc import Quarter


def edge_rows(
    pop: Population, quarter: Quarter, claim_base: int, patient_base: int, crafted_doctor: int
) -> tuple[Chunk, np.ndarray]:
    """Hand-made lines for the edges the contract names. Returns the lines and the birth dates of the
    extra patients (numbered from patient_base)."""
    qs = quarter.start
    qs_d = to_days(qs)
    roles = pop.roles
    A, B, C = roles["edge_a"], roles["edge_b"], roles["edge_c"]
    # claim, clinic, doctor, patient, date, code, tooth, surfaces, quantity, points
    rows: list[tuple[int, ...]] = []
    births: list[int] = []
    claim = [claim_base]

    def doctor_of(c: int) -> int:
        return int(pop.roster_doctor[np.searchsorted(pop.roster_cum, c + 1e-9, side="right")])

    def patient(birth: int | None = None) -> int:
        births.append(birth if birth is not None else qs_d - 40 * 365)
        return patient_base + len(births) - 1

    def case(
        clinic: int,
        p: int,
        day: int,
        lines: list[tuple[str, int, int | None, int | None]],
        doctor: int | None = None,
        consult: bool = True,
    ) -> None:
        cid = claim[0]
        claim[0] += 1
        d = doctor if doctor is not None else doctor_of(clinic)
        if consult:
            rows.append((cid, clinic, d, p, day, CODE_INDEX[CONSULT[0]], 0, 0, 1, CONSULT[1]))
        for code, pts, tooth, surf in lines:
            rows.append((cid, clinic, d, p, day, CODE_INDEX[code], tooth or 0, surf or 0, 1, pts))

    qd = qs_d + 20
    d0 = qs_d - 100
    od = ("89002C", 660, None, 2)

    def od_line(tooth: int) -> list[tuple[str, int, int | None, int | None]]:
        return [(od[0], od[1], tooth, od[3])]

    # same-day lines at two clinics: the latest earlier date has a line at the same clinic → s8
    p = patient()
    case(A, p, d0, od_line(16))
    case(B, p, d0, od_line(16))
    case(A, p, qd, od_line(16))
    # ... and at neither → s9 for C
    p = patient()
    case(A, p, d0, od_line(26))
    case(B, p, d0, od_line(26))
    case(C, p, qd, od_line(26))
    # day 730 counts (other clinic → s9), day 731 does not (but 1095 does → s19 own clinic)
    p = patient()
    case(B, p, qd - 730, od_line(11))
    case(A, p, qd, od_line(11))
    p = patient()
    case(A, p, qd - 731, od_line(21))
    case(A, p, qd, od_line(21))
    p = patient()
    case(A, p, qd - 1095, od_line(31))
    case(A, p, qd, od_line(31))
    p = patient()
    case(A, p, qd - 1096, od_line(41))
    case(A, p, qd, od_line(41))
    # the most recent earlier date decides: own clinic at −700, other at −300 → s9
    p = patient()
    case(A, p, qd - 700, od_line(14))
    case(B, p, qd - 300, od_line(14))
    case(A, p, qd, od_line(14))
    # none within 730, the most recent within 1095 is the own clinic → s19
    p = patient()
    case(B, p, qd - 900, od_line(15))
    case(A, p, qd - 800, od_line(15))
    case(A, p, qd, od_line(15))
    # same day, two clinics, nothing earlier → no refill anywhere
    p = patient()
    case(B, p, qd, od_line(17))
    case(A, p, qd, od_line(17))
    # s14: a scaling 180 days before counts, 181 does not
    p = patient()
    case(B, p, qd - 180, [("91004C", 600, None, None)])
    case(A, p, qd, [("91004C", 600, None, None)])
    p = patient()
    case(A, p, qd - 181, [("91004C", 600, None, None)])
    case(A, p, qd, [("91004C", 600, None, None)])
    # s17: same clinic, patient and tooth within 1..180 days; special fund out, 892xx minus 400
    p = patient()
    case(A, p, qd - 181, [("90015C", 500, 46, None)])
    case(A, p, qd - 180, [("89001C", 460, 46, 1)])
    case(A, p, qd - 30, [("89204C", 1000, 46, 1)])
    case(A, p, qd - 20, [("P7303C", 600, 46, None)])
    case(B, p, qd - 10, [("90001C", 1400, 46, None)])
    case(A, p, qd, [("92014C", 1100, 46, None)])
    # an extraction without a tooth counts 0 in the mean
    p = patient()
    case(A, p, qd + 3, [("92013C", 600, None, None)])
    # age 12 at the visit: the 13th birthday counts, the day before does not
    visit = from_days(qd + 5)
    p = patient(to_days(add_years(visit, -13)))
    case(A, p, qd + 5, [("00121C", 250, None, None), ("34001C", 200, None, None)], consult=False)
    p = patient(to_days(add_years(visit, -13)) + 1)
    case(A, p, qd + 5, [("00121C", 250, None, None)], consult=False)  # a child's exam-only claim: no case
    # a special-fund-only claim: no case
    p = patient()
    case(A, p, qd + 6, [("P7302C", 500, None, None)], consult=False)
    # a 892xx line under 400 points → 0, never negative; P3601C
    p = patient()
    case(A, p, qd + 7, [("89204C", 300, 47, 1), ("P3601C", 400, None, None)])

    # the zero-points clinic: only P3601C and special-fund lines in the quarter
    zp = roles["zero_points"]
    for i in range(6):
        p = patient()
        case(zp, p, qs_d + 3 + i, [("P3601C", 400, None, None)], consult=False)
        case(zp, p, qs_d + 40 + i, [("P7302C", 500, None, None)], consult=False)

    # s1 exactly 200,000 (one doctor, one month) at a clinic with 44 sessions → excluded (九, ≤ 200,000)
    ex = roles["exact_s1_200k"]
    for i in range(100):  # 100 cases of 260 + 1,740 = 2,000 points in the quarter's first month
        p = patient()
        case(ex, p, qs_d + (i % 28), [("89003C", 910, 36, 3), ("90001C", 830, 36, None)])
    for i in range(20):  # second month: less
        p = patient()
        case(ex, p, qs_d + 35 + (i % 20), [("91004C", 600, None, None)])

    # cross-region doctor with T exactly 150,000 (→ 3), 100,001 (→ 3) and 100,000 (→ nothing);
    # lines outside the region do not count in T; special-fund lines do
    host = roles["cross_host"]
    xd = crafted_doctor
    months = [qs_d, to_days(month_start(qs, 1)), to_days(month_start(qs, 2))]
    for m, target in zip(months, (150_000, 100_001, 100_000), strict=True):
        full, rest = divmod(target, 5_000)
        for i in range(full):  # cases of 260 + 4,740; every fifth a special-fund line (counts in T)
            p = patient()
            code = "P7101C" if i % 5 == 0 else "P4002C"
            case(host, p, m + (i % 25), [(code, 4_740, None, None)], doctor=xd)
        if rest:
            p = patient()
            case(host, p, m + 26, [("P4001C", rest, None, None)], doctor=xd, consult=False)
    other = pop.roles.get("other_first")
    if other is not None:
        p = patient()
        case(other, p, qs_d + 5, [("P4002C", 90_000, None, None)], doctor=xd)

    arr = np.array(rows, dtype=np.int64)
    chunk = Chunk(
        claim=arr[:, 0],
        clinic=arr[:, 1],
        doctor=arr[:, 2],
        patient=arr[:, 3],
        date=arr[:, 4],
        code=arr[:, 5],
        tooth=arr[:, 6].astype(np.int16),
        surfaces=arr[:, 7].astype(np.int32),
        quantity=arr[:, 8].astype(np.int32),
        points=arr[:, 9],
    )
    return chunk, np.array(births, dtype=np.int64)
