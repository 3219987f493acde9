from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from pingjian.rules.validity import validity_basis
from pingjian.web.core.access import get_object_for_user
from pingjian.web.core.institution_codes import normalise_code

from .forms import RegistrySearchForm
from .models import RegistryEntry


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Public search of evaluation results (no sign-in): currently valid entries unless asked."""
    today = timezone.localdate()
    form = RegistrySearchForm(request.GET or None)
    entries = RegistryEntry.objects.visible_to(None).select_related("institution")
    include_expired = False
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            entries = entries.filter(
                Q(institution__name__icontains=q) | Q(institution__code=normalise_code(q))
            )
        if data["county"]:
            entries = entries.filter(institution__county=data["county"])
        if data["type"]:
            entries = entries.filter(institution__type=data["type"])
        if data["program"]:
            entries = entries.filter(program_id=data["program"])
        include_expired = data["include_expired"]
    if not include_expired:
        entries = entries.valid_on(today)
    page = Paginator(
        entries.order_by("institution__county", "institution__name", "-valid_until", "pk"), 50
    ).get_page(request.GET.get("page"))
    template = "registry/search.html#results" if request.htmx else "registry/search.html"
    return render(request, template, {"form": form, "page": page, "today": today})


@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published result with its validity, and the institution's other published results."""
    entry = get_object_for_user(RegistryEntry, request.user, pk=pk)
    others = (
        RegistryEntry.objects.visible_to(None)
        .filter(institution=entry.institution)
        .exclude(pk=entry.pk)
        .order_by("-valid_from")
    )
    today = timezone.localdate()
    return render(
        request,
        "registry/detail.html",
        {
            "entry": entry,
            "others": others,
            "valid_today": entry.is_valid_on(today),
            "today": today,
            # the length's basis: stated by the program, or our assumption pending an administrator
            "basis": validity_basis(entry.program_id, entry.valid_from, entry.valid_until),
        },
    )
