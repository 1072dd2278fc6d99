"""The audit log nobody can rewrite: append-only rows, database triggers, a hash chain."""

import io
import json
import threading

import pytest
from django.contrib.admin.sites import site
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.test import RequestFactory
from django.utils import timezone

from langso.accounts import chain
from langso.accounts.models import AuditEntry, AuditLogIsAppendOnly, User

pytestmark = pytest.mark.usefixtures("fixed_day")


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _verify():
    try:
        call_command("verify_audit", stdout=(out := io.StringIO()))
    except CommandError as error:
        return str(error)
    return out.getvalue()


@pytest.fixture
def entries(world):
    return [
        AuditEntry.objects.record(
            world.hamlet_head, "registry.correction", target=world.household.head,
            unit=world.hamlet, changes={"phone": ["", f"091234567{n}"]},
        )
        for n in range(3)
    ]  # fmt: skip


def test_the_orm_refuses_to_change_or_delete_audit_rows(entries):
    entry = entries[0]
    entry.verb = "nothing.happened"

    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(verb="nothing.happened")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).verb == "registry.correction"
    assert AuditEntry.objects.filter(verb="registry.correction").count() == 3


def test_the_admin_offers_no_change_and_no_delete(entries, world):
    admin = site._registry[AuditEntry]
    request = RequestFactory().get("/")
    request.user = User.objects.create_superuser("root", "root@example.org", "x")

    assert not admin.has_change_permission(request, entries[0])
    assert not admin.has_delete_permission(request, entries[0])
    assert "delete_selected" not in admin.get_actions(request)


@pytest.mark.parametrize(
    "sql", ["UPDATE accounts_auditentry SET verb = 'x'", "DELETE FROM accounts_auditentry"]
)
def test_the_database_refuses_updates_and_deletes_from_any_client(entries, sql):
    with pytest.raises(DatabaseError, match="audit log rows cannot be"), transaction.atomic():
        _raw(sql)

    assert AuditEntry.objects.filter(verb="registry.correction").count() == 3


def test_deleting_the_actor_keeps_their_rows_and_their_key(entries, world):
    actor_id = world.hamlet_head.pk
    world.hamlet_head.delete()

    assert AuditEntry.objects.filter(actor_id=actor_id).count() == 3


def test_each_row_carries_the_hash_of_the_row_before_it(entries):
    first, second, third = AuditEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("pk")

    assert second.prev_hash == first.row_hash and third.prev_hash == second.row_hash
    assert len({first.row_hash, second.row_hash, third.row_hash}) == 3
    assert f"chain is whole: {AuditEntry.objects.count()} rows checked" in _verify()


def test_rows_written_in_bulk_join_the_chain(entries, world):
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    AuditEntry.insert_plain([
        AuditEntry.plain_row(
            actor_id=world.hamlet_head.pk, verb="registry.correction", unit_id=world.hamlet.pk,
            target=world.household.head, changes=json.dumps({"phone": ["1", "2"]}), at=now,
        )
        for _ in range(2)
    ])  # fmt: skip
    AuditEntry.objects.record(None, "after.bulk")

    assert AuditEntry.objects.filter(verb="registry.correction").count() == 5
    assert f"chain is whole: {AuditEntry.objects.count()} rows checked" in _verify()


def test_verify_audit_names_a_row_changed_behind_the_triggers_back(entries):
    chain.remove_guard(connection)
    _raw(
        "UPDATE accounts_auditentry SET changes = %s WHERE id = %s",
        [json.dumps({"phone": ["", "0999999999"]}), entries[1].pk],
    )

    message = _verify()

    assert f"Broken link at audit row #{entries[1].pk}" in message
    assert "content does not match" in message
    assert f"{AuditEntry.objects.filter(pk__lt=entries[1].pk).count()} rows before it" in message


def test_verify_audit_names_the_row_after_a_deleted_one(entries):
    chain.remove_guard(connection)
    _raw("DELETE FROM accounts_auditentry WHERE id = %s", [entries[1].pk])

    message = _verify()

    assert f"Broken link at audit row #{entries[2].pk}" in message
    assert "does not follow the row before it" in message


def test_a_row_rewritten_with_a_fresh_hash_still_breaks_the_next_link(entries):
    chain.remove_guard(connection)
    forged = entries[0]
    forged.verb = "nothing.happened"
    _raw(
        "UPDATE accounts_auditentry SET verb = %s, row_hash = %s WHERE id = %s",
        [forged.verb, chain.digest(forged.prev_hash, forged.chained_values()), forged.pk],
    )

    assert f"Broken link at audit row #{entries[1].pk}" in _verify()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_chain_onto_the_same_row():
    if connection.vendor != "postgresql":
        # The tests' in-memory SQLite is one shared-cache database without the file's
        # write lock; on a file, IMMEDIATE transactions serialise the writers.
        pytest.skip("concurrent writers need PostgreSQL (or SQLite on a file)")
    errors = []

    def write(n):
        try:
            for i in range(10):
                AuditEntry.objects.record(None, f"thread{n}.{i}")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert AuditEntry.objects.count() == 40
    assert "chain is whole: 40 rows checked" in _verify()
