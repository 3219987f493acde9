"""No 5xx from bad parameters (issue 17, item 3) and a request body capped before it is read
(item 2): the cases the issue found, then a property test over every API query parameter (from
the OpenAPI document) and every URL pattern's path converters."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pingjian.web.core.pagination import MAX_PAGE_SIZE

from ..support import client_for

HUGE = 10**20


@pytest.mark.parametrize(
    "url", ["/api/institutions/", "/api/audit/events", "/api/registry/", "/api/applications/"]
)
@pytest.mark.parametrize("param", [f"limit={HUGE}", f"offset={HUGE}", "limit=100000", "limit=0", "offset=-1"])
def test_out_of_range_limit_and_offset_are_refused_with_422_naming_the_field(office, url, param):
    response = client_for(office).get(f"{url}?{param}")
    assert response.status_code == 422
    assert param.split("=")[0] in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/api/institutions/", "/api/audit/events", "/api/registry/", "/api/applications/"]
)
def test_every_api_list_is_paginated_with_a_maximum_page_size(office, url):
    body = client_for(office).get(f"{url}?limit={MAX_PAGE_SIZE}").json()
    assert set(body) == {"items", "count"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/registry/?q=%00",
        "/api/institutions/?q=%00",
        "/api/applications/?state=%00",
        "/institutions/%00/",
        "/registry/?q=a%00b",
        "/api/institutions/%00",
    ],
)
def test_a_nul_in_a_query_parameter_or_path_segment_is_refused_with_400(office, url):
    response = client_for(office).get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_in_a_posted_json_string_or_form_field_is_refused_with_400(office, application):
    client = client_for(office)
    api = client.post(
        f"/api/applications/{application.pk}/transitions/submit",
        {"version": application.version, "message": "a\x00b"},
        content_type="application/json",
    )
    page = client.post("/visits/conflicts/declare/", {"institution_code": "0190000001\x00", "reason": "x"})
    assert (api.status_code, page.status_code) == (400, 400)
    assert "NUL" in api.json()["detail"]


def test_the_refusals_speak_english_to_those_who_chose_it(office):
    client = client_for(office)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "control character (NUL)" in client.get("/registry/?q=%00").content.decode()


@pytest.mark.parametrize(
    "url", [f"/api/applications/{HUGE}", f"/applications/{HUGE}/", f"/api/cycles/{HUGE}"]
)
def test_a_key_beyond_a_64_bit_integer_in_the_path_is_404(office, url):
    assert client_for(office).get(url).status_code == 404


class _UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")

    readline = read


def test_a_150_mb_upload_is_refused_from_its_content_length_without_being_read(institution_user, application):
    response = client_for(institution_user).generic(
        "POST",
        f"/evidence/{application.pk}/upload/",
        data=b"x",
        content_type="multipart/form-data; boundary=xyz",
        **{"wsgi.input": _UnreadableBody(), "CONTENT_LENGTH": str(150 * 1024 * 1024)},
    )
    assert response.status_code == 413
    assert "MB" in response.content.decode()


# --- the property test --------------------------------------------------------------------------

_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
_values = st.one_of(
    _text,
    _text.map(lambda s: s + "\x00"),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["\x00", str(HUGE), str(2**63), str(2**63 - 1), "-1", "0", "1e309", "NaN", "%", "../.."]),
)
_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every URL pattern as a route string, e.g. 'applications/<int:pk>/'."""
    routes = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes += _routes(pattern, route)
        elif isinstance(pattern, URLPattern) and not route.startswith(("^", "admin/")):
            routes.append(route)
    return sorted({r.lstrip("^").rstrip("$") for r in routes if "(?P" not in r})


def _fill(route: str, values: list[str]) -> str:
    it = iter(values)
    return "/" + _CONVERTER.sub(lambda m: quote(next(it), safe=""), route)


def _api_operations(client) -> list[tuple[str, str, list[str], list[str]]]:
    """(method, path template, path parameters, query parameters) of every API operation."""
    spec = client.get("/api/openapi.json").json()
    operations = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            params = op.get("parameters", [])
            operations.append(
                (
                    method.upper(),
                    path,
                    [p["name"] for p in params if p["in"] == "path"],
                    [p["name"] for p in params if p["in"] == "query"],
                )
            )
    return operations


PROPERTY = hypothesis_settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY
@given(data=st.data())
def test_no_api_operation_answers_5xx_to_random_strings_nuls_and_huge_integers(office, application, data):
    client = client_for(office)
    operations = _api_operations(client)
    assert len(operations) >= 10
    method, path, path_params, query_params = data.draw(st.sampled_from(operations))
    url = path
    for name in path_params:
        url = url.replace("{" + name + "}", quote(data.draw(_values), safe=""))
    query = {name: data.draw(_values) for name in query_params if data.draw(st.booleans())}
    response = client.generic(method, f"{url}?{urlencode(query)}", data="{}", content_type="application/json")
    assert response.status_code < 500, (method, url, query, response.content[:300])


@PROPERTY
@given(data=st.data())
def test_no_page_answers_5xx_to_random_path_segments_and_query_strings(office, application, data):
    routes = _routes()
    assert len(routes) >= 30
    route = data.draw(st.sampled_from(routes))
    url = _fill(route, [data.draw(_values) for _ in _CONVERTER.finditer(route)])
    query = {name: data.draw(_values) for name in ("q", "page", "state", "version", "county", "type", "next")}
    response = client_for(office).get(f"{url}?{urlencode(query)}")
    assert response.status_code < 500, (url, query, response.content[:300])
