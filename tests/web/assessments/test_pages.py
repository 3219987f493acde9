"""The scoring form page, generated from the program file (issue 13 items 4 and 5)."""

from __future__ import annotations

from tests.web.support import client_for

from .conftest import make_visit


def test_the_form_shows_every_criterion_in_its_own_forms_with_on_site_only_requirements_marked(visit, nurse):
    page = client_for(nurse).get(f"/assessments/visits/{visit.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    program = visit.application.program_version.program()
    for item in program.items:
        assert f'data-entry-key="{item.id}"' in html
    assert 'name="A1.1-score"' in html and 'name="A1.1-met"' in html and "A1.1-grade" not in html
    assert "僅限實地查核" in html  # seed 002 §三: personal care records stay on site
    assert "前提條件" in html


def test_a_psychiatric_rehabilitation_form_grades_and_exempts(programs, office, nurse):
    visit = make_visit(programs, office, "psych-rehab-residential-107", team=[("委員", nurse)])
    html = client_for(nurse).get(f"/assessments/visits/{visit.pk}/").content.decode()
    assert 'name="3.5-exempt"' in html and 'name="3.5-grade"' in html and "3.5-score" not in html


def test_someone_outside_the_team_gets_404_on_the_form(visit, surveyor):
    assert client_for(surveyor).get(f"/assessments/visits/{visit.pk}/").status_code == 404


def test_a_private_note_is_read_by_its_author_only(visit, nurse, safety):
    client_for(nurse).post(f"/assessments/visits/{visit.pk}/notes/", {"text": "先看消防檢修申報書"})
    assert "先看消防檢修申報書" in client_for(nurse).get(f"/assessments/visits/{visit.pk}/").content.decode()
    assert (
        "先看消防檢修申報書"
        not in client_for(safety).get(f"/assessments/visits/{visit.pk}/").content.decode()
    )
