"""Realistic, fictional demo data: about 40 institutions of every type across several counties,
one account per role (password `pingjian-demo`), surveyor assignments with one conflict of
interest, and published registry entries.

Idempotent: running it again changes nothing. Other apps extend it with a `demo.py` exposing
`seed(data: DemoData) -> None` (cycles, applications …); `seed_demo` calls them after this one, in
DOMAIN_APPS order. All names, codes and addresses are invented.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from pingjian.rules.validity import program_validity
from pingjian.web.accounts.actions import do_create_user, do_grant_membership, do_set_admin_site_access
from pingjian.web.accounts.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from pingjian.web.accounts.models import User
from pingjian.web.accounts.roles import Role
from pingjian.web.core.counties import County
from pingjian.web.institutions.actions import do_create_institution
from pingjian.web.institutions.models import Institution, InstitutionType
from pingjian.web.registry.actions import do_publish_result
from pingjian.web.registry.models import RegistryEntry, is_jct_program
from pingjian.web.visits.actions import do_assign_surveyor, do_declare_conflict
from pingjian.web.visits.models import SurveyorAssignment


class DemoModeRequiredError(RuntimeError):
    """Demo accounts exist only in demo mode (PINGJIAN_DEMO=1)."""


@dataclass
class DemoData:
    users: dict[str, User] = field(default_factory=dict)
    institutions: list[Institution] = field(default_factory=list)


# county -> (fictional numeric area prefix, districts with a street each)
COUNTY_STREETS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    County.TAIPEI: (
        "01",
        [("大安區", "復興南路一段"), ("中山區", "南京東路二段"), ("信義區", "松仁路"), ("士林區", "中正路")],
    ),
    County.NEW_TAIPEI: (
        "31",
        [("板橋區", "文化路一段"), ("新莊區", "中正路"), ("中和區", "景平路"), ("三重區", "重新路三段")],
    ),
    County.TAOYUAN: ("32", [("桃園區", "中正路"), ("中壢區", "中華路二段"), ("八德區", "介壽路一段")]),
    County.TAICHUNG: ("36", [("西屯區", "臺灣大道三段"), ("北區", "三民路三段"), ("南屯區", "公益路二段")]),
    County.TAINAN: ("35", [("東區", "東門路二段"), ("永康區", "中華路"), ("北區", "公園路")]),
    County.KAOHSIUNG: (
        "02",
        [("苓雅區", "四維三路"), ("左營區", "博愛二路"), ("三民區", "建工路"), ("鳳山區", "光復路二段")],
    ),
    County.PINGTUNG: ("34", [("屏東市", "自由路"), ("潮州鎮", "新生路")]),
}

# type -> (how many, type digit for the code, name pattern pieces, capacity range)
TYPE_PLAN: list[tuple[str, int, str, list[str], list[str], tuple[int, int] | None]] = [
    (
        InstitutionType.POSTPARTUM_HOME,
        10,
        "9",
        ["安心", "美好", "禾馨", "悅寶", "晨曦", "謙和", "康寧", "喜樂", "恩典", "和煦"],
        ["產後護理之家"],
        (12, 40),
    ),
    (
        InstitutionType.PSYCH_REHAB_DAY,
        5,
        "8",
        ["康復", "晴天", "向陽", "同心", "自在"],
        ["日間型精神復健機構", "社區復健中心"],
        (20, 60),
    ),
    (
        InstitutionType.PSYCH_REHAB_RESIDENTIAL,
        5,
        "8",
        ["家園", "新生", "德蘭", "怡然", "安居"],
        ["康復之家"],
        (15, 45),
    ),
    (
        InstitutionType.CLINIC,
        10,
        "3",
        ["美研", "晶漾", "光澤", "杏林", "仁心", "博愛", "京采", "柏安", "明德", "雅緻"],
        ["美學診所", "皮膚科診所", "細胞治療診所", "整形外科診所"],
        None,
    ),
    (
        InstitutionType.DENTAL_CLINIC,
        6,
        "5",
        ["微笑", "皓齒", "品牙", "永和", "親親", "大樹"],
        ["牙醫診所"],
        None,
    ),
    (InstitutionType.HOSPITAL, 2, "1", ["仁愛", "聖恩"], ["醫院"], (80, 300)),
    (InstitutionType.NURSING_HOME, 2, "7", ["松柏", "長青"], ["護理之家"], (30, 90)),
]
SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周"
GIVEN = [
    "淑芬",
    "志明",
    "美玲",
    "建宏",
    "怡君",
    "俊傑",
    "雅婷",
    "家豪",
    "佩君",
    "宗翰",
    "惠美",
    "文彥",
    "秀英",
    "冠宇",
]

# Which institution the demo `institution` user belongs to; the bureau account's county.
DEMO_INSTITUTION_NAME = "安心產後護理之家"
DEMO_BUREAU_COUNTY = County.TAIPEI


def demo_clinic(institutions: list[Any]) -> Any:
    """The clinic of the demo `clinic` account: one with no application in the open certification
    cycle, so the demo shows applying (the postpartum home's evaluation is listed by the office)."""
    return next(i for i in institutions if i.type == InstitutionType.CLINIC and "細胞治療" not in i.name)


def demo_email(username: str) -> str:
    """A demo account's address (a reserved domain: nothing leaves the machine), so that the demo's
    e-mails and the letters they carry can be seen (console or file backend)."""
    return f"{username}@demo.pingjian.example"


def _planned_institutions() -> list[dict[str, Any]]:
    rng = random.Random(112)
    counties = list(COUNTY_STREETS)
    planned = []
    serial = 0
    for type_value, count, digit, prefixes, suffixes, capacity_range in TYPE_PLAN:
        for n in range(count):
            serial += 1
            county = County.TAIPEI if n == 0 else counties[(serial * 3 + n) % len(counties)]
            if type_value == InstitutionType.DENTAL_CLINIC:  # the NHI southern region
                county = [County.TAINAN, County.KAOHSIUNG, County.PINGTUNG][n % 3]
            area, streets = COUNTY_STREETS[county]
            district, street = streets[rng.randrange(len(streets))]
            suffix = suffixes[n % len(suffixes)]
            name = f"{prefixes[n]}{suffix}"
            opened = dt.date(2008 + rng.randrange(14), rng.randrange(1, 13), rng.randrange(1, 29))
            owner = SURNAMES[rng.randrange(len(SURNAMES))] + GIVEN[rng.randrange(len(GIVEN))]
            planned.append(
                {
                    "code": f"{area}{digit}{serial:07d}",
                    "name": name,
                    "type": type_value,
                    "county": county,
                    "district": district,
                    "address": f"{County(county).label}{district}{street}"
                    f"{rng.randrange(1, 400)}號{rng.randrange(1, 12)}樓",
                    "phone": f"0{rng.randrange(2, 9)}-{rng.randrange(2000, 9999)}"
                    f"-{rng.randrange(1000, 9999)}",
                    "capacity": rng.randrange(*capacity_range) if capacity_range else None,
                    "opened_on": opened,
                    "owner_name": owner,
                    "owner_since": opened,
                }
            )
    # one suspended and reopened postpartum home, as seed 002 §五(二) cares about
    planned[3]["suspended_on"] = dt.date(2021, 3, 1)
    planned[3]["reopened_on"] = dt.date(2021, 9, 1)
    return planned


# type -> (program, title, the demo decision's date). The validity of each entry comes from the rules
# core (`rules.validity.program_validity`) as a real decision's does: postpartum-111 112-01-01 …
# 115-12-31 (seed 002 §十三, the longest), the JCT certification 3 years from the decision (seed
# 000), and the psych programs no end at all: seed 003 states no validity period.
PROGRAM_FOR_TYPE = {
    InstitutionType.POSTPARTUM_HOME: ("postpartum-111", "111年度產後護理之家評鑑", dt.date(2022, 12, 20)),
    InstitutionType.PSYCH_REHAB_DAY: (
        "psych-rehab-day-107",
        "107年度精神復健機構評鑑（日間型）",
        dt.date(2018, 12, 20),
    ),
    InstitutionType.PSYCH_REHAB_RESIDENTIAL: (
        "psych-rehab-residential-107",
        "107年度精神復健機構評鑑（住宿型）",
        dt.date(2018, 12, 20),
    ),
    InstitutionType.CLINIC: ("aesthetic-clinic-112", "112年度診所美容醫學品質認證", dt.date(2023, 9, 15)),
}
CELL_THERAPY = ("cell-therapy-clinic-112", "112年度診所細胞治療品質認證", dt.date(2023, 10, 20))


@transaction.atomic
def seed_base(*, force: bool = False) -> DemoData:
    if not (settings.DEMO or force):
        raise DemoModeRequiredError("demo data is seeded only in demo mode (PINGJIAN_DEMO=1)")
    data = DemoData()
    system = None

    # institutions
    existing = set(Institution.objects.values_list("code", flat=True))
    for plan in _planned_institutions():
        if plan["code"] in existing:
            continue
        do_create_institution(actor=system, reason="示範資料 demo data", **plan)
    codes = [p["code"] for p in _planned_institutions()]
    data.institutions = list(Institution.objects.filter(code__in=codes).order_by("code"))
    by_name = {i.name: i for i in data.institutions}

    # users, one per role (the password hashed once: PBKDF2 is slow on purpose)
    demo_hash = None
    for username, role, display_name in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            demo_hash = demo_hash or make_password(DEMO_PASSWORD)
            user = do_create_user(
                username=username, password=None, password_hash=demo_hash,
                display_name=str(display_name), is_demo=True, email=demo_email(username),
                actor=system, reason="示範帳號 demo account",
            )  # fmt: skip
            extra: dict[str, Any] = {}
            if role == Role.INSTITUTION and username == "clinic":
                clinic = demo_clinic(data.institutions)
                extra["institution"] = clinic
                user.display_name = f"{clinic.name} 林雅婷"
                user.save(update_fields=["display_name"])
            elif role == Role.INSTITUTION:
                extra["institution"] = by_name[DEMO_INSTITUTION_NAME]
            if role == Role.BUREAU:
                extra["county"] = DEMO_BUREAU_COUNTY
            do_grant_membership(user, role=role, actor=system, reason="示範帳號 demo account", **extra)
        data.users[username] = user
    # the office keeps its letterhead (programs.ProgramOffice) in the admin
    do_set_admin_site_access(
        data.users["office"], allowed=True, actor=system, reason="示範帳號：評鑑辦公室於管理介面維護函稿資料"
    )

    # the surveyor: assigned to four institutions, conflicted with one of them
    surveyor = data.users["surveyor"]
    office = data.users["office"]
    if not SurveyorAssignment.objects.filter(surveyor=surveyor).exists():
        postpartum = [i for i in data.institutions if i.type == InstitutionType.POSTPARTUM_HOME]
        for institution in postpartum[1:5]:
            do_assign_surveyor(surveyor, institution, actor=office, cycle_label="111年度產後護理之家評鑑")
        do_declare_conflict(surveyor, postpartum[4], actor=surveyor, reason="曾任該機構顧問（示範）")

    # published registry entries: every other institution of an evaluated type passed. They come in
    # through the registry's one door (do_publish_result), so each has its certificate and change line.
    if not RegistryEntry.objects.filter(institution__in=data.institutions).exists():
        for index, institution in enumerate(data.institutions):
            program = PROGRAM_FOR_TYPE.get(institution.type)
            if program is None or index % 2:
                continue
            program_id, title, decided_on = program
            validity = program_validity(program_id, institution.code, decided_on)
            assert validity is not None  # a pass
            start, end = validity
            do_publish_result(
                institution=institution, program_id=program_id, program_title=title,
                result="通過" if is_jct_program(program_id) else "合格",
                valid_from=start, valid_until=end, source="示範資料 demo data", actor=office,
            )  # fmt: skip
        # one clinic also holds the cell-therapy certification: a certificate of every program
        clinic = next(i for i in data.institutions if i.type == InstitutionType.CLINIC)
        program_id, title, decided_on = CELL_THERAPY
        validity = program_validity(program_id, clinic.code, decided_on)
        assert validity is not None
        do_publish_result(
            institution=clinic, program_id=program_id, program_title=title, result="通過",
            valid_from=validity[0], valid_until=validity[1], source="示範資料 demo data", actor=office,
        )  # fmt: skip
    return data
