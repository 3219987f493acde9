"""Notification subjects are a message key and its words, shown in the reader's language (issue 18
item 9: English mode translates the notification subjects too); rows written before keys existed
still read as written. The evidence-comment and bureau notifications say who, which item and
cycle, what happened and what to do (issue 18 item 3)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from pingjian.web.applications.actions import fire
from pingjian.web.bureau.actions import do_send_survey_reply
from pingjian.web.evidence.actions import do_comment_evidence
from pingjian.web.evidence.slots import slots_for
from pingjian.web.notifications.messages import message
from pingjian.web.notifications.models import Notification
from pingjian.web.notifications.notify import notify
from tests.web.support import client_for, make_user


def _page(user, language):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(settings.LANGUAGE_CODE):  # the request's language ends with it
        return client.get("/notifications/").content.decode()


def test_a_subject_is_stored_as_a_key_and_shown_in_the_readers_language(
    application, institution_user, office
):
    fire(application, "submit", actor=institution_user)
    row = Notification.objects.get(recipient=office)
    assert row.message_key == "{institution}：{step}（{cycle}）"
    assert row.message_params["institution"] == application.institution.name
    assert row.subject == f"{application.institution.name}：送出申請（{application.cycle.title}）"
    assert row.subject in _page(office, "zh-hant")
    english = _page(office, "en")
    assert f"{application.institution.name}: Submit application ({application.cycle.title})" in english
    assert "送出申請（" not in english


def test_a_row_written_before_keys_reads_as_written(office):
    (row,) = notify([office], subject="舊通知：資格審查通過")
    assert row.message_key == "" and row.display_subject == "舊通知：資格審查通過"
    assert "舊通知：資格審查通過" in _page(office, "en")


def test_a_translation_missing_a_field_falls_back_to_the_chinese(office):
    (row,) = notify([office], subject=message("{institution}：臨時訊息", institution="安心"))
    assert row.display_subject == "安心：臨時訊息"


def test_an_evidence_comment_names_the_institution_item_and_cycle_and_what_to_do(
    application, institution_user, office
):
    slot = slots_for(application.program_version.program())[0]
    do_comment_evidence(application, slot_key=slot.key, text="請補附簽到表。", actor=office)
    row = Notification.objects.get(recipient=institution_user)
    assert row.subject == (
        f"{application.institution.name}：評鑑辦公室對「{slot.item_id} {slot.item_title}」"
        "之佐證資料提出審閱意見"
        f"（{application.cycle.title}）"
    )
    assert "請補附簽到表。" in row.body and "補正檔案或回覆說明" in row.body
    assert slot.key not in row.subject  # no slot code alone
    assert "the office commented on the evidence for" in _page(institution_user, "en")


def test_the_bureau_is_told_what_to_do_with_a_survey_reply(application, institution_user):
    bureau = make_user("bureau-words", "bureau", county=application.institution.county)
    do_send_survey_reply(application, actor=institution_user, statement="無違規紀錄。")
    row = Notification.objects.get(recipient=bureau)
    assert application.cycle.title in row.subject and "待查證" in row.subject
    assert "查證後" in row.body and "寄回" in row.body
