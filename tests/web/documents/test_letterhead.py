"""The letterhead on the letters comes from data: the program owner's office (ProgramOffice: 地址,
承辦單位, 電話, 傳真, 電子信箱), kept by office staff in the admin, each save audited; a letter
prints what is stored when it is generated, and leaves the lines out while nothing is stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from pingjian.web.audit.models import AuditEvent
from pingjian.web.programs.actions import do_save_program_office
from pingjian.web.programs.models import ProgramOffice
from tests.web.support import client_for, text_of

JCT = "財團法人醫院評鑑暨醫療品質策進會 (JCT)"


def _letter_text(user, application) -> str:  # type: ignore[no-untyped-def]
    response = client_for(user).get(f"/documents/applications/{application.pk}/supplement-letter.pdf")
    assert response.status_code == 200
    return text_of(response.content).replace("\n", "")


def test_the_letter_prints_the_offices_address_unit_and_phone_from_data(supplement_case, office, clinic_user):
    office_row = do_save_program_office(
        ProgramOffice(
            owner=JCT,
            unit="診所認證辦公室",
            address="220新北市板橋區文化路一段188號5樓",
            phone="(02)2960-1188",
            fax="(02)2960-1189",
        ),
        actor=office,
    )
    text = _letter_text(clinic_user, supplement_case)
    assert "地址：220新北市板橋區文化路一段188號5樓" in text
    assert (
        "承辦單位：診所認證辦公室" in text and "電話：(02)2960-1188" in text and "傳真：(02)2960-1189" in text
    )
    assert "副本：本會診所認證辦公室" in text
    assert "電子信箱：office@jct.example" in text  # the officer's own address comes first
    office_row.phone = "(02)2960-2000"
    do_save_program_office(office_row, actor=office, reason="總機換號")
    assert "電話：(02)2960-2000" in _letter_text(office, supplement_case)
    changed = AuditEvent.objects.for_subject(office_row).get(event_type="program_office.changed")
    assert (changed.before, changed.after, changed.reason) == (
        {"phone": "(02)2960-1188"},
        {"phone": "(02)2960-2000"},
        "總機換號",
    )


def test_an_office_of_another_owner_is_not_printed_and_no_office_means_no_address(supplement_case, office):
    do_save_program_office(
        ProgramOffice(owner="衛生福利部", address="115臺北市南港區忠孝東路六段100號", phone="(02)2785-0100"),
        actor=office,
    )
    text = _letter_text(office, supplement_case)
    assert "地址：" not in text and "南港區" not in text
    assert "副本：本會評鑑辦公室" in text  # the default unit


def test_only_office_staff_keep_the_letterhead(role_users):
    for name, allowed in {
        "office": True,
        "program_admin": True,
        "institution": False,
        "bureau": False,
    }.items():
        user = role_users[name]
        row = ProgramOffice(owner=f"主辦機關{name}", address="地址", phone="電話")
        if allowed:
            do_save_program_office(row, actor=user)
        else:
            with pytest.raises(PermissionDenied):
                do_save_program_office(row, actor=user)
    assert set(ProgramOffice.objects.values_list("owner", flat=True)) == {
        "主辦機關office",
        "主辦機關program_admin",
    }
