from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from pingjian.web.institutions.counties import County
from pingjian.web.institutions.models import InstitutionType

from .models import RegistryEntry


class RegistrySearchForm(forms.Form):
    q = forms.CharField(label=_("機構名稱或代碼"), required=False)
    county = forms.ChoiceField(label=_("縣市"), required=False, choices=[("", _("全部")), *County.choices])
    type = forms.ChoiceField(
        label=_("機構類型"),
        required=False,
        choices=[("", _("全部")), *InstitutionType.choices],
    )
    include_expired = forms.BooleanField(label=_("包含已過期、撤銷或廢止"), required=False)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Public search of evaluation results (no sign-in)."""
    today = timezone.localdate()
    form = RegistrySearchForm(request.GET or None)
    entries = RegistryEntry.objects.visible_to(None).select_related("institution")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            entries = entries.filter(
                Q(institution__name__icontains=data["q"]) | Q(institution__code=data["q"])
            )
        if data["county"]:
            entries = entries.filter(institution__county=data["county"])
        if data["type"]:
            entries = entries.filter(institution__type=data["type"])
        if not data["include_expired"]:
            entries = entries.valid_on(today)
    else:
        entries = entries.valid_on(today)
    page = Paginator(entries.order_by("institution__county", "institution__name"), 50).get_page(
        request.GET.get("page")
    )
    template = "registry/search.html#results" if request.htmx else "registry/search.html"
    return render(request, template, {"form": form, "page": page, "today": today})
