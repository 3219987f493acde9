import pytest
from django.db import IntegrityError, transaction

from pingjian.web.accounts.models import Membership
from tests.web.support import client_for, verify_two_factor


def test_me_reports_roles_and_scope(institution_user, ours):
    body = client_for(institution_user).get("/api/accounts/me").json()
    assert body["roles"] == ["institution"] and body["institution_ids"] == [ours.pk]


def test_me_needs_a_session(db):
    assert client_for(None).get("/api/accounts/me").status_code == 401


def test_an_institution_membership_needs_an_institution(outsider):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=outsider, role="institution")


def test_a_bureau_membership_needs_a_county(outsider):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=outsider, role="bureau")


def test_api_writes_need_the_csrf_token(office):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(office)
    verify_two_factor(client, office)
    assert client.post("/api/accounts/me").status_code in (403, 405)
