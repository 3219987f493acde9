from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pingjian.web.applications.selectors import get_application

from .actions import do_comment_evidence, do_upload_evidence
from .models import EvidenceFile


@login_required
@require_POST
def upload(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = get_application(request, application_pk)
    slot_key = request.POST.get("slot", "")
    upload_file = request.FILES.get("file")
    if upload_file is None:
        messages.error(request, _("請選擇要上傳的檔案。"))
        return redirect("applications:detail", pk=application.pk)
    try:
        row = do_upload_evidence(
            application, slot_key=slot_key, upload=upload_file, name=upload_file.name, actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        response = redirect("applications:detail", pk=application.pk)
        response.status_code = 303
        return response
    messages.success(request, _("已上傳 %(key)s 第%(n)d版。") % {"key": row.slot_key, "n": row.number})
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_POST
def comment(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = get_application(request, application_pk, perm="evidence.comment_evidence")
    try:
        do_comment_evidence(
            application,
            slot_key=request.POST.get("slot", ""),
            text=request.POST.get("text", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已送出審閱意見。"))
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_GET
def download(request: HttpRequest, application_pk: int, file_pk: int) -> FileResponse:
    """The only way to a file: the application must be in the user's scope (404 otherwise)."""
    application = get_application(request, application_pk)
    row = EvidenceFile.objects.filter(application=application, pk=file_pk).first()
    if row is None or not request.user.has_perm("evidence.view_evidencefile", row):
        raise Http404("evidence not found")
    response = FileResponse(
        row.file.open("rb"),
        content_type=row.content_type,
        as_attachment=True,
        filename=f"{row.slot_key}-v{row.number}.{row.extension}",
    )
    response["Cache-Control"] = "private, no-store"
    return response
