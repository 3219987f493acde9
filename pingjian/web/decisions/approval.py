"""Who owns a decision and what validity it gives, from the program the application is pinned to.

- The approving body: seed 002 §十一 (the ministry, 衛生福利部, decides the postpartum results;
  likewise seed 003 for the psychiatric rehabilitation programs, also the ministry's) and seed 000
  (the JCT certifications are decided by 醫策會's certification board, 董事會). The program file's
  `owner` says which; in pingjian the person who approves for that body holds the 計畫管理者 role.
- The validity: the rules core's `program_validity` by the rule the pinned program names (seed 000
  3 years; seed 002 §十三 from 1 January after the result year; seed 003 none stated).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pingjian.rules.validity import program_validity

JCT_BOARD = "醫策會董事會（認證委員會）"


def approving_body(program: Any) -> str:
    owner = getattr(program, "owner", "") or ""
    if "JCT" in owner or "醫院評鑑暨醫療品質策進會" in owner:
        return JCT_BOARD
    return owner or "主辦機關"


def consecutive_failures_before(application: Any) -> int:
    """How many final results of the same program family (postpartum-111, postpartum-115 …) the
    institution failed in a row right before APPLICATION (seed 002 §十三: the validity after a pass
    shortens with the failures immediately before it)."""
    family = application.program_version.program_id.rsplit("-", 1)[0]
    earlier = (
        type(application)
        .objects.filter(institution=application.institution, state="final", decided_on__isnull=False)
        .filter(program_version__program_id__startswith=f"{family}-")
        .exclude(pk=application.pk)
        .order_by("-decided_on", "-pk")
        .values_list("result", flat=True)
    )
    count = 0
    for result in earlier:
        if result != "fail":
            break
        count += 1
    return count


def validity_of(application: Any, result: str, decided_on: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """(first day, last day) the rules core gives a RESULT decided on DECIDED_ON for APPLICATION's
    pinned program, counting the failures right before it; (None, None) for a fail."""
    found = program_validity(
        application.program_version.program_id,
        application.institution.code,
        decided_on,
        passed=result == "pass",
        consecutive_failures_before=consecutive_failures_before(application),
    )
    if found is None:
        return None, None
    return found


def published_words(program_id: str, result: str) -> str:
    """The words a result is published in: the JCT's 通過／不通過 (seed 000 認證結果), the
    ministry's 合格／不合格 (seed 002 §十二(二), seed 003)."""
    jct = program_id.startswith(("aesthetic-clinic-", "cell-therapy-clinic-"))
    if result == "pass":
        return "通過" if jct else "合格"
    return "不通過" if jct else "不合格"


def publishes_failures(program_id: str) -> bool:
    """Whether a final fail is published too: postpartum, seed 002 §十二(二) 「公告評鑑結果名單，評鑑結果
    分為合格及不合格」 (and §六: 「公告為…評鑑結果不合格機構並敘明原因」). Seeds 000/001 (JCT) and
    003 (psychiatric rehabilitation) state no publication of a fail: only passes are published."""
    return program_id.startswith("postpartum-")
