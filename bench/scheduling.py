"""Benchmark: place a cycle of postpartum visits with the CP-SAT scheduler, then re-plan a typhoon day.

A postpartum-111-shaped cycle: VISITS visits in 111年7月至11月 (seed 002 §九(一)) across six
counties, one half-day each (3 hours, §十(二)), a team of one 醫護 and one 管理與環境安全 member
(§四(一)); SURVEYORS surveyors, a fifth of them available only on some days, a few conflicts of
interest. Prints one JSON line per run: the seconds to solve, whether optimal, the county changes.

    .venv/bin/python bench/scheduling.py --visits 50 --surveyors 16 --repeat 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time

from pingjian.rules.workcal import Closure, WorkingDayCalendar
from pingjian.scheduling import Problem, Role, Slot, Surveyor, VisitRequest, replan_closure, solve

COUNTIES = ("臺北市", "新北市", "桃園市", "臺中市", "臺南市", "高雄市")
WINDOW = (dt.date(2022, 7, 1), dt.date(2022, 11, 30))
TEAM = (
    Role("醫護", frozenset({"nursing", "midwifery"})),
    Role("管理與環境安全", frozenset({"management", "environment_safety"})),
)


def cycle(visits: int, surveyors: int, seed: int) -> Problem:
    rng = random.Random(seed)
    calendar = WorkingDayCalendar.load()
    days = list(calendar.workdays(WINDOW[0] - dt.timedelta(days=1), WINDOW[1]))
    requests = []
    for i in range(visits):
        # each institution offers a window of about six weeks inside the cycle's
        first = rng.randrange(len(days) - 30)
        window = (days[first], days[min(first + 30, len(days) - 1)])
        requests.append(
            VisitRequest(f"v{i}", f"inst{i}", rng.choice(COUNTIES), "postpartum-111", window, TEAM)
        )
    roster = []
    for j in range(surveyors):
        if j % 2 == 0:
            expertise = (rng.choice(["nursing", "midwifery"]),)
        else:
            expertise = (rng.choice(["management", "environment_safety"]),)
        available = None
        if j % 5 == 0:
            available = frozenset(Slot(d, h) for d in days if rng.random() < 0.4 for h in ("am", "pm"))
        roster.append(Surveyor(f"s{j}", frozenset(expertise), frozenset({"postpartum-111"}), available))
    conflicts = frozenset(
        (f"s{rng.randrange(surveyors)}", f"inst{rng.randrange(visits)}") for _ in range(visits // 5)
    )
    return Problem(tuple(requests), tuple(roster), conflicts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visits", type=int, default=50)
    parser.add_argument("--surveyors", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=10.0)
    args = parser.parse_args()
    calendar = WorkingDayCalendar.load()
    for run in range(args.repeat):
        problem = cycle(args.visits, args.surveyors, seed=run)
        started = time.perf_counter()
        schedule = solve(problem, calendar, time_limit=args.time_limit)
        solved = time.perf_counter() - started
        hit = schedule.placements["v0"]
        county = next(v.county for v in problem.visits if v.id == "v0")
        typhoon = calendar.with_closures([Closure(hit.slot.day, county, "颱風停止上班")])
        started = time.perf_counter()
        replanned = replan_closure(problem, schedule, typhoon, time_limit=args.time_limit)
        moved = sum(replanned.placements[k] != schedule.placements[k] for k in schedule.placements)
        print(
            json.dumps(
                {
                    "run": run,
                    "visits": args.visits,
                    "surveyors": args.surveyors,
                    "solve_seconds": round(solved, 2),
                    "optimal": schedule.optimal,
                    "county_changes": schedule.county_changes,
                    "replan_seconds": round(time.perf_counter() - started, 2),
                    "visits_moved_by_typhoon": moved,
                }
            )
        )


if __name__ == "__main__":
    main()
