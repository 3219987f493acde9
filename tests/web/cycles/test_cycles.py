"""Cycles: created by office staff with the program's dates, targets of the mandatory postpartum
program from the eligibility rules (seed 002 §五), confirmed by each county's bureau."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingjian.web.applications.actions import do_confirm_targets
from pingjian.web.applications.models import Application
from pingjian.web.core.counties import County
from pingjian.web.cycles.actions import defaults_for, do_compute_targets, do_create_cycle
from pingjian.web.institutions.actions import do_create_institution
from pingjian.web.institutions.models import InstitutionType
from tests.web.support import client_for


def test_defaults_come_from_the_program_file(programs):
    postpartum = defaults_for(programs["postpartum-111"])
    assert postpartum["mode"] == "mandatory"
    assert postpartum["application_closes"] == dt.date(2022, 5, 31)  # seed 002 §八(二)
    assert (postpartum["visit_opens"], postpartum["visit_closes"]) == (
        dt.date(2022, 7, 1),
        dt.date(2022, 11, 30),
    )
    assert postpartum["preliminary_review_due"] == dt.date(2022, 6, 30)
    assert postpartum["remediation_due"] == dt.date(2022, 12, 10)
    jct = defaults_for(programs["aesthetic-clinic-112"])
    assert jct["mode"] == "voluntary"
    assert (jct["application_opens"], jct["application_closes"]) == (
        dt.date(2023, 5, 15),
        dt.date(2023, 6, 30),
    )


def test_only_office_staff_create_cycles_and_windows_are_checked(programs, office, institution_user):
    version = programs["postpartum-111"]
    with pytest.raises(PermissionDenied):
        do_create_cycle(version, actor=institution_user, **{k: v for k, v in defaults_for(version).items()})
    values = defaults_for(version)
    values["visit_closes"] = dt.date(2022, 1, 1)
    with pytest.raises(ValidationError):
        do_create_cycle(version, actor=office, **values)
    cycle = do_create_cycle(version, actor=office, **defaults_for(version))
    assert cycle.title == "111年度產後護理之家評鑑"


def test_targets_follow_the_eligibility_clauses_and_bureaus_confirm_their_county(
    programs, office, bureau, ours
):
    new_home = do_create_institution(
        actor=None,
        code="0290000009",
        name="喜樂產後護理之家",
        type=InstitutionType.POSTPARTUM_HOME,
        county=County.TAIPEI,
        address="臺北市士林區中正路9號",
        opened_on=dt.date(2021, 6, 2),
    )  # 5.2: one year completed only on 2022-06-01 → not a target
    kaohsiung = do_create_institution(
        actor=None,
        code="0290000010",
        name="和煦產後護理之家",
        type=InstitutionType.POSTPARTUM_HOME,
        county=County.KAOHSIUNG,
        address="高雄市三民區建工路10號",
        opened_on=dt.date(2021, 6, 1),
    )  # 5.2: complete at the end of 2022-05-31 → a target
    cycle = do_create_cycle(
        programs["postpartum-111"], actor=office, **defaults_for(programs["postpartum-111"])
    )
    summary = do_compute_targets(cycle, actor=office)
    targets = {t.institution: t for t in cycle.targets.all()}
    assert kaohsiung in targets and targets[kaohsiung].clause == "5.2"
    assert new_home not in targets
    assert ours in targets  # opened 2015, never evaluated: 5.2
    assert summary.targets == len(targets)
    confirmed = do_confirm_targets(cycle, county=County.TAIPEI, actor=bureau)
    assert [t.institution for t in confirmed] == [ours]
    assert Application.objects.filter(cycle=cycle).count() == 1
    with pytest.raises(PermissionDenied):
        do_confirm_targets(cycle, county=County.KAOHSIUNG, actor=bureau)
    page = client_for(bureau).get(f"/cycles/{cycle.pk}/").content.decode()
    assert ours.name in page and kaohsiung.name not in page


def test_the_office_creates_a_cycle_through_the_page(programs, office):
    version = programs["aesthetic-clinic-112"]
    client = client_for(office)
    form = client.get(f"/cycles/new/?version={version.pk}").content.decode()
    assert "112/05/15" in form
    response = client.post(
        "/cycles/new/",
        {
            "program_version": version.pk,
            "title": "112年度診所美容醫學品質認證（第二階段）",
            "mode": "voluntary",
            "application_opens": "112/05/15",
            "application_closes": "112/06/30",
            "visit_opens": "112/08/01",
            "visit_closes": "112/12/31",
            "fee_amount": "30000",
        },
    )
    assert response.status_code == 302
