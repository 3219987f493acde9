from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingjian.rules.errors import ProgramFileError
from pingjian.web.core.access import get_object_for_user, require_perm

from .actions import (
    DraftExistsError,
    do_copy_to_draft,
    do_discard_draft,
    do_publish_draft,
    do_update_draft,
    draft_diff,
    validate_draft_text,
)
from .forms import DraftForm, PublishForm
from .models import ProgramVersion


def _version(request: HttpRequest, program_id: str, number: int, perm: str | None = None) -> ProgramVersion:
    return get_object_for_user(ProgramVersion, request.user, perm=perm, program_id=program_id, number=number)


@login_required
@require_GET
def program_list(request: HttpRequest) -> HttpResponse:
    versions = ProgramVersion.objects.visible_to(request.user).order_by("program_id", "-number")
    return render(
        request,
        "programs/list.html",
        {"versions": versions, "can_change": request.user.has_perm("programs.change_programversion")},
    )


@login_required
@require_GET
def version_detail(request: HttpRequest, program_id: str, number: int) -> HttpResponse:
    version = _version(request, program_id, number)
    program = version.program()
    items = getattr(program, "items", None) or []
    draft = (
        ProgramVersion.objects.visible_to(request.user).filter(program_id=program_id, status="draft").first()
    )
    return render(
        request,
        "programs/detail.html",
        {
            "version": version,
            "program": program,
            "items": items,
            "draft": draft,
            "can_change": request.user.has_perm("programs.change_programversion", version),
        },
    )


@login_required
@require_POST
def version_copy(request: HttpRequest, program_id: str, number: int) -> HttpResponse:
    version = _version(request, program_id, number, perm="programs.change_programversion")
    try:
        draft = do_copy_to_draft(version, actor=request.user)
    except DraftExistsError:
        messages.error(request, _("此計畫已有草稿，請先完成或捨棄該草稿。"))
        return redirect("programs:detail", program_id=program_id, number=number)
    messages.success(request, _("已建立草稿第%(n)d版。") % {"n": draft.number})
    return redirect("programs:edit", program_id=program_id, number=draft.number)


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request: HttpRequest, program_id: str, number: int) -> HttpResponse:
    draft = _version(request, program_id, number, perm="programs.change_programversion")
    if draft.is_published:
        messages.error(request, _("已公告之版本不得修改；請複製為草稿。"))
        return redirect("programs:detail", program_id=program_id, number=number)
    error = None
    status = 200
    if request.method == "POST":
        form = DraftForm(request.POST)
        if form.is_valid():
            source = form.cleaned_data["source"].replace("\r\n", "\n")
            try:
                do_update_draft(draft, source=source, actor=request.user, reason=form.cleaned_data["reason"])
            except ProgramFileError as exc:
                error, status = str(exc), 422
            else:
                messages.success(request, _("草稿已儲存並通過驗證。"))
                return redirect("programs:diff", program_id=program_id, number=number)
        else:
            status = 422
    else:
        form = DraftForm(initial={"source": draft.source})
    return render(
        request, "programs/edit.html", {"draft": draft, "form": form, "error": error}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_diff_view(request: HttpRequest, program_id: str, number: int) -> HttpResponse:
    draft = _version(request, program_id, number, perm="programs.change_programversion")
    if draft.is_published:
        return redirect("programs:detail", program_id=program_id, number=number)
    error = None
    try:
        validate_draft_text(draft, draft.source)
    except ProgramFileError as exc:
        error = str(exc)
    form = PublishForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.user, "programs.publish_programversion", draft)
        if form.is_valid() and error is None:
            do_publish_draft(draft, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("已公告第%(n)d版。") % {"n": draft.number})
            return redirect("programs:detail", program_id=program_id, number=number)
    return render(
        request,
        "programs/diff.html",
        {"draft": draft, "diff": draft_diff(draft), "form": form, "error": error},
    )


@login_required
@require_POST
def draft_discard(request: HttpRequest, program_id: str, number: int) -> HttpResponse:
    draft = _version(request, program_id, number, perm="programs.change_programversion")
    if not draft.is_published:
        try:
            do_discard_draft(draft, actor=request.user, reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("programs:list")
        messages.success(request, _("草稿已捨棄。"))
    return redirect("programs:list")
