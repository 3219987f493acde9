"""Facts read off the seeds and the contract by hand (not from the program files).

Each table names where it comes from, so a disagreement can be traced to its source.
"""

from __future__ import annotations

from decimal import Decimal

PROGRAM_IDS = {
    "aesthetic-clinic-112",
    "cell-therapy-clinic-112",
    "postpartum-111",
    "psych-rehab-day-107",
    "psych-rehab-residential-107",
    "dental-south-113",
}

# issue 2 "Done when" + contract "Program ids"; seeds 000/001 (21 / 24 項), seed 002 附件2 一 (16 項),
# seed 003 章節配分 (day 12 + 11 = 23, residential 12 + 13 = 25).
CRITERIA_COUNTS = {
    "aesthetic-clinic-112": 21,
    "cell-therapy-clinic-112": 24,
    "postpartum-111": 16,
    "psych-rehab-day-107": 23,
    "psych-rehab-residential-107": 25,
}

# Postpartum-111: item -> (group, contract max points, number of numbered requirements in seed 002 附件1).
POSTPARTUM = {
    "A1.1": ("A", 4, 4),
    "A1.2": ("A", 4, 7),
    "A2.1": ("A", 4, 6),
    "A2.2": ("A", 4, 3),
    "A2.3": ("A", 4, 3),
    "B1.1": ("B", 6, 5),
    "B1.2": ("B", 6, 3),
    "B1.3": ("B", 5, 3),
    "B1.4": ("B", 5, 3),
    "B1.5": ("B", 5, 2),
    "B1.6": ("B", 6, 3),
    "B2.1": ("B", 6, 6),
    "B2.2": ("B", 5, 3),
    "B2.3": ("B", 6, 3),
    "C1": ("C", 15, 4),
    "C2": ("C", 15, 4),
}
POSTPARTUM_MAX = {k: Decimal(v[1]) for k, v in POSTPARTUM.items()}

# Seed 003 「各條文配分-日間型」 table.
PSYCH_DAY_POINTS = {
    "2.1": 4, "2.2": 4, "2.3": 4, "2.4": 4, "2.5": 2, "2.6": 4,
    "2.7": 3, "2.8": 2, "2.9": 2, "2.10": 2, "2.11": 2, "2.12": 4,
    "3.1": 2, "3.2": 3, "3.3": 3, "3.4": 4, "3.5": 3, "3.6": 3,
    "3.7": 3, "3.8": 2, "3.9": 2, "3.10": 2, "3.11": 2,
}  # fmt: skip
# Seed 003 「各條文配分-住宿型」 table.
PSYCH_RES_POINTS = {
    "2.1": 4, "2.2": 4, "2.3": 6, "2.4": 3, "2.5": 2, "2.6": 4,
    "2.7": 2, "2.8": 2, "2.9": 2, "2.10": 2, "2.11": 2, "2.12": 4,
    "3.1": 1, "3.2": 2, "3.3": 3, "3.4": 3, "3.5": 2, "3.6": 3,
    "3.7": 2, "3.8": 3, "3.9": 2, "3.10": 2, "3.11": 3, "3.12": 2, "3.13": 2,
}  # fmt: skip
# Seed 003 detail pages: the items whose 評分說明 has only A, C and E.
PSYCH_DAY_ACE = {"3.1", "3.2", "3.5", "3.6", "3.7", "3.9"}
PSYCH_RES_ACE = {"3.1", "3.2", "3.5", "3.6", "3.8", "3.10", "3.11"}
PSYCH = {
    "psych-rehab-day-107": (PSYCH_DAY_POINTS, PSYCH_DAY_ACE),
    "psych-rehab-residential-107": (PSYCH_RES_POINTS, PSYCH_RES_ACE),
}

JCT = {
    "aesthetic-clinic-112": [f"I-{n:02d}" for n in range(1, 22)],
    "cell-therapy-clinic-112": [f"I-{n:02d}" for n in range(1, 25)],
}

# Seed 004 「28 項指標」 list: it numbers s1 … s29 (the heading says 28, the list has 29 entries).
DENTAL_INDICATORS = [f"s{n}" for n in range(1, 30)]
