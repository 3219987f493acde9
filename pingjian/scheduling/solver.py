"""Placing site visits with OR-Tools' CP-SAT solver (no home-made search).

The model, in half-day units (index 2·ordinal(day) + 0 for 上午, 1 for 下午):

- each visit has a start `s_v` whose domain is the starts that fit: inside its window, on working
  days of its county (the rules core's calendar, with that county's typhoon closures), every
  half-day of the visit on the same day;
- each role r of a visit takes exactly one surveyor u from those who may fill it (expertise in
  the role, the program among theirs, no conflict of interest with the institution); a surveyor
  fills at most one role of a visit;
- a surveyor's visits never overlap: per surveyor, one optional interval per visit it may staff
  ([s_v, s_v + length), present when it staffs v) under NoOverlap; availability restricts s_v
  when present;
- pins fix a visit's start and/or surveyors;
- objective: as few (surveyor, day) pairs visiting more than one county as possible ("same county
  on one day where possible"), then the earliest starts (visits early in their window leave room
  for the re-plans a closure forces).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable

from ortools.sat.python import cp_model

from pingjian.rules.workcal import WorkingDayCalendar

from .problem import HALVES, Pin, Placement, Problem, Schedule, SchedulingError, Slot, Surveyor, VisitRequest

DEFAULT_TIME_LIMIT = 10.0  # seconds: a feasible schedule is returned when optimality takes longer


def half_index(slot: Slot) -> int:
    return 2 * slot.day.toordinal() + HALVES.index(slot.half)


def slot_of(index: int) -> Slot:
    return Slot(dt.date.fromordinal(index // 2), HALVES[index % 2])


def candidate_starts(visit: VisitRequest, calendar: WorkingDayCalendar) -> list[int]:
    """The half-day indexes a visit may start at: every half-day of it on one working day of its
    county, inside its window."""
    if not 1 <= visit.half_days <= 2:
        raise SchedulingError(f"訪查 {visit.id}：長度須為 1 或 2 個半天（為 {visit.half_days}）")
    first, last = visit.window
    starts = []
    for day in calendar.workdays(first - dt.timedelta(days=1), last, visit.county):  # first ≤ day ≤ last
        for position in range(0, 3 - visit.half_days):  # am, and pm for a half-day visit
            starts.append(2 * day.toordinal() + position)
    return starts


def _may_fill(
    surveyor: Surveyor, visit: VisitRequest, expertise: frozenset[str], conflicts: frozenset
) -> bool:
    return (
        bool(surveyor.expertise & expertise)
        and visit.program in surveyor.programs
        and (surveyor.id, visit.institution) not in conflicts
    )


def _available_starts(surveyor: Surveyor, visit: VisitRequest, starts: list[int]) -> list[int]:
    if surveyor.available is None:
        return starts
    free = {half_index(slot) for slot in surveyor.available}
    return [s for s in starts if all(s + k in free for k in range(visit.half_days))]


def solve(
    problem: Problem,
    calendar: WorkingDayCalendar,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    workers: int = 2,
) -> Schedule:
    """A schedule for every visit of PROBLEM, or SchedulingError naming what cannot be placed."""
    started = time.perf_counter()
    model = cp_model.CpModel()
    pins = {pin.visit: pin for pin in problem.pins}
    unknown = set(pins) - {v.id for v in problem.visits}
    if unknown:
        raise SchedulingError(f"固定之訪查不存在：{', '.join(sorted(unknown))}")
    by_id = {s.id: s for s in problem.surveyors}

    start: dict[str, cp_model.IntVar] = {}
    staff: dict[tuple[str, int, str], cp_model.IntVar] = {}  # (visit, role index, surveyor)
    present: dict[tuple[str, str], cp_model.IntVar] = {}  # (visit, surveyor): staffs it in some role
    intervals: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    starts_of: dict[str, list[int]] = {}

    for visit in problem.visits:
        starts = candidate_starts(visit, calendar)
        pin = pins.get(visit.id, Pin(visit.id))
        if pin.slot is not None:
            if half_index(pin.slot) not in starts:
                raise SchedulingError(
                    f"訪查 {visit.id}（{visit.institution}）：固定之時段 {pin.slot} 不在可訪查之工作日內"
                )
            starts = [half_index(pin.slot)]
        if not starts:
            raise SchedulingError(
                f"訪查 {visit.id}（{visit.institution}）：{visit.window[0]}至{visit.window[1]}間"
                f"{visit.county}無可訪查之工作日"
            )
        starts_of[visit.id] = starts
        s = model.new_int_var_from_domain(cp_model.Domain.from_values(starts), f"start[{visit.id}]")
        start[visit.id] = s
        for surveyor_id in pin.surveyors:
            if surveyor_id not in by_id:
                raise SchedulingError(f"訪查 {visit.id}：固定之委員 {surveyor_id} 不在名冊")
        for r, role in enumerate(visit.team):
            options = []
            for surveyor in problem.surveyors:
                if not _may_fill(surveyor, visit, role.expertise, problem.conflicts):
                    continue
                if not _available_starts(surveyor, visit, starts):
                    continue
                var = model.new_bool_var(f"staff[{visit.id},{r},{surveyor.id}]")
                staff[visit.id, r, surveyor.id] = var
                options.append(var)
            if not options:
                raise SchedulingError(
                    f"訪查 {visit.id}（{visit.institution}）：沒有可擔任「{role.label}」之委員"
                    "（專長、計畫、共識會議、利益迴避或時間不符）"
                )
            model.add_exactly_one(options)
            for label, surveyor_id in pin.roles:
                if label == role.label:
                    if (visit.id, r, surveyor_id) not in staff:
                        raise SchedulingError(
                            f"訪查 {visit.id}：固定之委員 {surveyor_id} 不能擔任「{role.label}」"
                        )
                    model.add(staff[visit.id, r, surveyor_id] == 1)
        for surveyor in problem.surveyors:
            roles = [
                staff[key] for r in range(len(visit.team)) if (key := (visit.id, r, surveyor.id)) in staff
            ]
            if not roles:
                if surveyor.id in pin.surveyors:
                    raise SchedulingError(
                        f"訪查 {visit.id}：固定之委員 {surveyor.id} 不能擔任此訪查之任何角色"
                    )
                continue
            here = model.new_bool_var(f"present[{visit.id},{surveyor.id}]")
            model.add(sum(roles) == here)  # at most one role each, and `here` says whether any
            present[visit.id, surveyor.id] = here
            if surveyor.id in pin.surveyors:
                model.add(here == 1)
            free = _available_starts(surveyor, visit, starts)
            if len(free) < len(starts):
                model.add_linear_expression_in_domain(s, cp_model.Domain.from_values(free)).only_enforce_if(
                    here
                )
            intervals[surveyor.id].append(
                model.new_optional_fixed_size_interval_var(
                    s, visit.half_days, here, f"busy[{visit.id},{surveyor.id}]"
                )
            )
    for busy in intervals.values():
        model.add_no_overlap(busy)

    county_changes = _county_change_terms(model, problem.visits, start, present, starts_of)
    earliness = sum(start[v.id] - min(starts_of[v.id]) for v in problem.visits)
    horizon = sum(max(starts_of[v.id]) - min(starts_of[v.id]) for v in problem.visits) + 1
    model.minimize(horizon * sum(county_changes) + earliness)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_search_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        reason = "限時內找不到可行之排程" if status == cp_model.UNKNOWN else "沒有能同時滿足所有條件之排程"
        raise SchedulingError(f"{reason}（委員人數或可訪查日不足，或固定之安排互相衝突）")
    placements = {}
    for visit in problem.visits:
        team = {
            role.label: surveyor_id
            for (visit_id, r, surveyor_id), var in staff.items()
            if visit_id == visit.id and solver.value(var)
            for role in (visit.team[r],)
        }
        placements[visit.id] = Placement(visit.id, slot_of(solver.value(start[visit.id])), team)
    return Schedule(
        placements,
        optimal=status == cp_model.OPTIMAL,
        seconds=time.perf_counter() - started,
        county_changes=sum(solver.value(term) for term in county_changes),
    )


def _county_change_terms(
    model: cp_model.CpModel,
    visits: Iterable[VisitRequest],
    start: dict[str, cp_model.IntVar],
    present: dict[tuple[str, str], cp_model.IntVar],
    starts_of: dict[str, list[int]],
) -> list[cp_model.IntVar]:
    """One integer per (surveyor, day): how many counties beyond the first the surveyor visits
    that day. `in_county[u, d, k]` is forced true when u staffs a visit of county k on day d; the
    term is at least the number of such counties less one. Only (surveyor, day) pairs where two
    counties are possible get a term, so the model stays small."""
    in_county: dict[tuple[str, int, str], cp_model.IntVar] = {}
    for visit in visits:
        days = sorted({s // 2 for s in starts_of[visit.id]})
        staffers = [u for (v, u) in present if v == visit.id]
        for day in days:
            on = model.new_bool_var(f"on[{visit.id},{day}]")
            that_day = cp_model.Domain(2 * day, 2 * day + 1)
            model.add_linear_expression_in_domain(start[visit.id], that_day).only_enforce_if(on)
            model.add_linear_expression_in_domain(start[visit.id], that_day.complement()).only_enforce_if(
                on.negated()
            )
            for surveyor_id in staffers:
                key = (surveyor_id, day, visit.county)
                if key not in in_county:
                    in_county[key] = model.new_bool_var(f"in[{surveyor_id},{day},{visit.county}]")
                model.add_bool_or([present[visit.id, surveyor_id].negated(), on.negated(), in_county[key]])
    counties_of: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    for (surveyor_id, day, _county), var in in_county.items():
        counties_of[surveyor_id, day].append(var)
    terms = []
    for (surveyor_id, day), flags in counties_of.items():
        if len(flags) < 2:
            continue
        extra = model.new_int_var(0, len(flags) - 1, f"extra_counties[{surveyor_id},{day}]")
        model.add(extra >= sum(flags) - 1)
        terms.append(extra)
    return terms


def replan_closure(
    problem: Problem,
    schedule: Schedule,
    calendar: WorkingDayCalendar,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> Schedule:
    """After a closure (停止上班) entered in CALENDAR: every visit that still falls on a working day
    keeps its slot and team (pinned); the visits the closure cancelled are placed afresh (seed 002
    §九(三): 「由本部另擇期辦理」)."""
    pins = [
        Pin(visit.id, placed.slot, roles=frozenset(placed.team.items()))
        for visit in problem.visits
        if calendar.is_workday((placed := schedule.placements[visit.id]).slot.day, visit.county)
    ]
    return solve(
        Problem(problem.visits, problem.surveyors, problem.conflicts, tuple(pins)),
        calendar,
        time_limit=time_limit,
    )
