from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pingjian.web.core.forms import ReasonField, RocDateField
from pingjian.web.core.text import MESSAGE_MAX_LENGTH, REASON_MAX_LENGTH

from .models import Result
from .workflow import Part, Transition


class TransitionForm(forms.Form):
    """One transition's form: the version read (optimistic concurrency), the message, and the data
    the transition needs. Built from the workflow table, so every transition gets the same form."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("訊息"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    visit_date = RocDateField(label=_("實地訪查日期"), required=False)
    total = forms.DecimalField(label=_("總分"), required=False, max_digits=7, decimal_places=2)
    result = forms.ChoiceField(label=_("評鑑結果"), required=False, choices=[("", "—"), *Result.choices])

    def __init__(self, *args: Any, transition: Transition, **kwargs: Any) -> None:
        super().__init__(*args, prefix=transition.name, **kwargs)
        self.transition = transition
        self.fields["message"].required = transition.message_required
        if transition.returns_to_institution:
            self.fields["message"].label = _("通知機構之訊息（必填）")
        for name in ("visit_date", "total", "result"):
            if name in transition.needs:
                self.fields[name].required = True
            elif not (name == "result" and transition.name == "finalize"):
                del self.fields[name]
        if transition.name == "finalize":
            self.fields["result"].label = _("申復後結果（未變更免填）")
        if transition.consequence:  # an irreversible step is confirmed, its consequence stated
            self.fields["confirm"] = forms.BooleanField(
                label=_("我了解：%(consequence)s") % {"consequence": transition.consequence}, required=True
            )


class FeeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(label=_("金額（新臺幣）"), min_value=0, max_digits=10, decimal_places=0)
    paid_on = RocDateField(label=_("繳費日"), required=False)
    receipt_no = forms.CharField(label=_("收據號碼"), max_length=40, required=False)


class UnlockForm(forms.Form):
    part = forms.ChoiceField(label=_("解鎖項目"), choices=Part.choices)
    reason = ReasonField(label=_("解鎖理由"))


class NoticeReceiptForm(forms.Form):
    """Office staff record the delivery date of the result notice (送達日); an institution member
    only confirms receipt (the day is today), so the form has just the version for them."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    received_on = RocDateField(label=_("送達（收受）日"), required=False)
    reason = forms.CharField(
        label=_("更正理由（更正已登錄之收受日時必填）"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, office: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if office:
            self.fields["received_on"].required = True
        else:
            del self.fields["received_on"]
            del self.fields["reason"]


class AppealWaiverForm(forms.Form):
    """放棄申復. A member of the institution confirms the declaration (the day is today); office
    staff record a written declaration received on paper: its date and the document it is in."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(label=_("本機構對本次評鑑結果不提出申復，並聲明放棄申復。"), required=True)
    waived_on = RocDateField(label=_("書面聲明日期"), required=True)
    reason = forms.CharField(
        label=_("依據（書面聲明之日期、文號）"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, office: bool, **kwargs: Any) -> None:
        super().__init__(*args, prefix="waiver", **kwargs)  # beside the receipt form on one page
        if office:
            del self.fields["confirm"]
        else:
            del self.fields["waived_on"]
            del self.fields["reason"]


class ApplicationFilterForm(forms.Form):
    """The office's application list: search and filters, the same for the page and its export."""

    q = forms.CharField(label=_("搜尋機構名稱或代碼"), required=False, max_length=100)
    program = forms.ChoiceField(label=_("評鑑計畫"), required=False)
    cycle = forms.ChoiceField(label=_("梯次"), required=False)
    state = forms.ChoiceField(label=_("狀態"), required=False)
    county = forms.ChoiceField(label=_("縣市"), required=False)
    overdue = forms.BooleanField(label=_("僅列逾期（補件或申報資料期限已過）"), required=False)

    def __init__(self, *args: Any, programs: list, cycles: list, states: list, counties: list, **kwargs: Any):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        self.fields["program"].choices = everything + programs
        self.fields["cycle"].choices = everything + cycles
        self.fields["state"].choices = everything + states
        self.fields["county"].choices = everything + counties
