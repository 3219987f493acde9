"""Every audit event type (稽核事件類型) an action records, with its name in words.

The values are the strings stored in `AuditEvent.event_type` and hashed into the chain: never
change one, add a new member instead. `record_event` refuses a type not listed here, and pages show
the label, never the key. The application's workflow transitions are `application.<transition>`
(applications.actions.TRANSITION_EVENTS), labelled with the words of workflow.TRANSITIONS.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    # accounts
    USER_CREATED = "user.created", _("新增使用者")
    USER_DEACTIVATED = "user.deactivated", _("停用帳號")
    USER_REACTIVATED = "user.reactivated", _("恢復帳號")
    USER_ADMIN_ACCESS_CHANGED = "user.admin_access_changed", _("變更管理後台使用權限")
    MEMBERSHIP_GRANTED = "membership.granted", _("授予角色")
    MEMBERSHIP_REVOKED = "membership.revoked", _("撤銷角色")
    LOGIN_SUCCEEDED = "login.succeeded", _("登入成功")
    LOGIN_FAILED = "login.failed", _("登入失敗")
    LOGIN_LOCKED_OUT = "login.locked_out", _("登入失敗次數過多，暫停登入")
    LOGGED_OUT = "login.logged_out", _("登出")
    OTP_ENROLLED = "otp.enrolled", _("設定雙重驗證裝置")
    OTP_VERIFIED = "otp.verified", _("雙重驗證通過")
    OTP_FAILED = "otp.failed", _("雙重驗證碼錯誤")
    OTP_RESET = "otp.reset", _("重設雙重驗證")
    API_TOKEN_CREATED = "api_token.created", _("建立 API 存取權杖")
    API_TOKEN_REVOKED = "api_token.revoked", _("撤銷 API 存取權杖")

    # institutions
    INSTITUTION_CREATED = "institution.created", _("新增機構")
    INSTITUTION_UPDATED = "institution.updated", _("機構資料更新")
    INSTITUTION_OWNER_CHANGED = "institution.owner_changed", _("負責人變更")
    INSTITUTION_SUSPENDED = "institution.suspended", _("停業")
    INSTITUTION_REOPENED = "institution.reopened", _("復業")
    INSTITUTION_CLOSED = "institution.closed", _("歇業")
    INSTITUTIONS_IMPORTED = "institutions.imported", _("匯入機構")

    # visits
    SURVEYOR_ASSIGNED = "surveyor.assigned", _("指派委員")
    SURVEYOR_ASSIGNMENT_ENDED = "surveyor.assignment_ended", _("結束指派")
    SURVEYOR_CONFLICT_DECLARED = "surveyor.conflict_declared", _("申報利益迴避")
    SURVEYOR_CONFIDENTIALITY_ACCEPTED = "surveyor.confidentiality_accepted", _("簽署保密同意")
    SURVEYOR_PROFILE_SET = "surveyor.profile_set", _("更新委員名冊")
    SURVEYOR_UNAVAILABILITY_SET = "surveyor.unavailability_set", _("登錄不克訪查時段")
    SURVEYOR_UNAVAILABILITY_REMOVED = "surveyor.unavailability_removed", _("刪除不克訪查時段")
    SURVEYOR_CONSENSUS_ATTENDED = "surveyor.consensus_attended", _("登錄共識會議出席")
    VISITS_PLANNED = "visits.planned", _("排定梯次實地訪查")
    VISIT_PINNED = "visit.pinned", _("固定實地訪查時段")
    VISIT_TEAM_CHANGED = "visit.team_changed", _("更換實地訪查委員")
    CONFLICT_DECLARED_BY_INSTITUTION = "conflict.declared_by_institution", _("機構申報委員利益迴避")
    CONFLICT_WAIVED = "conflict.waived", _("免除利益迴避")
    SURVEYOR_HISTORY_ADDED = "surveyor.history_added", _("登錄委員經歷")
    VISIT_DATE_CHANGED = "visit.date_changed", _("受評機構申請變更訪查日期")
    VISITS_REPLANNED_FOR_CLOSURE = "visits.replanned_for_closure", _("停止上班改排實地訪查")
    VISIT_RESTORED_AFTER_CLOSURE = "visit.restored_after_closure", _("停止上班撤銷改回原訂訪查時段")
    VISIT_BUREAU_ATTENDANCE = "visit.bureau_attendance", _("登錄衛生局會同")
    CALENDAR_FEED_ISSUED = "calendar_feed.issued", _("產生行事曆訂閱網址")
    CALENDAR_FEED_REVOKED = "calendar_feed.revoked", _("停用行事曆訂閱網址")

    # assessments
    ASSESSMENT_ENTRY_SAVED = "assessment.entry_saved", _("登錄評分")
    ASSESSMENT_ENTRY_CHANGED = "assessment.entry_changed", _("送出後變更評分")
    ASSESSMENT_SUBMITTED = "assessment.submitted", _("訪查小組送出評分")
    ASSESSMENT_SCORE_RECORDED = "assessment.score_recorded", _("依評分結果登錄成績")
    SURVEYOR_NOTE_SAVED = "surveyor.note_saved", _("儲存委員個人筆記")
    OPINION_SAVED = "opinion.saved", _("撰寫評鑑意見")
    OPINION_SUBMITTED = "opinion.submitted", _("訪查小組送審評鑑意見書")
    OPINION_APPROVED = "opinion.approved", _("核定評鑑意見書")
    OPINION_RETURNED = "opinion.returned", _("退回評鑑意見書")

    # registry
    REGISTRY_PUBLISHED = "registry.published", _("公告評鑑結果")
    REGISTRY_CERTIFICATE_ISSUED = "registry.certificate_issued", _("核發評鑑合格證書")
    REGISTRY_REVOKED = "registry.revoked", _("撤銷評鑑合格")
    REGISTRY_ABOLISHED = "registry.abolished", _("廢止評鑑合格")
    REGISTRY_SUSPENDED = "registry.suspended", _("中止認證")
    REGISTRY_TERMINATED = "registry.terminated", _("終止認證")
    REGISTRY_WITHDRAWN = "registry.withdrawn", _("機構自願退出")
    REGISTRY_ABOLITION_REPORTED = "registry.abolition_reported", _("衛生局通報廢止事由")
    REGISTRY_FOLLOW_UP_PLANNED = "registry.follow_up_planned", _("排定追蹤訪查")
    REGISTRY_FOLLOW_UP_RECORDED = "registry.follow_up_recorded", _("登錄追蹤訪查結果")

    # programs
    PROGRAM_LOADED = "program.loaded", _("載入評鑑計畫")
    PROGRAM_DRAFT_CREATED = "program.draft_created", _("建立評鑑計畫草稿")
    PROGRAM_DRAFT_UPDATED = "program.draft_updated", _("修改評鑑計畫草稿")
    PROGRAM_PUBLISHED = "program.published", _("發布評鑑計畫")
    PROGRAM_DRAFT_DISCARDED = "program.draft_discarded", _("捨棄評鑑計畫草稿")
    PROGRAM_OFFICE_CREATED = "program_office.created", _("新增評鑑辦公室函稿資料")
    PROGRAM_OFFICE_CHANGED = "program_office.changed", _("修改評鑑辦公室函稿資料")

    # cycles
    CYCLE_CREATED = "cycle.created", _("新增評鑑梯次")
    CYCLE_TARGETS_COMPUTED = "cycle.targets_computed", _("列出評鑑對象")
    CYCLE_TARGETS_CONFIRMED = "cycle.targets_confirmed", _("衛生局確認評鑑對象")

    # closures
    CLOSURE_ENTERED = "closure.entered", _("登錄停班停課")
    CLOSURE_WITHDRAWN = "closure.withdrawn", _("撤銷停班停課")

    # dentalreview (NHI dental guidance points)
    DENTAL_RUN_REQUESTED = "dental.run_requested", _("申請牙醫輔導積分季別計算")
    DENTAL_RUN_FINISHED = "dental.run_finished", _("牙醫輔導積分季別計算完成")
    DENTAL_RUN_FAILED = "dental.run_failed", _("牙醫輔導積分季別計算失敗")

    # bureau
    BUREAU_PRELIMINARY_REVIEW_RECORDED = "bureau.preliminary_review_recorded", _("登錄初審結果")
    BUREAU_SURVEY_REPLY_SENT = "bureau.survey_reply_sent", _("寄送衛生局調查回復單")
    BUREAU_SURVEY_REPLY_RETURNED = "bureau.survey_reply_returned", _("衛生局寄回調查回復單")

    # evidence
    EVIDENCE_UPLOADED = "evidence.uploaded", _("上傳佐證資料")
    EVIDENCE_COMMENTED = "evidence.commented", _("佐證資料意見")

    # applications
    APPLICATION_OPENED = "application.opened", _("建立申請案")
    APPLICATION_FEE_RECORDED = "application.fee_recorded", _("登錄認證費用")
    APPLICATION_PART_UNLOCKED = "application.part_unlocked", _("解鎖")
    APPLICATION_PART_RELOCKED = "application.part_relocked", _("重新鎖定")
    APPLICATION_NOTICE_RECEIVED = "application.notice_received", _("收受評定通知")
    APPLICATION_APPEAL_WAIVED = "application.appeal_waived", _("聲明放棄申復")
    APPLICATION_DEADLINES_RECOMPUTED = "application.deadlines_recomputed", _("重新計算期限")
    APPLICATION_VISIT_DATE_MOVED = "application.visit_date_moved", _("實地訪查日期隨排程異動")
    APPLICATION_RENEWAL_OPENED = "application.renewal_opened", _("開啟續約申請案")

    # applications: the workflow transitions (labels as in workflow.TRANSITIONS)
    APPLICATION_SUBMIT = "application.submit", _("送出申請")
    APPLICATION_START_REVIEW = "application.start_review", _("開始資格審查")
    APPLICATION_REQUEST_SUPPLEMENT = "application.request_supplement", _("通知補件")
    APPLICATION_RESUBMIT = "application.resubmit", _("完成補件")
    APPLICATION_ACCEPT = "application.accept", _("資格審查通過")
    APPLICATION_REJECT = "application.reject", _("不受理")
    APPLICATION_REQUEST_EVIDENCE = "application.request_evidence", _("通知繳交申報資料")
    APPLICATION_SCHEDULE_VISIT = "application.schedule_visit", _("排定實地訪查")
    APPLICATION_RECORD_VISIT = "application.record_visit", _("完成實地訪查")
    APPLICATION_RECORD_SCORE = "application.record_score", _("登錄成績")
    APPLICATION_DECIDE = "application.decide", _("評定結果")
    APPLICATION_APPEAL = "application.appeal", _("提出申復")
    APPLICATION_FINALIZE = "application.finalize", _("結果確定")
    APPLICATION_WITHDRAW = "application.withdraw", _("撤回申請")

    # decisions: determination meetings, decisions, appeals (issue 14)
    DECISION_MEETING_CREATED = "decision.meeting_created", _("建立評定會議")
    DECISION_MEMBER_SEATED = "decision.member_seated", _("列入評定委員")
    DECISION_ATTENDANCE_RECORDED = "decision.attendance_recorded", _("登錄評定委員出席")
    DECISION_ITEM_ADDED = "decision.item_added", _("列入評定案")
    DECISION_VOTE_RECORDED = "decision.vote_recorded", _("評定委員表示意見")
    DECISION_RECORDED = "decision.recorded", _("登錄評定會議決議")
    DECISION_APPROVED = "decision.approved", _("核定評定結果")
    DECISION_APPEAL_FILED = "decision.appeal_filed", _("受理申復")
    DECISION_REVIEWER_ASSIGNED = "decision.reviewer_assigned", _("指派申復複審委員")
    DECISION_APPEAL_OUTCOME = "decision.appeal_outcome", _("登錄申復結果")
    DECISION_FINALIZED = "decision.finalized", _("評定結果確定")
