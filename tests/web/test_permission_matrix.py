"""The permission matrix (issue 16, item 3): every URL pattern of every app and every API operation,
requested by every role against another tenant's objects, must answer what tests/web/
permission_matrix.py says (a denial, or an allowance written there). A pattern or an operation
without a line in the matrix fails the test, so a new URL cannot land unchecked.

The other tenant is 康寧產後護理之家 in Kaohsiung: its application with an evidence file, a site visit
with its assessment, its own institution user, a surveyor assigned to it, a closure in its county
and a registry entry. The roles are ours: the institution user of a Taipei institution, a surveyor
assigned elsewhere, Taipei's health bureau, NHI, the office and a program administrator.

Each request runs in a savepoint rolled back afterwards, so an allowed POST (the office
deactivating an account) does not change what the next request sees."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from pingjian.web.accounts.actions import do_create_api_token
from pingjian.web.api import api
from pingjian.web.assessments.models import Assessment, Opinion
from pingjian.web.closures.actions import do_enter_closure
from pingjian.web.core.counties import County
from pingjian.web.decisions.models import Appeal, Decision, Item, Meeting
from pingjian.web.dentalreview.models import ClinicResult, QuarterRun, RunSource, RunState
from pingjian.web.evidence.actions import do_upload_evidence
from pingjian.web.registry.actions import do_change_status, do_publish_result
from pingjian.web.registry.models import FollowUp
from pingjian.web.visits.actions import do_assign_surveyor, do_issue_calendar_feed, do_set_unavailable
from pingjian.web.visits.models import SurveyorUnavailability, Visit, VisitMember

from .permission_matrix import API, DENIALS, PAGES, ROLES
from .support import make_user, pdf_bytes, verify_two_factor

_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> dict[str, str]:
    """{name: route} of every URL pattern; the name is 'namespace:name' (the route when unnamed)."""
    found: dict[str, str] = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, (namespace, pattern.namespace)))
            found.update(_patterns(pattern, route, inner))
        elif isinstance(pattern, URLPattern):
            name = ":".join(filter(None, (namespace, pattern.name or route)))
            found[name] = route
    return found


def _operations() -> list[str]:
    return [
        f"{method.upper()} {path}"
        for path, methods in api.get_openapi_schema()["paths"].items()
        for method in methods
    ]


PAGE_PATTERNS = {
    name: route
    for name, route in _patterns().items()
    if not name.startswith("api:") or name in ("api:openapi-json", "api:openapi-view", "api:api-root")
}
API_OPERATIONS = _operations()


def test_every_url_pattern_has_a_line_in_the_matrix():
    missing = sorted(name for name in PAGE_PATTERNS if name not in PAGES and not name.startswith("admin:"))
    assert not missing, f"add these URL patterns to tests/web/permission_matrix.py PAGES: {missing}"
    stale = sorted(set(PAGES) - set(PAGE_PATTERNS) - {"admin:*"})
    assert not stale, f"no such URL patterns any more: {stale}"


def test_every_api_operation_has_a_line_in_the_matrix():
    missing = sorted(set(API_OPERATIONS) - set(API))
    assert not missing, f"add these API operations to tests/web/permission_matrix.py API: {missing}"
    stale = sorted(set(API) - set(API_OPERATIONS))
    assert not stale, f"no such API operations any more: {stale}"


def test_every_line_names_an_outcome_for_every_role():
    lines = [(name, entry[2]) for name, entry in PAGES.items()] + [
        (name, entry[1]) for name, entry in API.items()
    ]
    for name, expected in lines:
        outcomes = expected.split()
        assert len(outcomes) == len(ROLES), name
        assert set(outcomes) <= {"ok", "hidden", *DENIALS}, name


# --- the other tenant and our roles -----------------------------------------------------------------


@pytest.fixture
def tenant(their_application, office, programs, settings, tmp_path):
    """Another tenant's objects, by the names the matrix uses for path arguments."""
    settings.MEDIA_ROOT = tmp_path / "media"
    institution = their_application.institution
    their_user = make_user("their_inst", "institution", institution=institution)
    their_surveyor = make_user("their_surveyor", "surveyor")
    their_token, _secret = do_create_api_token(their_user, name="對接", scope="read", actor=their_user)
    assignment = do_assign_surveyor(their_surveyor, institution, actor=office)
    evidence = do_upload_evidence(
        their_application,
        slot_key="A1.1-1",
        upload=io.BytesIO(pdf_bytes()),
        name="plan.pdf",
        actor=their_user,
    )
    visit = Visit.objects.create(application=their_application, day=dt.date.today(), half="am")
    VisitMember.objects.create(visit=visit, surveyor=their_surveyor, role="醫護")
    assessment = Assessment.objects.create(visit=visit)
    off_day = dt.date.today() + dt.timedelta(days=30)
    do_set_unavailable(their_surveyor, slots=[(off_day, "pm")], actor=their_surveyor, reason="出國")
    unavailability = SurveyorUnavailability.objects.get(surveyor=their_surveyor, day=off_day)
    opinion = Opinion.objects.create(visit=visit)
    closure = do_enter_closure(
        day=dt.date.today() + dt.timedelta(days=3), county=County.KAOHSIUNG, closed_for_work=True,
        source="高雄市政府：颱風停止上班", actor=office,
    )  # fmt: skip
    entry = do_publish_result(
        institution=institution, program_id="postpartum-111", program_title="產後護理機構評鑑", result="pass",
        valid_from=dt.date(2023, 1, 1), valid_until=dt.date(2026, 12, 31), source="test", actor=office,
    )  # fmt: skip
    ended = do_publish_result(
        institution=institution, program_id="postpartum-111", program_title="產後護理機構評鑑", result="pass",
        valid_from=dt.date(2019, 1, 1), valid_until=dt.date(2022, 12, 31), source="test", actor=office,
    )  # fmt: skip
    status_action = do_change_status(
        ended, status="revoked", reason="評鑑資料虛偽不實", legal_basis="作業程序第十四點",
        effective_on=dt.date(2020, 6, 1), actor=office,
    )  # fmt: skip
    follow_up = FollowUp.objects.create(
        entry=entry, day=dt.date(2024, 6, 3), kind="on_site", planned_by=office
    )
    # the NHI dental review: runs belong to NHI as a whole (no tenant of its own), shown to nhi only
    dental_run = QuarterRun.objects.create(
        quarter="2024Q4", source=RunSource.FOLDER, folder=str(tmp_path), state=RunState.DONE,
        created_by=office, clinic_count=1,
    )  # fmt: skip
    ClinicResult.objects.create(run=dental_run, clinic_id="3500000001", level=2, points=12)
    # the determination meeting of the tenant's cycle, its item, decision and appeal
    meeting = Meeting.objects.create(
        cycle=their_application.cycle, title="評定會議", held_on=dt.date.today(), created_by=office
    )
    item = Item.objects.create(
        meeting=meeting, application=their_application, proposed_result="pass", proposed_total=80
    )
    decision = Decision.objects.create(
        item=item, application=their_application, result="pass", recorded_by=office
    )
    appeal = Appeal.objects.create(
        decision=decision, statement="申復理由", filed_on=dt.date.today(), filed_by=their_user
    )
    version = their_application.program_version
    return {
        "application": their_application.pk,
        "name": institution.name,
        "institution_pk": institution.pk,
        "institution": institution.code,
        "cycle": their_application.cycle_id,
        "program": version.program_id,
        "number": version.number,
        "evidence": evidence.pk,
        "visit": visit.pk,
        "assessment": assessment.pk,
        "opinion": opinion.pk,
        "user": their_user.pk,
        "api_token": their_token.pk,
        "surveyor": their_surveyor.pk,
        "assignment": assignment.pk,
        "unavailability": unavailability.pk,
        "membership": their_user.memberships.get().pk,
        "closure": closure.pk,
        "entry": entry.pk,
        "certificate": entry.certificate.pk,
        "code": entry.certificate.verification_code,
        "status_action": status_action.pk,
        "follow_up": follow_up.pk,
        "language": "zh",
        "dental_run": dental_run.pk,
        "meeting": meeting.pk,
        "item": item.pk,
        "appeal": appeal.pk,
        "clinic_id": "3500000001",
        "indicator": "i1",
        "feed": do_issue_calendar_feed(their_surveyor, actor=their_surveyor).token,
        "transition": "submit",
        "part": "evidence",
        "uidb64": "MQ",
        "token": "set-password",
    }


@pytest.fixture
def users(institution_user, surveyor, bureau, nhi, office, program_admin):
    return {
        "anon": None,
        "inst": institution_user,
        "surv": surveyor,
        "bureau": bureau,
        "nhi": nhi,
        "office": office,
        "admin": program_admin,
    }


def _shows_the_tenant(response, tenant: dict) -> bool:  # type: ignore[no-untyped-def]
    body = b"".join(response) if response.streaming else response.content
    if body[:2] == b"PK":  # a spreadsheet: its text is in the zipped XML
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".xml"))
    text = body.decode("utf-8", "replace")
    return tenant["institution"] in text or tenant["name"] in text


def _outcome(response, tenant: dict) -> str:  # type: ignore[no-untyped-def]
    status = response.status_code
    if status in (301, 302) and re.match(r"^/(accounts|admin)/login/", response.get("Location", "")):
        return "login"
    if status in (401, 403, 404, 405) or status >= 500:
        return str(status)
    if status == 200 and not _shows_the_tenant(response, tenant):
        return "hidden"
    return "ok"


def _matches(got: str, want: str) -> bool:
    """'ok' allows a page that does not show the tenant; 'hidden' requires it."""
    return got == want or (want == "ok" and got == "hidden")


class _Caller:
    """One client per role, signed in once (again after the log-out page)."""

    def __init__(self, user, tenant: dict) -> None:  # type: ignore[no-untyped-def]
        self.user, self.tenant = user, tenant
        self.client = Client(raise_request_exception=False)
        if user is not None:
            self.client.force_login(user)
            verify_two_factor(self.client, user)

    def __call__(self, method: str, url: str, data: str = "") -> str:
        is_api = url.startswith("/api/")
        with transaction.atomic():
            if method == "GET":
                response = self.client.get(url)
            else:
                content_type = "application/json" if is_api else "application/x-www-form-urlencoded"
                response = self.client.generic(method, url, data=data or ("{}" if is_api else ""),
                                               content_type=content_type)  # fmt: skip
            transaction.set_rollback(True)
        if self.user is not None and url == "/accounts/logout/":
            self.client.force_login(self.user)
            verify_two_factor(self.client, self.user)
        return _outcome(response, self.tenant)


def _arguments(spec: str, tenant: dict) -> dict[str, object]:
    """'pk=application code=institution' → {'pk': tenant['application'], 'code': …}."""
    return {name: tenant[key] for name, key in (pair.split("=") for pair in spec.split())}


def _page_url(name: str, spec: str, tenant: dict) -> str:
    kwargs = _arguments(spec, tenant)
    return "/" + _CONVERTER.sub(lambda m: str(kwargs[m["name"]]), PAGE_PATTERNS[name])


def _form(spec: str, tenant: dict) -> str:
    """'institution=@institution_pk reason=x' → the urlencoded form, @names from the tenant."""
    pairs = (pair.split("=", 1) for pair in spec.split())
    return urlencode({k: tenant[v[1:]] if v.startswith("@") else v for k, v in pairs})


def _body(template: str, tenant: dict) -> str:
    """A JSON body whose "@name" strings are the tenant's values."""
    return re.sub(r'"@(\w+)"', lambda m: json.dumps(tenant[m[1]]), template)


def _api_url(operation: str, spec: str, tenant: dict) -> tuple[str, str]:
    method, path = operation.split(" ", 1)
    for name, value in _arguments(spec, tenant).items():
        path = path.replace("{" + name + "}", str(value))
    return method, path


def _admin_urls() -> list[str]:
    """Every admin pattern, its arguments filled with 1 (the admin answers before it looks)."""
    return [
        "/" + _CONVERTER.sub("1", route)
        for name, route in PAGE_PATTERNS.items()
        if name.startswith("admin:") and name not in PAGES and "(?P" not in route and "^" not in route
    ]


def check_role(role: str, user, tenant: dict) -> list[str]:  # type: ignore[no-untyped-def]
    """What ROLE got where the matrix says otherwise."""
    call, column, wrong = _Caller(user, tenant), ROLES.index(role), []
    for name, (method, spec, expected, *data) in sorted(PAGES.items()):
        if name != "admin:*":
            url = _page_url(name, spec, tenant)
            got, want = call(method, url, _form(data[0], tenant) if data else ""), expected.split()[column]
            if not _matches(got, want):
                wrong.append(f"{name} {method} {url}: {got}, matrix says {want}")
    for operation, (spec, expected, *body) in sorted(API.items()):
        method, url = _api_url(operation, spec, tenant)
        got, want = call(method, url, _body(body[0], tenant) if body else ""), expected.split()[column]
        if not _matches(got, want):
            wrong.append(f"{operation} {url}: {got}, matrix says {want}")
    admin_want = PAGES["admin:*"][2].split()[column]
    for url in _admin_urls():
        if not _matches(got := call("GET", url), admin_want):
            wrong.append(f"admin {url}: {got}, matrix says {admin_want}")
    return wrong


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_operation_answers_each_role_as_the_matrix_says(role, users, tenant):
    wrong = check_role(role, users[role], tenant)
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
