"""The program office's charts and the what-if of a finished cycle (issue 15 items 3–4):
who may see them, that they draw in Chinese, that the heatmap is max − given, that the what-if
lists exactly the institutions whose result changes and stores nothing."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from pingjian.rules.programs import load_program
from pingjian.web.applications.actions import do_open_application
from pingjian.web.applications.models import Application
from pingjian.web.assessments import selectors as assessments
from pingjian.web.assessments.models import Assessment, ScoreEntry
from pingjian.web.audit.models import AuditEvent
from pingjian.web.institutions.models import InstitutionType
from tests.web.support import client_for, make_cycle, untranslated

from .conftest import POSTPARTUM, make_institution, submitted_assessment

PAGES = {
    "/dashboard/charts/": "統計圖表",
    "/dashboard/charts/states/": "各梯次申請案狀態",
    "/dashboard/charts/deadlines/": "期限將屆之申請案",
    "/dashboard/charts/pass-rates/": "合格率",
    "/dashboard/charts/points-lost/": "各基準失分熱度圖",
    "/dashboard/what-if/": "評鑑結果參數試算",
}


@pytest.mark.parametrize("who", ["institution_user", "surveyor", "bureau", "nhi", "outsider"])
def test_only_the_office_and_program_admins_see_the_charts(request, who):
    user = request.getfixturevalue(who)
    for url in PAGES:
        assert client_for(user).get(url).status_code == 403, url
    assert "/dashboard/charts/" not in client_for(user).get("/dashboard/").content.decode()


def test_anonymous_users_are_sent_to_sign_in(db):
    for url in PAGES:
        response = client_for(None).get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_office_and_program_admin_reach_every_page_from_the_navigation(office, program_admin):
    for user in (office, program_admin):
        client = client_for(user)
        assert 'href="/dashboard/charts/"' in client.get("/dashboard/").content.decode()
        index = client.get("/dashboard/charts/").content.decode()
        for url, heading in PAGES.items():
            assert f'href="{url}"' in index or url == "/dashboard/charts/"
            page = client.get(url)
            assert page.status_code == 200, url
            assert heading in page.content.decode()


def test_states_chart_counts_applications_per_cycle_in_words(office, scored, deadlines):
    html = client_for(office).get("/dashboard/charts/states/").content.decode()
    assert 'font-family="Noto Sans CJK TC' in html
    assert "一一一年度第一梯次" in html and "一一二年度梯次" in html
    assert "結果確定：4" in html  # the four decided applications of cycle 1
    assert "待補件：2" in html and "已排定實地訪查：1" in html and "草稿：1" in html


def test_deadlines_at_risk_within_n_working_days(office, deadlines):
    client = client_for(office)
    five = client.get("/dashboard/charts/deadlines/").content.decode()  # default: 5 working days
    assert rows(five) == {deadlines["補件兩日"], deadlines["申報四日"], deadlines["補件逾期"]}
    assert "已逾期" in five and "補件期限" in five and "申報資料繳交期限" in five
    three = client.get("/dashboard/charts/deadlines/?days=3").content.decode()
    assert rows(three) == {deadlines["補件兩日"], deadlines["補件逾期"]}
    wide = client.get("/dashboard/charts/deadlines/?days=25").content.decode()
    assert deadlines["訪查二十日"] in rows(wide) and deadlines["草稿"] in rows(wide)


def test_pass_rates_by_program_cycle_and_county(office, scored):
    html = client_for(office).get("/dashboard/charts/pass-rates/").content.decode()
    # cycle 1: 72, 69, 85, 71 → 3 of 4 pass (≥ 70, seed 002 附件2 三(一)); cycle 2: 70, 60.5 → 1 of 2
    assert "75%（3／4 合格）" in html
    assert "50%（1／2 合格）" in html
    assert "66.7%（4／6 合格）" in html  # the program
    # 臺北市: 72, 69, 70 → 2 of 3; 高雄市: 85, 71, 60.5 → 2 of 3
    assert html.count(">66.7%（2／3 合格）</text>") == 2
    assert "臺北市" in html and "高雄市" in html


def test_heatmap_is_the_mean_of_max_minus_given_per_criterion_and_cycle(office, scored):
    program = load_program(POSTPARTUM)
    expected = {}
    for cycle_pk, losses, _total in scored.applications.values():
        for item in program.items:
            expected.setdefault((item.id, cycle_pk), []).append(losses[item.id])
    expected = {
        key: (sum(v) / len(v)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        for key, v in expected.items()
    }
    office_view = assessments.points_lost(office, POSTPARTUM)
    assert {key: cell.lost for key, cell in office_view.cells.items()} == expected
    assert any(v > 0 for v in expected.values()) and any(v == 0 for v in expected.values())
    html = client_for(office).get("/dashboard/charts/points-lost/").content.decode()
    first = scored.cycles[0]
    # A1.1 lost 4 in every cycle-1 assessment (all totals < 96): the deepest cell, "4"
    assert expected[("A1.1", first.pk)] == Decimal("4.00")
    assert f'data-cell="A1.1 {program.item("A1.1").title} · {first.title}：4 分"' in html
    assert "平均失分" in html


def test_heatmap_refuses_an_unknown_program(office, scored):
    assert client_for(office).get("/dashboard/charts/points-lost/?program=nope").status_code == 404


def rows(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'<tr data-application="(\d+)"', html)}


def _stored():
    return (
        list(Assessment.objects.order_by("pk").values_list("pk", "total", "result", "trace", "state")),
        list(Application.objects.order_by("pk").values_list("pk", "state", "total", "result", "version")),
        list(ScoreEntry.objects.order_by("pk").values_list("pk", "value", "version")),
        AuditEvent.objects.count(),
    )


def _changed_codes(html: str) -> set[str]:
    return set(re.findall(r'<tr data-application="\d+" data-code="(\d+)"', html))


def test_what_if_lists_exactly_the_institutions_whose_result_changes_and_stores_nothing(office, scored):
    before = _stored()
    first = scored.cycles[0]
    code_of = {a.pk: a.institution.code for a in Application.objects.select_related("institution")}
    client = client_for(office)

    def changed(cycle, params: str) -> tuple[set[str], str]:
        html = client.get("/dashboard/what-if/", {"cycle": cycle.pk, "params": params}).content.decode()
        return _changed_codes(html), html

    def of_total(total: str) -> set[str]:
        return {
            code_of[pk]
            for pk, (c, _l, t) in scored.applications.items()
            if c == first.pk and t == Decimal(total)
        }

    # threshold 70 → 72: 甲 72 stays (≥ 72), 丁 71 fails; 乙 69 already failed, 丙 85 passes
    codes, html = changed(first, "pass_threshold=72")
    assert codes == of_total("71")
    assert "比較 4 家機構：1 家評鑑結果將改變，0 家總分將改變。" in html
    assert "合格 → 不合格" in html
    assert "合格標準（<code>pass_threshold</code>）：70 → 72" in html
    # threshold 70 → 69: 乙 69 would pass
    codes, html = changed(first, "pass_threshold=69")
    assert codes == of_total("69")
    assert "不合格 → 合格" in html
    # the second cycle at 61: 戊 70 passes, 己 60.5 (rounded 60.50) fails still
    assert changed(scored.cycles[1], "pass_threshold=61")[0] == set()
    assert _stored() == before


def test_what_if_names_a_bad_parameter_and_changes_nothing(office, scored):
    before = _stored()
    client = client_for(office)
    first = scored.cycles[0].pk

    def page(params: str) -> str:
        return client.get("/dashboard/what-if/", {"cycle": first, "params": params}).content.decode()

    assert "grade_fractions.B: not a parameter of postpartum-111" in page("grade_fractions.B=0.5")
    assert "pass_threshold: &#x27;abc&#x27; is not a number" in page("pass_threshold=abc")
    html = page("pass_threshold")
    assert "line 1: expected NAME=VALUE" in html
    assert 'data-testid="whatif-changes"' not in html
    assert _stored() == before


def test_what_if_offers_only_cycles_with_submitted_scores(office, scored, deadlines):
    html = client_for(office).get("/dashboard/what-if/").content.decode()
    assert "一一一年度第一梯次（4）" in html and "一一一年度第二梯次（2）" in html
    assert "一一二年度梯次（" not in html
    assert "合格標準 <code>pass_threshold=70</code>" in html  # the parameters in force


def test_every_string_of_the_office_charts_has_english():
    web = Path(__file__).resolve().parents[3] / "pingjian" / "web"
    dashboard = web / "dashboard"
    paths = [*(dashboard / "templates" / "dashboard" / "charts").glob("*.html")]
    paths += [dashboard / "office_views.py", dashboard / "forms.py", web / "applications" / "selectors.py"]
    found, missing = untranslated(paths)
    assert "統計圖表" in found and "請至少變更一項參數。" in found and "申請截止" in found
    assert missing == []


def test_what_if_with_a_lower_grade_fraction_on_a_percent_program(programs, office):
    # seed 003 (psych-rehab-day-107): A 1.0, B 0.8, C 0.6, D 0.4, E 0 of an item's points; ≥ 60 % passes
    day = load_program("psych-rehab-day-107")
    cycle = make_cycle(programs["psych-rehab-day-107"], office, title="一〇七年度日間型")
    grades = {
        "全C": {i.id: "C" for i in day.items},  # 60.00 %: pass; C 0.55 → 55.00 %: fail
        # B where the item has B, else A (the A/C/E items): no C, unchanged
        "全B": {i.id: "B" if "B" in i.grades else "A" for i in day.items},
        "一B餘C": {i.id: "B" if i.id == "2.1" else "C" for i in day.items},  # 61.21 % → 56.52 %: fail
        "全A": {i.id: "A" for i in day.items},  # 100 %: unchanged
    }
    codes = {}
    for name, given in grades.items():
        institution = make_institution(f"{name}康復之家", "TPE", InstitutionType.PSYCH_REHAB_DAY)
        application = do_open_application(cycle, institution, actor=office)
        submitted_assessment(application, office, {k: {"grade": g} for k, g in given.items()})
        codes[name] = institution.code
    before = _stored()
    html = (
        client_for(office)
        .get("/dashboard/what-if/", {"cycle": cycle.pk, "params": "grade_fractions.C=0.55"})
        .content.decode()
    )
    assert _changed_codes(html) == {codes["全C"], codes["一B餘C"]}
    assert "比較 4 家機構：2 家評鑑結果將改變，2 家總分將改變。" in html
    assert "60.00 → 55.00" in html and "61.21 → 56.52" in html
    assert "C 等級得分比例（<code>grade_fractions.C</code>）：0.6 → 0.55" in html
    assert _stored() == before
