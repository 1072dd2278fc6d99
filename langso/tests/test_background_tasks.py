"""Background work goes through Django's task API and the database worker (design.md §6)."""

from django.core.management import call_command
from django_tasks import TaskResultStatus, task

from langso.accounts.models import AuditEntry


@task()
def write_audit_row(verb):
    AuditEntry.objects.record(None, verb)
    return verb.upper()


def test_a_task_enqueued_by_the_site_is_run_by_the_db_worker(transactional_db):
    # transactional_db: the worker closes and reopens connections, as it does in production.
    result = write_audit_row.enqueue("tasks.ping")
    assert result.status == TaskResultStatus.READY
    assert not AuditEntry.objects.filter(verb="tasks.ping").exists()

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "TASKS.PING"
    assert AuditEntry.objects.filter(verb="tasks.ping").count() == 1
