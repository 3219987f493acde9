"""The states with weight of on-site scoring, bound to the audit events that set them (found by
`audit.bindings`): an assessment's 已送出 (the team's submission, after which a change needs a reason)
and the opinions' 待審閱 / 已核定 (once approved the institution reads them). `pingjian audit
verify` reports a stored state no event set: a row edited straight in the database."""

from __future__ import annotations

from pingjian.web.audit.bindings import Binding

from .models import Assessment, Opinion

BINDINGS = [Binding(Assessment, ("state",)), Binding(Opinion, ("state",))]
