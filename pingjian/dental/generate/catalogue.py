"""The order codes (醫令) the generator draws from: categories, points, surfaces, base mix."""

from __future__ import annotations

import numpy as np

# (code, points, surfaces or 0, tooth-level, relative weight inside its category)
CATEGORIES: dict[str, list[tuple[str, int, int, bool, float]]] = {
    "OD1": [
        ("89001C", 460, 1, True, 5),
        ("89004C", 520, 1, True, 3),
        ("89008C", 560, 1, True, 2),
        ("89011C", 600, 1, True, 1),
    ],
    "ODM": [
        ("89002C", 660, 2, True, 5),
        ("89003C", 910, 3, True, 3),
        ("89005C", 720, 2, True, 2),
        ("89006C", 1050, 4, True, 1),
        ("89010C", 980, 3, True, 1),
        ("89015C", 1260, 5, True, 0.4),
    ],
    "OD892": [("89204C", 860, 1, True, 4), ("89205C", 1040, 2, True, 3), ("89206C", 1310, 3, True, 1)],
    "RCT": [("90015C", 500, 0, True, 1)],
    "RCF": [
        ("90001C", 1400, 0, True, 3),
        ("90002C", 1900, 0, True, 2),
        ("90003C", 2600, 0, True, 1),
        ("90016C", 1500, 0, True, 0.5),
        ("90018C", 2000, 0, True, 0.3),
        ("90019C", 2400, 0, True, 0.3),
        ("90020C", 2900, 0, True, 0.2),
    ],
    "ENDO9": [
        ("90091C", 1200, 0, True, 2),
        ("90092C", 1500, 0, True, 1),
        ("90093C", 1800, 0, True, 1),
        ("90094C", 1000, 0, True, 0.5),
        ("90095C", 900, 0, True, 0.5),
        ("90096C", 2200, 0, True, 0.3),
        ("90097C", 1600, 0, True, 0.3),
        ("90098C", 2400, 0, True, 0.2),
        ("90009C", 700, 0, True, 1),
    ],
    "ENDOX": [("90004C", 350, 0, True, 2), ("90005C", 300, 0, True, 2), ("90012C", 800, 0, True, 1)],
    "EXT": [("92013C", 600, 0, True, 1)],
    "EXTD": [
        ("92014C", 1100, 0, True, 3),
        ("92015C", 1400, 0, True, 2),
        ("92016C", 2000, 0, True, 1),
        ("92063C", 2600, 0, True, 0.5),
    ],
    "SCALE": [("91004C", 600, 0, False, 4), ("91003C", 600, 0, False, 1)],
    "PERIO": [("P4001C", 1400, 0, False, 2), ("P4002C", 5000, 0, False, 1), ("P4003C", 1500, 0, False, 1)],
    "FUND": [
        ("P7101C", 500, 0, False, 2),
        ("P7102C", 500, 0, False, 1),
        ("P7302C", 500, 0, False, 2),
        ("P7303C", 600, 0, False, 1),
    ],
    "P36": [("P3601C", 400, 0, False, 1)],
    "OTHER": [
        ("34001C", 200, 0, False, 5),
        ("92001C", 150, 0, False, 3),
        ("34004C", 450, 0, False, 1),
        ("91001C", 300, 0, False, 1),
    ],
}
CAT_NAMES = list(CATEGORIES)
# base share of each category among treatment lines (OD ≈ 0.5 of them → ≈ 31 % of all lines)
BASE_MIX = {
    "OD1": 0.18,
    "ODM": 0.19,
    "OD892": 0.06,
    "RCT": 0.03,
    "RCF": 0.024,
    "ENDO9": 0.012,
    "ENDOX": 0.025,
    "EXT": 0.04,
    "EXTD": 0.01,
    "SCALE": 0.12,
    "PERIO": 0.01,
    "FUND": 0.02,
    "P36": 0.006,
    "OTHER": 0.14,
}
LINES_PER_CASE = 2.75  # one consultation line + treatments (adults at least one)
CONSULT = ("00129C", 260)
ORAL_EXAM = ("00121C", 250)

PERMANENT_TEETH = np.array([10 * q + i for q in (1, 2, 3, 4) for i in range(1, 9)], dtype=np.int16)
PRIMARY_TEETH = np.array([10 * q + i for q in (5, 6, 7, 8) for i in range(1, 6)], dtype=np.int16)


CodeTables = tuple[list[str], np.ndarray, np.ndarray, np.ndarray, dict[str, tuple[np.ndarray, np.ndarray]]]


def _code_tables() -> CodeTables:
    codes: list[str] = [CONSULT[0], ORAL_EXAM[0]]
    points = [CONSULT[1], ORAL_EXAM[1]]
    surfaces = [0, 0]
    tooth_level = [False, False]
    per_cat: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for cat, entries in CATEGORIES.items():
        idx, w = [], []
        for code, pts, surf, tl, weight in entries:
            idx.append(len(codes))
            codes.append(code)
            points.append(pts)
            surfaces.append(surf)
            tooth_level.append(tl)
            w.append(weight)
        wa = np.array(w, dtype=float)
        per_cat[cat] = (np.array(idx), wa / wa.sum())
    return codes, np.array(points, np.int64), np.array(surfaces, np.int32), np.array(tooth_level), per_cat


CODES, CODE_POINTS, CODE_SURFACES, CODE_TOOTH_LEVEL, CAT_CODES = _code_tables()
CODE_INDEX = {c: i for i, c in enumerate(CODES)}
