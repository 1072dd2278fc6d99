"""A busy database gives "busy, try again", never a 500 (hardening issue, item 8).

While an import commits, SQLite's one write lock (or, on PostgreSQL, the audit chain's
lock) is held; a page that writes an audit row waits a bounded time, then says the site
is busy and asks the browser to retry."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from langso.accounts.models import AuditEntry
from langso.test import World


class HeldWrite:
    """Another connection in the middle of a write, as a committing import is."""

    def __init__(self):
        self.holding, self.release = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold)

    def _hold(self):
        try:
            with transaction.atomic():
                AuditEntry.objects.record(None, "registry.import")
                self.holding.set()
                self.release.wait(30)
        finally:
            connections.close_all()

    def __enter__(self):
        self.thread.start()
        assert self.holding.wait(10)
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join()


def wait_at_most_a_moment():
    """The bounded wait, shortened for the test (SQLite busy timeout, PostgreSQL lock_timeout)."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA busy_timeout = 300")
        else:
            cursor.execute("SET lock_timeout = '300ms'")


@pytest.fixture
def world(transactional_db):
    world = World()
    person = world.household.head
    person.id_number = "014068000111"
    person.save(update_fields=["id_number"])
    return world


def test_a_page_that_writes_says_busy_while_an_import_holds_the_lock(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.official)
    url = reverse("registry:person-detail", args=[world.household.head.pk])
    wait_at_most_a_moment()

    with HeldWrite():
        busy = client.get(url)
    after = client.get(url)

    assert busy.status_code == 503 and busy["Retry-After"] == "5"
    page = busy.content.decode()
    assert "Trang đang bận" in page and "thử lại" in page
    assert "Nguyễn Văn Phụng" not in page
    assert "Nguyễn Văn Phụng" in after.content.decode()  # once the lock is free
    assert AuditEntry.objects.filter(verb="read.person.id_numbers").count() == 1


def test_other_errors_still_give_the_error_page():
    from django.db import OperationalError

    from langso.lib.middleware import is_busy_database

    assert not is_busy_database(OperationalError("no such table: registry_person"))
    assert is_busy_database(OperationalError("database is locked"))


def test_a_write_outside_a_view_that_finds_the_database_busy_gets_the_busy_page_too(rf):
    """A session or an audit row written by a middleware: the 500 handler says busy too."""
    from django.db import OperationalError

    from langso.portal.errors import server_error

    try:
        raise OperationalError("database is locked")
    except OperationalError:
        busy = server_error(rf.get("/"))
    broken = server_error(rf.get("/"))

    assert busy.status_code == 503 and "Trang đang bận" in busy.content.decode()
    assert broken.status_code == 500 and "Trang đang bận" not in broken.content.decode()
