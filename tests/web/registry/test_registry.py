import datetime as dt

import pytest
from django.utils import timezone

from pingjian.web.registry.models import EntryStatus, RegistryEntry
from tests.web.support import client_for


@pytest.fixture
def entries(ours, theirs):
    now = timezone.now()
    valid = RegistryEntry.objects.create(
        institution=ours, program_id="postpartum-111", program_title="111年度產後護理之家評鑑",
        valid_from=dt.date(2023, 1, 1), valid_until=dt.date(2099, 12, 31), published_at=now,
    )  # fmt: skip
    revoked = RegistryEntry.objects.create(
        institution=theirs, program_id="x", program_title="已撤銷的認證", valid_from=dt.date(2023, 1, 1),
        valid_until=dt.date(2099, 1, 1), status=EntryStatus.REVOKED, published_at=now,
    )  # fmt: skip
    draft = RegistryEntry.objects.create(
        institution=theirs, program_id="y", program_title="尚未公告", valid_from=dt.date(2023, 1, 1),
    )  # fmt: skip
    return valid, revoked, draft


def test_the_public_sees_valid_published_results_only(entries):
    body = client_for(None).get("/registry/").content.decode().split('id="results"')[1]
    assert "111年度產後護理之家評鑑" in body and "112/01/01" in body
    assert "已撤銷的認證" not in body and "尚未公告" not in body


def test_revoked_results_show_when_asked_but_drafts_never(entries):
    body = client_for(None).get("/registry/?include_expired=on").content.decode().split('id="results"')[1]
    assert "已撤銷的認證" in body and "尚未公告" not in body


def test_search_by_name(entries, ours):
    assert ours.name in client_for(None).get("/registry/?q=安心").content.decode()
    assert ours.name not in client_for(None).get("/registry/?q=不存在").content.decode()


def test_public_api_lists_valid_results_without_a_session(entries, ours):
    body = client_for(None).get("/api/registry/").json()
    assert [item["institution_code"] for item in body["items"]] == [ours.code]


def test_htmx_search_returns_only_the_results_fragment(entries):
    response = client_for(None).get("/registry/?q=安心", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="results"' in body and "<html" not in body
