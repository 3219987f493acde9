# ruff: noqa: E501  (a table: one line per URL pattern, the roles in aligned columns)
"""The permission matrix (issue 16, item 3): one line per URL pattern and per API operation, what
each role gets when it asks for ANOTHER tenant's object (tests/web/test_permission_matrix.py runs it
and fails on a pattern or an operation missing here).

The other tenant is an institution in Kaohsiung with its application, evidence, visit and
assessment; the roles (columns, in ROLES order) are:

    anon    not signed in
    inst    the institution user of another institution (Taipei)
    surv    a surveyor not assigned to the tenant
    bureau  the health bureau of another county (Taipei)
    nhi     NHI (健保署)
    office  the evaluation office
    admin   a program administrator

Outcomes: login (a redirect to the log-in page), 401 (the API, not signed in), 403 (an action the
role may not take), 404 (an object the role may not see), hidden (answered 200 without a trace of
the tenant: a list scoped to the caller), ok (allowed: an explicit allowance, may show the tenant).

PAGES: name: (method, path arguments, outcomes[, form fields]);
API:   "METHOD path": (path arguments, outcomes[, JSON body]).
Path arguments and form fields name the tenant's objects (test_permission_matrix.tenant); "@x" in
a form field or a body is the tenant's x. Adding a URL is adding one line here.
"""

from __future__ import annotations

ROLES = ("anon", "inst", "surv", "bureau", "nhi", "office", "admin")
DENIALS = ("login", "401", "403", "404")

VERSION = '{"version": 1}'

# fmt: off
PAGES = {
    # name                                  method  path arguments                         anon   inst   surv   bureau nhi    office admin
    "accounts:login":                       ("GET", "",                                   "ok     ok     ok     ok     ok     ok     ok"),
    "accounts:logout":                      ("POST", "",                                  "ok     ok     ok     ok     ok     ok     ok"),
    "accounts:membership_grant":            ("POST", "pk=user",                           "login  404    404    404    404    ok     ok"),
    "accounts:membership_revoke":           ("POST", "pk=membership",                     "login  404    404    404    404    ok     ok"),
    "accounts:password_change":             ("GET", "",                                   "login  ok     ok     ok     ok     ok     ok"),
    "accounts:password_change_done":        ("GET", "",                                   "login  ok     ok     ok     ok     ok     ok"),
    "accounts:password_reset":              ("GET", "",                                   "ok     ok     ok     ok     ok     ok     ok"),
    "accounts:password_reset_complete":     ("GET", "",                                   "ok     ok     ok     ok     ok     ok     ok"),
    "accounts:password_reset_confirm":      ("GET", "uidb64=uidb64 token=token",          "hidden hidden hidden hidden hidden hidden hidden"),
    "accounts:password_reset_done":         ("GET", "",                                   "ok     ok     ok     ok     ok     ok     ok"),
    "accounts:user_create":                 ("GET", "",                                   "login  403    403    403    403    ok     ok"),
    "accounts:user_deactivate":             ("POST", "pk=user",                           "login  404    404    404    404    ok     ok"),
    "accounts:user_detail":                 ("GET", "pk=user",                            "login  404    404    404    404    ok     ok"),
    "accounts:user_list":                   ("GET", "",                                   "login  403    403    403    403    ok     ok"),
    "accounts:user_reactivate":             ("POST", "pk=user",                           "login  404    404    404    404    ok     ok"),
    "api:api-root":                         ("GET", "",                                   "404    404    404    404    404    404    404"),
    "api:openapi-json":                     ("GET", "",                                   "ok     ok     ok     ok     ok     ok     ok"),
    "api:openapi-view":                     ("GET", "",                                   "ok     ok     ok     ok     ok     ok     ok"),
    "applications:apply":                   ("POST", "cycle_pk=cycle",                    "login  404    404    404    404    ok     403", "institution=@institution_pk"),
    "applications:confirm_targets":         ("POST", "cycle_pk=cycle",                    "login  403    403    ok     403    403    403"),
    "applications:detail":                  ("GET", "pk=application",                     "login  404    404    404    404    ok     ok"),
    "applications:export":                  ("GET", "",                                   "login  hidden hidden hidden hidden ok     ok"),
    "applications:export_xlsx":             ("GET", "",                                   "login  hidden hidden hidden hidden ok     ok"),
    "applications:fee":                     ("POST", "pk=application",                    "login  404    404    404    404    ok     403"),
    "applications:list":                    ("GET", "",                                   "login  hidden hidden hidden hidden ok     ok"),
    "applications:notice_receipt":          ("POST", "pk=application",                    "login  404    404    404    404    ok     403"),
    "applications:relock":                  ("POST", "pk=application part=part",          "login  404    404    404    404    ok     403"),
    "applications:transition":              ("POST", "pk=application name=transition",    "login  404    404    404    404    ok     ok"),
    "applications:unlock":                  ("POST", "pk=application",                    "login  404    404    404    404    ok     403"),
    "applications:waive_appeal":            ("POST", "pk=application",                    "login  404    404    404    404    ok     403"),
    "assessments:form":                     ("GET", "visit_pk=visit",                     "login  404    404    404    404    ok     403"),
    "assessments:opinions":                 ("GET", "visit_pk=visit",                     "login  404    404    404    404    ok     ok"),
    "assessments:record_score":             ("POST", "assessment_pk=assessment",          "login  404    404    404    404    ok     403"),
    "assessments:save_note":                ("POST", "visit_pk=visit",                    "login  404    404    404    404    403    403"),
    "assessments:submit":                   ("POST", "visit_pk=visit",                    "login  404    404    404    404    403    403"),
    "audit:list":                           ("GET", "",                                   "login  403    403    403    403    ok     ok"),
    "audit:verify":                         ("GET", "",                                   "login  403    403    403    403    ok     ok"),
    "bureau:list":                          ("GET", "",                                   "login  hidden hidden hidden hidden ok     ok"),
    "bureau:preliminary":                   ("POST", "application_pk=application",        "login  404    404    404    404    403    403"),
    "bureau:survey_reply_return":           ("POST", "application_pk=application",        "login  404    404    404    404    403    403"),
    "bureau:survey_reply_send":             ("POST", "application_pk=application",        "login  404    404    404    404    403    403"),
    "closures:list":                        ("GET", "",                                   "login  ok     ok     ok     ok     ok     ok"),
    "closures:withdraw":                    ("POST", "pk=closure",                        "login  403    403    403    403    ok     403"),
    "core:healthz":                         ("GET", "",                                   "ok     ok     ok     ok     ok     ok     ok"),
    "cycles:create":                        ("GET", "",                                   "login  403    403    403    403    ok     403"),
    "cycles:detail":                        ("GET", "pk=cycle",                           "login  hidden hidden hidden hidden ok     ok"),
    "cycles:list":                          ("GET", "",                                   "login  hidden hidden hidden hidden ok     ok"),
    "cycles:targets_compute":               ("POST", "pk=cycle",                          "login  403    403    403    403    ok     403"),
    "dashboard:dashboard/notifications/":   ("GET", "",                                   "ok     ok     ok     ok     ok     ok     ok"),
    "dashboard:home":                       ("GET", "",                                   "login  hidden hidden hidden hidden ok     ok"),
    "dashboard:landing":                    ("GET", "",                                   "ok     ok     ok     ok     ok     ok     ok"),
    "dashboard:chart_deadlines":            ("GET", "",                                   "login  403    403    403    403    ok     ok"),
    "dashboard:chart_pass_rates":           ("GET", "",                                   "login  403    403    403    403    ok     ok"),
    "dashboard:chart_points_lost":          ("GET", "",                                   "login  403    403    403    403    ok     ok"),
    "dashboard:chart_states":               ("GET", "",                                   "login  403    403    403    403    ok     ok"),
    "dashboard:charts":                     ("GET", "",                                   "login  403    403    403    403    ok     ok"),
    "dashboard:whatif":                     ("GET", "",                                   "login  403    403    403    403    ok     ok"),
    "decisions:appeal":                     ("GET",  "pk=appeal",                          "login  404    404    404    404    ok     ok"),
    "decisions:file_appeal":                ("POST", "pk=application",                     "login  404    404    404    404    403    403"),
    "decisions:finalize":                   ("POST", "pk=application",                     "login  404    404    404    404    ok     403"),
    "decisions:item":                       ("GET",  "pk=item",                            "login  404    404    404    404    ok     ok"),
    "decisions:list":                       ("GET",  "",                                   "login  hidden hidden hidden hidden ok     ok"),
    "decisions:meeting":                    ("GET",  "pk=meeting",                         "login  404    404    404    404    ok     ok"),
    "dentalreview:agreement":               ("GET", "pk=dental_run clinic_id=clinic_id",  "login  404    404    404    ok     404    404"),
    "dentalreview:clinic":                  ("GET", "pk=dental_run clinic_id=clinic_id",  "login  404    404    404    ok     404    404"),
    "dentalreview:export_csv":              ("GET", "pk=dental_run",                      "login  404    404    404    ok     404    404"),
    "dentalreview:export_pdf":              ("GET", "pk=dental_run",                      "login  404    404    404    ok     404    404"),
    "dentalreview:indicator":               ("GET", "pk=dental_run indicator=indicator",  "login  404    404    404    404    404    404"),
    "dentalreview:level5":                  ("GET", "pk=dental_run",                      "login  404    404    404    ok     404    404"),
    "dentalreview:levels":                  ("GET", "",                                   "login  403    403    403    ok     403    403"),
    "dentalreview:notice":                  ("GET", "pk=dental_run clinic_id=clinic_id",  "login  404    404    404    ok     404    404"),
    "dentalreview:progress":                ("GET", "pk=dental_run",                      "login  404    404    404    ok     404    404"),
    "dentalreview:run":                     ("GET", "pk=dental_run",                      "login  404    404    404    ok     404    404"),
    "dentalreview:runs":                    ("GET", "",                                   "login  403    403    403    ok     403    403"),
    "dentalreview:whatif":                  ("GET", "pk=dental_run",                      "login  404    404    404    ok     404    404"),
    "documents:certificate":                ("GET", "pk=certificate language=language",   "login  404    404    404    404    ok     ok"),
    "documents:certificate_badge":          ("GET", "pk=certificate",                     "login  404    404    404    404    ok     ok"),
    "documents:opinions":                   ("GET", "pk=application",                     "login  404    404    404    404    404    404"),
    "documents:result_letter":              ("GET", "pk=application",                     "login  404    404    404    404    404    404"),
    "documents:summary":                    ("GET", "pk=application",                     "login  404    404    404    404    ok     ok"),
    "documents:status_letter":              ("GET", "pk=status_action",                   "login  404    404    404    404    ok     ok"),
    "documents:supplement_letter":          ("GET", "pk=application",                     "login  404    404    404    404    404    404"),
    "evidence:comment":                     ("POST", "application_pk=application",        "login  404    404    404    404    ok     403"),
    "evidence:download":                    ("GET", "application_pk=application file_pk=evidence", "login 404 404 404 404   ok     ok"),
    "evidence:upload":                      ("POST", "application_pk=application",        "login  404    404    404    404    ok     ok"),
    "evidence:upload_many":                 ("POST", "application_pk=application",        "login  404    404    404    404    ok     ok"),
    "institutions:create":                  ("GET", "",                                   "login  403    403    403    403    ok     ok"),
    "institutions:detail":                  ("GET", "code=institution",                   "login  404    404    404    404    ok     ok"),
    "institutions:edit":                    ("GET", "code=institution",                   "login  404    404    404    404    ok     ok"),
    "institutions:import":                  ("GET", "",                                   "login  403    403    403    403    ok     ok"),
    "institutions:list":                    ("GET", "",                                   "login  hidden hidden hidden hidden ok     ok"),
    "institutions:owner_change":            ("GET", "code=institution",                   "login  404    404    404    404    ok     ok"),
    "institutions:status_change":           ("GET", "code=institution",                   "login  404    404    404    404    ok     ok"),
    "notifications:list":                   ("GET", "",                                   "login  hidden hidden hidden hidden ok     ok"),
    "notifications:mark_read":              ("POST", "",                                  "login  ok     ok     ok     ok     ok     ok"),
    "programs:copy":                        ("POST", "program_id=program number=number", "login  403    403    403    403    403    ok"),
    "programs:detail":                      ("GET", "program_id=program number=number",   "login  ok     ok     ok     ok     ok     ok"),
    "programs:diff":                        ("GET", "program_id=program number=number",   "login  403    403    403    403    403    ok"),
    "programs:discard":                     ("POST", "program_id=program number=number",  "login  403    403    403    403    403    ok"),
    "programs:edit":                        ("GET", "program_id=program number=number",   "login  403    403    403    403    403    ok"),
    "programs:list":                        ("GET", "",                                   "login  ok     ok     ok     ok     ok     ok"),
    "registry:detail":                      ("GET", "pk=entry",                           "ok     ok     ok     ok     ok     ok     ok"),
    "registry:badge":                       ("GET", "program_id=program",                 "ok     ok     ok     ok     ok     ok     ok"),
    "registry:change_status":               ("POST", "pk=entry",                          "login  403    403    403    403    ok     403"),
    "registry:changes":                     ("GET", "",                                   "ok     ok     ok     ok     ok     ok     ok"),
    "registry:search":                      ("GET", "",                                   "ok     ok     ok     ok     ok     ok     ok"),
    "registry:export_csv":                  ("GET", "",                                   "ok     ok     ok     ok     ok     ok     ok"),
    "registry:export_json":                 ("GET", "",                                   "ok     ok     ok     ok     ok     ok     ok"),
    "registry:report_abolition":            ("POST", "pk=entry",                          "login  403    403    403    403    403    403"),
    "registry:verify":                      ("GET", "code=code",                          "ok     ok     ok     ok     ok     ok     ok"),
    "registry:verify_form":                 ("GET", "",                                   "ok     ok     ok     ok     ok     ok     ok"),
    "set_language":                         ("GET", "",                                   "ok     ok     ok     ok     ok     ok     ok"),
    "visits:accept_confidentiality":        ("POST", "",                                  "login  403    ok     403    403    403    403"),
    "visits:add_history":                   ("POST", "",                                  "login  403    403    403    403    ok     403"),
    "visits:assign":                        ("POST", "pk=surveyor",                       "login  404    404    404    404    ok     ok"),
    "visits:bureau_attendance":             ("POST", "pk=visit",                          "login  404    404    404    404    ok     403"),
    "visits:calendar_feed":                 ("GET", "",                                   "login  hidden hidden 403    403    403    403"),
    "visits:change_date":                   ("POST", "pk=visit",                          "login  404    404    404    404    ok     403"),
    "visits:conflicts":                     ("GET", "",                                   "login  403    403    403    403    ok     ok"),
    "visits:declare_conflict":              ("POST", "",                                  "login  403    ok     403    403    403    403", "institution_code=@institution reason=x"),
    "visits:end_assignment":                ("POST", "pk=assignment",                     "login  404    404    404    404    ok     ok"),
    "visits:feed":                          ("GET", "token=feed",                         "ok     ok     ok     ok     ok     ok     ok"),
    "visits:institution_conflicts":         ("GET", "",                                   "login  hidden 403    403    403    403    403"),
    "visits:mine":                          ("GET", "",                                   "login  403    hidden 403    403    403    403"),
    "visits:pin":                           ("POST", "pk=visit",                          "login  404    404    404    404    ok     403"),
    "visits:plan":                          ("POST", "cycle_pk=cycle",                    "login  403    403    403    403    ok     403"),
    "visits:record_consensus":              ("POST", "pk=surveyor",                       "login  404    404    404    404    ok     ok"),
    "visits:schedule":                      ("GET", "cycle_pk=cycle",                     "login  403    403    403    403    ok     403"),
    "visits:set_profile":                   ("POST", "pk=surveyor",                       "login  404    404    404    404    ok     ok"),
    "visits:surveyor_detail":               ("GET", "pk=surveyor",                        "login  404    404    404    404    ok     ok"),
    "visits:surveyor_list":                 ("GET", "",                                   "login  403    403    403    403    ok     ok"),
    "visits:waive":                         ("POST", "",                                  "login  403    403    403    403    ok     403"),
    "admin:login":                          ("GET", "",                                   "hidden hidden hidden hidden hidden hidden hidden"),
    "admin:logout":                         ("POST", "",                                  "ok     ok     ok     ok     ok     ok     ok"),
    # the Django admin: every other one of its patterns (signed-in staff only; none of these roles is staff)
    "admin:*":                              ("GET", "*",                                  "login  login  login  login  login  login  login"),
}

API = {
    # operation                                                     path arguments                     anon inst   surv   bureau nhi    office admin
    "GET /api/accounts/me":                                         ("",                              "401  ok     ok     ok     ok     ok     ok"),
    "GET /api/applications/":                                       ("",                              "401  hidden hidden hidden hidden ok     ok"),
    "GET /api/applications/{application_id}":                       ("application_id=application",    "401  404    404    404    404    ok     ok"),
    "POST /api/applications/{application_id}/appeal-waiver":        ("application_id=application",    "401  404    404    404    404    ok     403", VERSION),
    "POST /api/applications/{application_id}/notice-receipt":       ("application_id=application",    "401  404    404    404    404    ok     403", VERSION),
    "POST /api/applications/{application_id}/transitions/{name}":   ("application_id=application name=transition", "401 404 404 404 404 403 403", VERSION),
    "GET /api/assessments/visits/{visit_id}":                       ("visit_id=visit",                "401  404    404    404    404    ok     ok"),
    "POST /api/assessments/visits/{visit_id}/entries":              ("visit_id=visit",                "401  404    404    404    404    ok     403", '{"key": "C1", "value": {"score": 1}}'),
    "POST /api/assessments/visits/{visit_id}/submit":               ("visit_id=visit",                "401  404    404    404    404    403    403"),
    "GET /api/assessments/{assessment_id}":                         ("assessment_id=assessment",      "401  404    404    404    404    ok     ok"),
    "GET /api/audit/events":                                        ("",                              "401  403    403    403    403    ok     ok"),
    "GET /api/cycles/":                                             ("",                              "401  ok     ok     ok     ok     ok     ok"),
    "GET /api/cycles/{cycle_id}":                                   ("cycle_id=cycle",                "401  ok     ok     ok     ok     ok     ok"),
    "GET /api/evidence/{application_id}":                           ("application_id=application",    "401  404    404    404    404    ok     ok"),
    "GET /api/institutions/":                                       ("",                              "401  hidden hidden hidden hidden ok     ok"),
    "GET /api/institutions/{code}":                                 ("code=institution",              "401  404    404    404    404    ok     ok"),
    "GET /api/programs/":                                           ("",                              "401  ok     ok     ok     ok     ok     ok"),
    "GET /api/programs/{program_id}/{number}":                      ("program_id=program number=number", "401 ok    ok     ok     ok     ok     ok"),
    "GET /api/decisions/appeals":                                   ("",                               "401  hidden hidden hidden hidden ok     ok"),
    "GET /api/decisions/appeals/{appeal_id}":                       ("appeal_id=appeal",               "401  404    404    404    404    ok     ok"),
    "GET /api/decisions/items/{item_id}":                           ("item_id=item",                   "401  404    404    404    404    ok     ok"),
    "GET /api/decisions/meetings":                                  ("",                               "401  hidden hidden hidden hidden ok     ok"),
    "GET /api/decisions/meetings/{meeting_id}/items":               ("meeting_id=meeting",             "401  404    404    404    404    ok     ok"),
    "POST /api/decisions/appeals/{appeal_id}/outcome":              ("appeal_id=appeal",               "401  404    404    404    404    ok     403", '{"outcome": "upheld", "reason": "維持"}'),
    "POST /api/decisions/appeals/{appeal_id}/reviewers":            ("appeal_id=appeal",               "401  404    404    404    404    ok     403", '{"user_id": "@surveyor"}'),
    "POST /api/decisions/applications/{application_id}/appeal":     ("application_id=application",     "401  404    404    404    404    403    403", '{"statement": "申復"}'),
    "POST /api/decisions/applications/{application_id}/finalize":   ("application_id=application",     "401  404    404    404    404    ok     403"),
    "POST /api/decisions/items/{item_id}/approve":                  ("item_id=item",                   "401  404    404    404    404    403    ok"),
    "POST /api/decisions/items/{item_id}/decision":                 ("item_id=item",                   "401  404    404    404    404    ok     403", '{"result": "pass"}'),
    "POST /api/decisions/items/{item_id}/vote":                     ("item_id=item",                   "401  404    404    404    404    403    403", '{"result": "pass"}'),
    "POST /api/decisions/meetings":                                 ("",                               "401  403    403    403    403    ok     403", '{"cycle_id": "@cycle", "title": "評定會議", "held_on": "2026-01-05"}'),
    "GET /api/registry/":                                           ("",                              "ok   ok     ok     ok     ok     ok     ok"),
    "GET /api/visits/assignments":                                  ("",                              "401  hidden hidden hidden hidden ok     ok"),
    "POST /api/visits/assignments":                                 ("",                              "401  403    403    403    403    ok     ok", '{"surveyor_id": "@surveyor", "institution_code": "@institution", "cycle_label": "x"}'),
    "GET /api/visits/conflicts":                                    ("",                              "401  hidden hidden hidden hidden ok     ok"),
    "POST /api/visits/conflicts":                                   ("",                              "401  403    ok     403    403    403    403", '{"institution_code": "@institution", "reason": "x"}'),
    "POST /api/visits/conflicts/by-institution":                    ("",                              "401  404    404    404    404    ok     403", '{"institution_code": "@institution", "surveyor_id": "@surveyor", "reason": "x"}'),
    "POST /api/visits/conflicts/waive":                             ("",                              "401  403    403    403    403    ok     403", '{"surveyor_id": "@surveyor", "institution_code": "@institution", "basis": "x", "reason": "x"}'),
    "GET /api/visits/roster":                                       ("",                              "401  403    403    403    403    ok     ok"),
    "GET /api/visits/schedule":                                     ("",                              "401  hidden hidden hidden hidden ok     ok"),
    "GET /api/visits/schedule/{visit_id}":                          ("visit_id=visit",                "401  404    404    404    404    ok     ok"),
}
# fmt: on
