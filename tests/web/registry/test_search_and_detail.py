"""The public registry: search by name/code, type, county and program; valid entries by default;
validity in ROC; a detail page per published entry (drafts 404 to the public)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pingjian.web.registry.models import EntryStatus, RegistryEntry
from tests.web.support import client_for


@pytest.fixture
def entries(ours, theirs):
    now = timezone.now()
    make = RegistryEntry.objects.create
    return {
        "valid": make(
            institution=ours, program_id="postpartum-111", program_title="111年度產後護理之家評鑑",
            valid_from=dt.date(2023, 1, 1), valid_until=dt.date(2099, 12, 31), published_at=now,
        ),
        "expired": make(
            institution=ours, program_id="postpartum-107", program_title="107年度產後護理之家評鑑",
            valid_from=dt.date(2018, 1, 1), valid_until=dt.date(2021, 12, 31), published_at=now,
        ),
        "dental": make(
            institution=theirs, program_id="dental-x", program_title="牙醫品質認證",
            valid_from=dt.date(2023, 9, 15), valid_until=dt.date(2099, 9, 14), published_at=now,
        ),
        "draft": make(
            institution=theirs, program_id="y", program_title="尚未公告", valid_from=dt.date(2023, 1, 1),
        ),
    }  # fmt: skip


def _titles(body: str) -> set[str]:
    return {
        t
        for t in ("111年度產後護理之家評鑑", "107年度產後護理之家評鑑", "牙醫品質認證", "尚未公告")
        if t in body
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"111年度產後護理之家評鑑", "牙醫品質認證"}),
        ("?q=0250000002", {"牙醫品質認證"}),
        ("?q=０２５００００００２", {"牙醫品質認證"}),
        ("?q=安心", {"111年度產後護理之家評鑑"}),
        ("?type=dental_clinic", {"牙醫品質認證"}),
        ("?county=TPE", {"111年度產後護理之家評鑑"}),
        ("?program=dental-x", {"牙醫品質認證"}),
        ("?include_expired=on&q=安心", {"111年度產後護理之家評鑑", "107年度產後護理之家評鑑"}),
    ],
)
def test_search_filters(entries, query, expected):
    body = client_for(None).get(f"/registry/{query}").content.decode()
    assert _titles(body.split('id="results"')[1]) == expected


def test_validity_is_shown_in_roc(entries):
    body = client_for(None).get("/registry/").content.decode()
    assert "112/01/01" in body and "188/12/31" in body and ">2023-01-01<" not in body


def test_the_program_filter_offers_only_published_programs(entries):
    body = client_for(None).get("/registry/").content.decode()
    assert 'value="dental-x"' in body and 'value="y"' not in body


def test_the_search_page_uses_a_fixed_number_of_queries(entries, django_assert_max_num_queries):
    client = client_for(None)
    with django_assert_max_num_queries(4):
        client.get("/registry/?include_expired=on")


def test_the_public_reads_a_published_entry(entries, ours):
    body = client_for(None).get(f"/registry/{entries['valid'].pk}/").content.decode()
    assert ours.name in body and "效期內" in body and "112年1月1日" in body and "188年12月31日" in body
    assert "107年度產後護理之家評鑑" in body  # the institution's other result


def test_an_expired_entry_says_so(entries):
    body = client_for(None).get(f"/registry/{entries['expired'].pk}/").content.decode()
    assert "已過期" in body


def test_a_revoked_entry_says_so(entries):
    entry = entries["dental"]
    entry.status, entry.status_changed_on = EntryStatus.REVOKED, dt.date(2024, 2, 1)
    entry.save()
    body = client_for(None).get(f"/registry/{entry.pk}/").content.decode()
    assert "已撤銷" in body and "113年2月1日" in body


def test_a_draft_or_unknown_entry_is_404_to_the_public_but_not_to_the_office(entries, office):
    assert client_for(None).get(f"/registry/{entries['draft'].pk}/").status_code == 404
    assert client_for(None).get("/registry/999999/").status_code == 404
    assert client_for(office).get(f"/registry/{entries['draft'].pk}/").status_code == 200


def test_the_search_form_is_labelled(entries):
    body = client_for(None).get("/registry/").content.decode()
    for field in ("q", "type", "county", "program", "include_expired"):
        assert f'for="id_{field}"' in body
