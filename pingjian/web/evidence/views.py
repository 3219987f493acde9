from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pingjian.web.applications.selectors import get_application

from .actions import do_comment_evidence, do_upload_evidence
from .models import EvidenceFile
from .slots import slots_for


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


def match_slot(name: str, keys: list[str]) -> str | None:
    """The slot a file's name starts with (「A1.1-1 消防安全設備檢查紀錄表.pdf」 → A1.1-1): the
    longest key followed by a non-alphanumeric character or the end, so A1.1-1 never takes A1.1-10."""
    stem = name.rsplit("/", 1)[-1].upper()
    for key in sorted(keys, key=len, reverse=True):
        if stem.startswith(key.upper()):
            rest = stem[len(key) :]
            if not rest or not rest[0].isalnum():
                return key
    return None


@login_required
@require_POST
def upload_many(request: HttpRequest, application_pk: int) -> HttpResponse:
    """Several files at once, each to its slot: the one chosen beside it (the page's script offers
    a choice per file) or else the slot its name starts with; files matched to no slot are named
    back to the uploader, who picks their slot."""
    application = get_application(request, application_pk)
    files = request.FILES.getlist("files")
    chosen = request.POST.getlist("slot_for")
    keys = [slot.key for slot in slots_for(application.program_version.program())]
    if not files:
        messages.error(request, _("請選擇要上傳的檔案。"))
        return redirect(f"{reverse('applications:detail', args=[application.pk])}#evidence")
    done, unmatched = [], []
    for index, upload_file in enumerate(files):
        key = (
            chosen[index]
            if index < len(chosen) and chosen[index] in keys
            else match_slot(upload_file.name, keys)
        )
        if key is None:
            unmatched.append(upload_file.name)
            continue
        try:
            row = do_upload_evidence(
                application, slot_key=key, upload=upload_file, name=upload_file.name, actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, f"{upload_file.name}：{' '.join(exc.messages)}")
        else:
            done.append(f"{row.slot_key} {_('第%(n)d版') % {'n': row.number}}")
    if done:
        messages.success(
            request, _("已上傳 %(n)d 個檔案：%(list)s") % {"n": len(done), "list": "、".join(done)}
        )
    if unmatched:
        messages.warning(
            request,
            _(
                "以下檔案無法對應上傳項目，請為每個檔案選擇項目後再上傳"
                "（或以項目代碼開頭命名，如「A1.1-1 名稱.pdf」）：%(names)s"
            )
            % {"names": "、".join(unmatched)},
        )
    return redirect(f"{reverse('applications:detail', args=[application.pk])}#evidence")


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


def download_name(row: EvidenceFile) -> str:
    """The uploader's own file name, with the slot and version: 「A1.1-1_消防安全設備檢查紀錄表_第2版.pdf」
    (sent as RFC 5987 filename*, with an ASCII fallback, by Django's content_disposition_header)."""
    stem = row.original_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = (
        stem[: -len(row.extension) - 1]
        if stem.lower().endswith(f".{row.extension}")
        else stem.rsplit(".", 1)[0]
    )
    stem = stem.strip()
    if stem.upper().startswith(row.slot_key.upper()):
        stem = stem[len(row.slot_key) :].lstrip(" _-")
    parts = [row.slot_key, stem, f"第{row.number}版"]
    return "_".join(p for p in parts if p) + f".{row.extension}"


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
        filename=download_name(row),
    )
    response["Cache-Control"] = "private, no-store"
    return response
