"""Data for the load test (bench/load/run.sh runs this once on the empty bench database, outside
production mode, before the production server starts): the programs, an office account, one
institution account per institution with an open postpartum application, surveyors each on the
team of a few visits, and a targets file the locust users read (ids, slot and item keys).

Accounts get the bench password (BENCH_PASSWORD): this database is thrown away after the run."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingjian.web.settings")
django.setup()

import yaml  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from pingjian.rules.programs import PROGRAMS_DIR  # noqa: E402
from pingjian.web.accounts.actions import do_grant_membership  # noqa: E402
from pingjian.web.accounts.models import User  # noqa: E402
from pingjian.web.applications.actions import do_open_application  # noqa: E402
from pingjian.web.core.counties import County  # noqa: E402
from pingjian.web.cycles.actions import do_create_cycle  # noqa: E402
from pingjian.web.evidence.slots import slots_for  # noqa: E402
from pingjian.web.institutions.actions import do_create_institution  # noqa: E402
from pingjian.web.institutions.models import InstitutionType  # noqa: E402
from pingjian.web.programs.actions import do_load_program_files  # noqa: E402
from pingjian.web.programs.models import ProgramVersion  # noqa: E402
from pingjian.web.visits.actions import do_accept_confidentiality  # noqa: E402
from pingjian.web.visits.models import Visit, VisitMember  # noqa: E402
from pingjian.web.visits.selectors import program_year_of  # noqa: E402

PROGRAM = "postpartum-111"
BENCH_PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-load-Password-7c1f")
OFFICES = 40
COUNTIES = [County.TAIPEI, County.NEW_TAIPEI, County.TAICHUNG, County.TAINAN, County.KAOHSIUNG]


def user(username: str, role: str, **grant: object) -> User:
    account = User.objects.create(
        username=username, display_name=username, password=make_password(BENCH_PASSWORD)
    )
    do_grant_membership(account, role=role, actor=None, **grant)
    return account


def main(institutions: int, surveyors: int, out: Path) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    do_load_program_files(actor=None)
    version = ProgramVersion.objects.get(program_id=PROGRAM)
    # office accounts need their second factor in production: one TOTP device each (a code is
    # accepted once per device, so every simulated office user signs in with an account of its own)
    offices = [user(f"bench-office-{n}", "office") for n in range(OFFICES)]
    devices = {o.username: TOTPDevice.objects.create(user=o, name="bench", confirmed=True) for o in offices}
    office = offices[0]
    today = dt.date.today()
    cycle = do_create_cycle(
        version,
        actor=office,
        title="負載測試梯次",
        application_opens=today - dt.timedelta(days=10),
        application_closes=today + dt.timedelta(days=30),
        visit_opens=today + dt.timedelta(days=45),
        visit_closes=today + dt.timedelta(days=200),
    )
    team = [user(f"bench-surveyor-{n}", "surveyor") for n in range(surveyors)]
    for member in team:  # no scores without the pledge of the cycle's year (seed 002 §四(二))
        do_accept_confidentiality(member, program_year=program_year_of(cycle), actor=member)
    case = yaml.safe_load((PROGRAMS_DIR / "cases" / f"{PROGRAM}.yaml").read_text(encoding="utf-8"))["cases"][
        0
    ]
    items = [[key, value] for key, value in case["assessment"]["items"].items()]
    targets: dict[str, object] = {
        "password": BENCH_PASSWORD,
        "offices": [{"user": name, "key": device.key} for name, device in devices.items()],
        "institutions": [],
        "surveyors": {member.username: [] for member in team},
        "items": items,
        "slots": [slot.key for slot in slots_for(version.program())][:20],
    }
    for n in range(institutions):
        with transaction.atomic():
            institution = do_create_institution(
                actor=None, code=f"09{n:08d}", name=f"負載測試產後護理之家{n}",
                type=InstitutionType.POSTPARTUM_HOME,
                county=COUNTIES[n % len(COUNTIES)], address="臺北市中正區重慶南路一段1號",
                opened_on=dt.date(2010, 1, 1),
            )  # fmt: skip
            account = user(f"bench-inst-{n}", "institution", institution=institution)
            application = do_open_application(cycle, institution, actor=office)
            visit = Visit.objects.create(
                application=application, day=today + dt.timedelta(days=60), half="am"
            )
            member = team[n % len(team)]
            VisitMember.objects.create(visit=visit, surveyor=member, role="醫護")
        targets["institutions"].append({"user": account.username, "application": application.pk})  # type: ignore[union-attr]
        targets["surveyors"][member.username].append(visit.pk)  # type: ignore[index]
    out.write_text(json.dumps(targets, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"bench data: {institutions} institutions, {surveyors} surveyors → {out}")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))
