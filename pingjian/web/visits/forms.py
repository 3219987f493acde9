from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pingjian.web.accounts.models import User
from pingjian.web.core.clock import local_today
from pingjian.web.core.forms import ReasonField, RocDateField
from pingjian.web.core.institution_codes import normalise_code
from pingjian.web.cycles.models import Cycle
from pingjian.web.institutions.models import Institution

from .models import (
    ConflictOfInterest,
    ConflictReason,
    Expertise,
    Half,
    HistoryKind,
    SurveyorAssignment,
    VisitChangeReason,
)


def _institution_by_code(form: forms.Form, field: str) -> Institution | None:
    code = normalise_code(form.cleaned_data.get(field) or "")
    if not code:
        return None
    institution = Institution.objects.filter(code=code).first()
    if institution is None:
        form.add_error(field, _("查無醫事機構代碼 %(code)s") % {"code": code})
    return institution


class ConflictForm(forms.Form):
    """利益迴避申報: pick one of the assigned institutions, or give any institution's code."""

    institution = forms.ModelChoiceField(
        label=_("受指派的機構"), queryset=Institution.objects.none(), required=False, empty_label="—"
    )
    institution_code = forms.CharField(
        label=_("或輸入醫事機構代碼"), required=False, max_length=20,
        help_text=_("尚未指派的機構也可事先申報"),
    )  # fmt: skip
    reason_code = forms.ChoiceField(
        label=_("事由類別"), choices=ConflictReason.choices, required=False,
        help_text=_("任職、負責人或親屬任職者絕對迴避；其他事由得由計畫辦公室審查免除"),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("迴避事由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例如：曾任該機構顧問、親屬任職、三年內有僱傭關係"),
    )  # fmt: skip

    def __init__(self, *args: Any, surveyor: Any, assigned: Any, **kwargs: Any) -> None:
        self.surveyor = surveyor
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = assigned

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        by_code = _institution_by_code(self, "institution_code")
        chosen = data.get("institution")
        if chosen and by_code and chosen != by_code:
            raise forms.ValidationError(_("請只選擇一個機構"))
        data["target"] = chosen or by_code
        data["reason_code"] = data.get("reason_code") or ConflictReason.OTHER
        if data["target"] is None and not self.errors:
            self.add_error("institution", _("請選擇機構或輸入醫事機構代碼"))
        elif (
            data["target"] is not None
            and ConflictOfInterest.objects.filter(
                surveyor=self.surveyor, institution=data["target"], side="surveyor"
            ).exists()
        ):
            raise forms.ValidationError(_("您已申報與此機構利益迴避"))
        return data


class AssignmentForm(forms.Form):
    institution_code = forms.CharField(label=_("機構（醫事機構代碼）"), max_length=20)
    cycle_label = forms.CharField(
        label=_("評鑑梯次"), max_length=100, required=False, help_text=_("例如：111年度產後護理之家評鑑")
    )
    reason = ReasonField(required=False)

    def __init__(self, *args: Any, surveyor: Any, **kwargs: Any) -> None:
        self.surveyor = surveyor
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        institution = _institution_by_code(self, "institution_code")
        data["institution"] = institution
        if institution is None:
            return data
        conflict = ConflictOfInterest.objects.filter(surveyor=self.surveyor, institution=institution).first()
        if conflict is not None:
            raise forms.ValidationError(
                _("不得指派：%(surveyor)s 已申報與 %(institution)s 利益迴避（事由：%(reason)s）")
                % {"surveyor": self.surveyor, "institution": institution.name, "reason": conflict.reason}
            )
        if (
            SurveyorAssignment.objects.active()
            .filter(surveyor=self.surveyor, institution=institution, cycle_label=data.get("cycle_label", ""))
            .exists()
        ):
            raise forms.ValidationError(_("此委員已指派至該機構的同一梯次"))
        return data


class ConfidentialityForm(forms.Form):
    accept = forms.BooleanField(label=_("本人已閱讀並同意遵守上述保密規定"))
    # another year than this one (a visit's cycle opened in it): the view checks it is one of the
    # surveyor's own (`visits.selectors.pledge_years`)
    program_year = forms.IntegerField(required=False, min_value=1, max_value=999, widget=forms.HiddenInput)


class PinVisitForm(forms.Form):
    """固定訪查時段: staff fix a visit's half-day by hand, with the reason."""

    day = RocDateField(label=_("訪查日期"))
    half = forms.ChoiceField(label=_("時段"), choices=Half.choices)
    reason = ReasonField()


class ChangeTeamMemberForm(forms.Form):
    """更換訪查委員: staff put another surveyor in one role of a visit's team, with the reason."""

    role = forms.CharField(label=_("角色"), max_length=60)
    surveyor = forms.ModelChoiceField(label=_("改由"), queryset=None)
    reason = ReasonField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["surveyor"].queryset = User.objects.filter(is_active=True)


class SurveyorProfileForm(forms.Form):
    """評鑑委員名冊: fields of expertise and the programs the surveyor may survey."""

    expertise = forms.MultipleChoiceField(
        label=_("專長"), choices=Expertise.choices, widget=forms.CheckboxSelectMultiple
    )
    programs = forms.MultipleChoiceField(
        label=_("可評鑑之計畫"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, program_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programs"].choices = program_choices


class ConsensusAttendanceForm(forms.Form):
    """評鑑委員共識會議出席 for one cycle."""

    cycle = forms.ModelChoiceField(label=_("共識會議梯次"), queryset=Cycle.objects.all())
    attended_on = RocDateField(label=_("出席日期"))


class InstitutionConflictForm(forms.Form):
    """機構申報委員利益迴避: the institution names a surveyor of the roster."""

    institution = forms.ModelChoiceField(
        label=_("機構"), queryset=Institution.objects.none(), empty_label=None
    )
    surveyor = forms.ModelChoiceField(label=_("評鑑委員"), queryset=None, empty_label="—")  # type: ignore[arg-type]
    reason_code = forms.ChoiceField(label=_("事由類別"), choices=ConflictReason.choices)
    reason = forms.CharField(label=_("迴避事由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, institutions: Any, surveyors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["surveyor"].queryset = surveyors


class WaiverForm(forms.Form):
    basis = forms.CharField(widget=forms.HiddenInput)
    surveyor = forms.IntegerField(widget=forms.HiddenInput)
    institution = forms.IntegerField(widget=forms.HiddenInput)
    reason = ReasonField(label=_("免除理由"))


class HistoryForm(forms.Form):
    """委員經歷: employment at or ownership of an institution (conflicts are found from it)."""

    surveyor = forms.ModelChoiceField(label=_("評鑑委員"), queryset=None, empty_label="—")  # type: ignore[arg-type]
    institution_code = forms.CharField(label=_("機構（醫事機構代碼）"), max_length=20)
    kind = forms.ChoiceField(label=_("關係"), choices=HistoryKind.choices)
    title = forms.CharField(label=_("職稱"), max_length=100, required=False)
    started_on = RocDateField(label=_("起始日期"))
    ended_on = RocDateField(label=_("結束日期"), required=False, help_text=_("現職者免填"))

    def __init__(self, *args: Any, surveyors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["surveyor"].queryset = surveyors

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["institution"] = _institution_by_code(self, "institution_code")
        return data


class ChangeDateForm(forms.Form):
    day = RocDateField(label=_("新訪查日期"))
    half = forms.ChoiceField(label=_("時段"), choices=Half.choices)
    reason_code = forms.ChoiceField(
        label=_("變更事由類別"), choices=[("", "—"), *VisitChangeReason.choices, ("other", _("其他"))]
    )
    reason = forms.CharField(label=_("事由說明"), max_length=1000)


class BureauAttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        label=_("衛生局會同"),
        choices=[("yes", _("已會同")), ("no", _("未會同"))],
        coerce=lambda v: v == "yes",
    )
    attendee = forms.CharField(label=_("會同人員"), max_length=100, required=False)


WHOLE_DAY = "day"


class UnavailabilityForm(forms.Form):
    """不克訪查時段: a half-day (or a whole day) the surveyor cannot visit, the reason optional."""

    day = RocDateField(label=_("日期"))
    half = forms.ChoiceField(
        label=_("時段"), choices=[*Half.choices, (WHOLE_DAY, _("全日"))], initial=WHOLE_DAY
    )
    reason = forms.CharField(
        label=_("事由"), max_length=1000, required=False, help_text=_("選填，例如：出國、門診")
    )

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        if day < local_today():
            raise forms.ValidationError(_("不克訪查之日期不得早於今日"))
        return day

    def slots(self) -> list[tuple[dt.date, str]]:
        """The half-days marked: both for a whole day."""
        day, half = self.cleaned_data["day"], self.cleaned_data["half"]
        halves = [Half.AM, Half.PM] if half == WHOLE_DAY else [half]
        return [(day, str(h)) for h in halves]


class OfficeUnavailabilityForm(UnavailabilityForm):
    """The office records a surveyor's unavailable half-days for them, with the reason."""

    reason = forms.CharField(label=_("事由"), max_length=1000, help_text=_("例如：委員來電告知出國"))
