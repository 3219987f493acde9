"""The visit scheduler (issue 13 item 3): every visit in its window on a working day of its
county, the team the program needs, no surveyor twice in one half-day, no conflicted surveyor,
pins kept, a closure re-planned. Schedules are checked by an independent checker, and on tiny
problems the solver's "no schedule" is checked against exhaustive search."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pingjian.rules.workcal import Closure, WorkingDayCalendar
from pingjian.scheduling import (
    Pin,
    Problem,
    Role,
    SchedulingError,
    Slot,
    Surveyor,
    VisitRequest,
    replan_closure,
    solve,
)
from pingjian.scheduling.problem import HALVES

CALENDAR = WorkingDayCalendar.load()
# seed 002 §四(一): 醫護、管理與環境安全專家; a team of one of each (postpartum, §十(二): 3 hours).
POSTPARTUM_TEAM = (
    Role("醫護", frozenset({"nursing", "midwifery"})),
    Role("管理與環境安全", frozenset({"management", "environment_safety"})),
)
COUNTIES = ("臺北市", "新北市", "高雄市")


def visit(i, county="臺北市", window=(dt.date(2022, 7, 4), dt.date(2022, 7, 8)), team=POSTPARTUM_TEAM, **kw):
    return VisitRequest(f"v{i}", f"inst{i}", county, "postpartum-111", window, team, **kw)


def surveyor(name, *expertise, programs=("postpartum-111",), available=None):
    return Surveyor(name, frozenset(expertise), frozenset(programs), available)


def check(problem: Problem, schedule, calendar=CALENDAR) -> None:
    """Every rule of a schedule, checked without the solver."""
    by_id = {s.id: s for s in problem.surveyors}
    busy: dict[tuple[str, dt.date, str], str] = {}
    assert set(schedule.placements) == {v.id for v in problem.visits}
    for v in problem.visits:
        placed = schedule.placements[v.id]
        assert v.window[0] <= placed.slot.day <= v.window[1]
        assert calendar.is_workday(placed.slot.day, v.county)
        halves = HALVES[HALVES.index(placed.slot.half) : HALVES.index(placed.slot.half) + v.half_days]
        assert len(halves) == v.half_days  # the whole visit on one day
        assert sorted(placed.team) == sorted(r.label for r in v.team)
        assert len(set(placed.team.values())) == len(v.team)  # one surveyor per role
        for role in v.team:
            member = by_id[placed.team[role.label]]
            assert member.expertise & role.expertise and v.program in member.programs
            assert (member.id, v.institution) not in problem.conflicts
            for half in halves:
                if member.available is not None:
                    assert Slot(placed.slot.day, half) in member.available
                key = (member.id, placed.slot.day, half)
                assert key not in busy, f"{member.id} twice at {key}"
                busy[key] = v.id
    for pin in problem.pins:
        placed = schedule.placements[pin.visit]
        assert pin.slot is None or placed.slot == pin.slot
        assert pin.surveyors <= set(placed.team.values())


def test_a_postpartum_team_is_one_nurse_or_midwife_and_one_safety_or_management_member():
    problem = Problem(
        (visit(1), visit(2)),
        (
            surveyor("nurse", "nursing"),
            surveyor("midwife", "midwifery"),
            surveyor("safety", "environment_safety"),
        ),
    )
    schedule = solve(problem, CALENDAR)
    check(problem, schedule)
    one, two = schedule.placements["v1"], schedule.placements["v2"]
    assert one.team["管理與環境安全"] == two.team["管理與環境安全"] == "safety"
    assert one.slot != two.slot  # the one safety member cannot be in two places in one half-day


def test_no_visit_on_a_holiday_a_weekend_or_a_typhoon_closure_of_its_county():
    # 2022-09-09 is 中秋節 (a holiday), 2022-09-10/11 the weekend; a closure shuts 臺北市 on 09-12.
    calendar = CALENDAR.with_closures([Closure(dt.date(2022, 9, 12), "臺北市", "颱風")])
    window = (dt.date(2022, 9, 9), dt.date(2022, 9, 13))
    problem = Problem((visit(1, window=window), visit(2, "高雄市", window=window)), (surveyor("a", "nursing"),
              surveyor("b", "management")))  # fmt: skip
    schedule = solve(problem, calendar)
    check(problem, schedule, calendar)
    assert schedule.placements["v1"].slot.day == dt.date(2022, 9, 13)
    assert schedule.placements["v2"].slot.day in {dt.date(2022, 9, 12), dt.date(2022, 9, 13)}


def test_a_conflicted_surveyor_is_never_assigned_and_no_one_left_is_named():
    problem = Problem(
        (visit(1),), (surveyor("a", "nursing"), surveyor("b", "management")), frozenset({("a", "inst1")})
    )
    with pytest.raises(SchedulingError, match=r"v1.*inst1.*醫護"):
        solve(problem, CALENDAR)


def test_a_surveyor_without_the_consensus_meeting_for_the_program_is_not_assigned():
    problem = Problem((visit(1),), (surveyor("a", "nursing", programs=()), surveyor("b", "management")))
    with pytest.raises(SchedulingError, match="醫護"):
        solve(problem, CALENDAR)


def test_pins_are_kept():
    nurses = [surveyor(f"n{i}", "nursing") for i in range(2)]
    others = [surveyor(f"m{i}", "management") for i in range(2)]
    pin = Pin("v2", Slot(dt.date(2022, 7, 7), "pm"), frozenset({"n1"}))
    problem = Problem(tuple(visit(i) for i in range(4)), (*nurses, *others), pins=(pin,))
    schedule = solve(problem, CALENDAR)
    check(problem, schedule)
    assert schedule.placements["v2"].slot == Slot(dt.date(2022, 7, 7), "pm")


def test_a_pin_on_a_day_off_is_refused_naming_the_visit():
    pin = Pin("v1", Slot(dt.date(2022, 7, 9), "am"))  # a Saturday
    problem = Problem((visit(1),), (surveyor("a", "nursing"), surveyor("b", "management")), pins=(pin,))
    with pytest.raises(SchedulingError, match=r"v1.*2022-07-09 上午"):
        solve(problem, CALENDAR)


def test_a_closure_replans_only_the_visits_it_cancelled():
    window = (dt.date(2022, 7, 4), dt.date(2022, 7, 15))
    visits = tuple(visit(i, COUNTIES[i % 3], window=window) for i in range(6))
    problem = Problem(visits, tuple(surveyor(f"s{i}", "nursing", "management") for i in range(4)))
    first = solve(problem, CALENDAR)
    hit = first.placements["v0"]
    calendar = CALENDAR.with_closures([Closure(hit.slot.day, "臺北市", "颱風停止上班")])
    second = replan_closure(problem, first, calendar)
    check(problem, second, calendar)
    for v in visits:
        was, now = first.placements[v.id], second.placements[v.id]
        if v.county == "臺北市" and was.slot.day == hit.slot.day:
            assert now.slot.day != hit.slot.day
        else:
            assert now == was


def test_one_surveyor_stays_in_one_county_a_day_where_possible():
    window = (dt.date(2022, 7, 4), dt.date(2022, 7, 5))  # two days, four visits, one team
    visits = (visit(1, "臺北市", window=window), visit(2, "高雄市", window=window),
              visit(3, "臺北市", window=window), visit(4, "高雄市", window=window))  # fmt: skip
    problem = Problem(visits, (surveyor("a", "nursing"), surveyor("b", "management")))
    schedule = solve(problem, CALENDAR)
    check(problem, schedule)
    assert schedule.county_changes == 0
    days = {
        v.county: {schedule.placements[w.id].slot.day for w in visits if w.county == v.county} for v in visits
    }
    assert len(days["臺北市"]) == len(days["高雄市"]) == 1 and days["臺北市"] != days["高雄市"]


# --- properties ---------------------------------------------------------------------------------

EXPERTISE = ("nursing", "midwifery", "management", "environment_safety")
SLOTS = [Slot(dt.date(2022, 7, 4) + dt.timedelta(days=d), h) for d in range(5) for h in HALVES]


@st.composite
def problems(draw, max_visits=6, max_surveyors=5, days=5):
    n_surveyors = draw(st.integers(1, max_surveyors))
    surveyors = tuple(
        Surveyor(
            f"s{i}",
            frozenset(draw(st.sets(st.sampled_from(EXPERTISE), min_size=1, max_size=2))),
            frozenset({"postpartum-111"}) if draw(st.integers(0, 5)) else frozenset(),
            None if draw(st.booleans()) else frozenset(draw(st.sets(st.sampled_from(SLOTS), min_size=1))),
        )
        for i in range(n_surveyors)
    )
    visits = []
    for i in range(draw(st.integers(1, max_visits))):
        first = draw(st.integers(0, days - 1))
        last = draw(st.integers(first, days - 1))
        window = (
            dt.date(2022, 7, 4) + dt.timedelta(days=first),
            dt.date(2022, 7, 4) + dt.timedelta(days=last),
        )
        visits.append(
            visit(
                i, draw(st.sampled_from(COUNTIES)), window=window, half_days=draw(st.sampled_from([1, 1, 2]))
            )
        )
    conflicts = frozenset(
        (s.id, v.institution) for s in surveyors for v in visits if draw(st.integers(0, 6)) == 0
    )
    return Problem(tuple(visits), surveyors, conflicts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_schedule_the_solver_returns_keeps_every_rule(problem):
    try:
        schedule = solve(problem, CALENDAR, time_limit=5)
    except SchedulingError:
        return
    check(problem, schedule)


def _exhaustive_feasible(problem: Problem) -> bool:
    """Try every slot and team for every visit (tiny problems only)."""
    options = []
    for v in problem.visits:
        slots = [
            s for s in SLOTS
            if v.window[0] <= s.day <= v.window[1] and CALENDAR.is_workday(s.day, v.county)
            and (v.half_days == 1 or s.half == "am")
        ]  # fmt: skip
        members = [
            [s for s in problem.surveyors
             if s.expertise & role.expertise and v.program in s.programs
             and (s.id, v.institution) not in problem.conflicts]
            for role in v.team
        ]  # fmt: skip
        options.append([(slot, team) for slot in slots for team in itertools.product(*members)])
    for choice in itertools.product(*options):
        busy = set()
        ok = True
        for v, (slot, team) in zip(problem.visits, choice, strict=True):
            if len({m.id for m in team}) < len(team):
                ok = False
                break
            for m in team:
                for k in range(v.half_days):
                    half = Slot(slot.day, HALVES[HALVES.index(slot.half) + k])
                    if (m.available is not None and half not in m.available) or (m.id, half) in busy:
                        ok = False
                    busy.add((m.id, half))
        if ok:
            return True
    return False


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_visits=3, max_surveyors=3, days=2))
def test_the_solver_finds_a_schedule_exactly_when_one_exists(problem):
    try:
        solve(problem, CALENDAR, time_limit=5)
        found = True
    except SchedulingError:
        found = False
    assert found == _exhaustive_feasible(problem)
