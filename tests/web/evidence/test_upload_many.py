"""Evidence that fits many slots (issue 18): completeness per part, several files at once matched to
their slots by name or by choice, the rest named back, and the uploader's Chinese file name with
its version on download (RFC 5987)."""

from __future__ import annotations

from urllib.parse import quote

from django.core.files.uploadedfile import SimpleUploadedFile

from pingjian.web.evidence.models import EvidenceFile
from pingjian.web.evidence.slots import slots_for
from pingjian.web.evidence.views import match_slot
from tests.web.support import client_for, pdf_bytes


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def test_a_file_name_picks_the_longest_slot_key_with_a_boundary():
    keys = ["A1.1-1", "A1.1-10", "C1-1"]
    assert match_slot("A1.1-1 消防安全設備檢查紀錄表.pdf", keys) == "A1.1-1"
    assert match_slot("a1.1-10_人員名冊.pdf", keys) == "A1.1-10"
    assert match_slot("C1-1.pdf", keys) == "C1-1"
    assert match_slot("C1-12.pdf", keys) is None and match_slot("平面圖.pdf", keys) is None


def test_several_files_at_once_go_to_their_slots_and_the_rest_are_named_back(application, role_users):
    member = client_for(role_users["institution"])
    keys = [s.key for s in slots_for(application.program_version.program())]
    response = member.post(
        f"/evidence/{application.pk}/upload-many/",
        {
            "files": [_pdf(f"{keys[0]} 人員名冊.pdf"), _pdf("平面圖.pdf"), _pdf("教育訓練紀錄.pdf")],
            "slot_for": ["", "", keys[2]],
        },
        follow=True,
    )
    page = response.content.decode()
    assert set(EvidenceFile.objects.filter(application=application).values_list("slot_key", flat=True)) == {
        keys[0],
        keys[2],
    }
    assert "已上傳 2 個檔案" in page and "無法對應上傳項目" in page and "平面圖.pdf" in page
    assert f"已上傳 2/{len(keys)}" in page  # the whole count, and each part's


def test_each_part_has_its_own_completeness_count(application, role_users):
    member = client_for(role_users["institution"])
    slots = slots_for(application.program_version.program())
    member.post(f"/evidence/{application.pk}/upload-many/", {"files": [_pdf(f"{slots[0].key}.pdf")]})
    page = member.get(f"/applications/{application.pk}/").content.decode()
    program = application.program_version.program()
    group = next(i.group for i in program.items if i.id == slots[0].item_id)
    in_group = sum(1 for s in slots if next(i.group for i in program.items if i.id == s.item_id) == group)
    count = page[page.index(f'data-testid="part-count-{group}"') :]
    assert count[count.index(">") + 1 :].startswith(f"已上傳 1/{in_group}")


def test_download_keeps_the_chinese_name_with_the_version(application, role_users):
    member = client_for(role_users["institution"])
    key = slots_for(application.program_version.program())[0].key
    for _ in range(2):
        member.post(
            f"/evidence/{application.pk}/upload-many/", {"files": [_pdf(f"{key} 消防安全設備檢查紀錄表.pdf")]}
        )
    latest = EvidenceFile.objects.filter(application=application).latest("number")
    response = member.get(f"/evidence/{application.pk}/files/{latest.pk}/")
    disposition = response["Content-Disposition"]
    expected = f"{key}_消防安全設備檢查紀錄表_第2版.pdf"
    assert f"filename*=utf-8''{quote(expected)}" in disposition and disposition.startswith("attachment")
