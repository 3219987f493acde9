"""Programs in the database: loading, immutability of published versions, drafts edited, diffed
and published as the next version, every step audited; pages and API per role."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from pingjian.rules.errors import ProgramFileError
from pingjian.web.audit.models import AuditEvent
from pingjian.web.programs.actions import (
    DraftExistsError,
    do_copy_to_draft,
    do_load_program_files,
    do_publish_draft,
    do_update_draft,
    draft_diff,
)
from pingjian.web.programs.models import ProgramVersion, PublishedProgramImmutableError
from tests.web.support import client_for


def test_loading_puts_the_six_program_files_in_as_published_version_1_and_is_idempotent(programs):
    assert set(programs) == {
        "aesthetic-clinic-112",
        "cell-therapy-clinic-112",
        "postpartum-111",
        "psych-rehab-day-107",
        "psych-rehab-residential-107",
        "dental-south-113",
    }
    assert {v.number for v in programs.values()} == {1}
    assert len(programs["postpartum-111"].program().items) == 16
    events = AuditEvent.objects.filter(event_type="program.loaded").count()
    assert events == 6
    call_command("load_programs")
    assert ProgramVersion.objects.count() == 6
    assert AuditEvent.objects.filter(event_type="program.loaded").count() == 6


def test_a_published_version_cannot_be_changed_or_deleted_by_save_update_or_delete(programs):
    version = programs["postpartum-111"]
    version.source = version.source.replace("pass_threshold: '70'", "pass_threshold: '60'")
    with pytest.raises(PublishedProgramImmutableError):
        version.save()
    with pytest.raises(PublishedProgramImmutableError):
        ProgramVersion.objects.filter(pk=version.pk).update(title="x")
    with pytest.raises(PublishedProgramImmutableError):
        ProgramVersion.objects.filter(pk=version.pk).delete()
    with pytest.raises(PublishedProgramImmutableError):
        version.delete()
    with pytest.raises(PublishedProgramImmutableError):
        do_update_draft(version, source=version.source, actor=None)
    assert "pass_threshold: '70'" in ProgramVersion.objects.get(pk=version.pk).source


def test_draft_is_validated_by_the_core_schema_and_the_error_names_the_path(programs, program_admin):
    draft = do_copy_to_draft(programs["postpartum-111"], actor=program_admin)
    bad = draft.source.replace("  max_points: 4\n", "  max_points: -4\n", 1)
    with pytest.raises(ProgramFileError) as error:
        do_update_draft(draft, source=bad, actor=program_admin)
    assert "items[A1.1].max_points" in str(error.value)
    draft.refresh_from_db()
    assert draft.source == programs["postpartum-111"].source


def test_copy_edit_diff_publish_gives_the_next_version_and_audits_every_step(programs, program_admin):
    published = programs["postpartum-111"]
    draft = do_copy_to_draft(published, actor=program_admin)
    assert draft.number == 2 and draft.status == "draft"
    with pytest.raises(DraftExistsError):
        do_copy_to_draft(published, actor=program_admin)
    edited = draft.source.replace("title: 專任人員配置情形", "title: 專任人員配置情形（修訂）", 1)
    draft = do_update_draft(draft, source=edited, actor=program_admin, reason="修訂標題")
    diff = draft_diff(draft)
    assert "-  title: 專任人員配置情形" in diff and "+  title: 專任人員配置情形（修訂）" in diff
    do_publish_draft(draft, actor=program_admin, reason="112年版")
    assert ProgramVersion.objects.latest_published("postpartum-111").number == 2
    assert (
        ProgramVersion.objects.latest_published("postpartum-111")
        .program()
        .item("A1.1")
        .title.endswith("（修訂）")
    )
    assert published.program().item("A1.1").title == "專任人員配置情形"
    types = list(
        AuditEvent.objects.filter(
            subject_id=str(draft.pk), subject_type="programs.programversion"
        ).values_list("event_type", flat=True)
    )
    assert types == ["program.draft_created", "program.draft_updated", "program.published"]


def test_pages_edit_and_publish_through_the_ui(programs, program_admin):
    client = client_for(program_admin)
    assert client.get("/programs/").status_code == 200
    response = client.post("/programs/postpartum-111/1/copy/")
    assert response.status_code == 302 and response.url == "/programs/postpartum-111/2/edit/"
    page = client.get("/programs/postpartum-111/2/edit/")
    assert page.status_code == 200 and "pass_threshold" in page.content.decode()
    source = ProgramVersion.objects.get(program_id="postpartum-111", number=2).source
    bad = client.post(
        "/programs/postpartum-111/2/edit/", {"source": source.replace("version: 111", "version: 9")}
    )
    assert bad.status_code == 422 and "version" in bad.content.decode()
    good = client.post(
        "/programs/postpartum-111/2/edit/",
        {"source": source.replace("title: 專任人員配置情形", "title: 專任人員配置", 1)},
    )
    assert good.status_code == 302
    diff = client.get("/programs/postpartum-111/2/diff/")
    assert 'data-testid="diff"' in diff.content.decode()
    assert client.post("/programs/postpartum-111/2/diff/", {"reason": "修訂"}).status_code == 302
    assert ProgramVersion.objects.get(program_id="postpartum-111", number=2).is_published
    # a published version's editor sends you back; the diff view too
    assert client.get("/programs/postpartum-111/2/edit/").status_code == 302


@pytest.mark.parametrize("role", ["office", "institution", "surveyor", "bureau", "nhi"])
def test_only_program_admins_change_programs(role, role_users, programs):
    client = client_for(role_users[role])
    assert client.get("/programs/postpartum-111/1/").status_code == 200
    assert client.post("/programs/postpartum-111/1/copy/").status_code == 403
    assert not ProgramVersion.objects.filter(status="draft").exists()


def test_drafts_are_invisible_outside_the_office(programs, program_admin, institution_user):
    draft = do_copy_to_draft(programs["postpartum-111"], actor=program_admin)
    client = client_for(institution_user)
    assert client.get(f"/programs/postpartum-111/{draft.number}/").status_code == 404
    assert client.get(f"/api/programs/postpartum-111/{draft.number}").status_code == 404
    listed = {(v["program_id"], v["number"]) for v in client.get("/api/programs/").json()}
    assert ("postpartum-111", draft.number) not in listed
    assert client_for(program_admin).get(f"/api/programs/postpartum-111/{draft.number}").status_code == 200


def test_anonymous_users_are_sent_to_login(client, programs):
    assert client.get("/programs/").status_code == 302
    assert client.get("/api/programs/").status_code == 401


def test_loading_refuses_a_bad_file_and_writes_nothing(db, tmp_path):
    bad = tmp_path / "postpartum-111.yaml"
    bad.write_text("id: postpartum-111\nkind: evaluation\n", encoding="utf-8")
    with pytest.raises(ProgramFileError):
        do_load_program_files(actor=None, paths=[bad])
    assert not ProgramVersion.objects.exists()
