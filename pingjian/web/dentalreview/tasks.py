"""The background job of a quarter run (django-tasks, database backend: `manage db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def score_quarter_job(run_id: int) -> dict[str, object]:
    from .actions import do_execute_run

    run = do_execute_run(run_id)
    return {"run": run.pk, "state": run.state, "clinics": run.clinic_count}
