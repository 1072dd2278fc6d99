"""Imports that never lock the site (hardening issue, item 8): on SQLite a file over the
row limit is refused with a way out, and a long sheet is read row by row."""

import pytest
from django.db import connection

from langso.registry.models import ImportJob, Person
from langso.registry.tests.test_import import ROWS, book, check, checked_job, problems


def many(count):
    """`count` more heads of household, each alone."""
    return [
        [n, f"Hoàng Văn Thái {n}", f"01/01/{1950 + n % 50}", None, None, "Chủ hộ", "Tổ 1",
         f"Số {n}", None, None]
        for n in range(5, 5 + count)
    ]  # fmt: skip


def test_a_book_over_the_row_limit_is_refused_with_a_way_out(client, world, settings):
    settings.LANGSO_IMPORT_MAX_ROWS = 38  # and up to 30 rows of title and header above them
    client.force_login(world.hamlet_head)

    job = checked_job(world, book(ROWS + many(65)))  # 4 rows of title and header, 69 people
    page = client.get(job.get_absolute_url()).content.decode()

    assert job.status == ImportJob.Status.REFUSED
    assert "Tệp này có 73 dòng; trang này chỉ nhập tối đa 38 dòng mỗi lần." in page
    assert "PostgreSQL" in page
    assert not Person.objects.filter(full_name="Hoàng Văn Thái").exists()


def test_a_book_within_the_limit_is_checked_as_before(world, settings):
    settings.LANGSO_IMPORT_MAX_ROWS = 43  # 69 people, and 4 rows of title and header

    assert check(world, book(ROWS + many(65))).counts()["created"] == 69


def test_a_long_book_read_row_by_row_is_planned_as_one_read_whole(world, settings):
    data = book([*ROWS, *many(35)], formula_at=(20, 8))
    whole = check(world, data)

    settings.LANGSO_IMPORT_STREAM_ROWS = 10
    streamed = check(world, data)

    assert streamed.counts() == whole.counts() and whole.counts()["rows"] == 39
    assert problems(streamed) == problems(whole) and len(problems(whole)) == 1
    assert streamed.preview() == whole.preview()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps no statistics")
def test_a_big_import_leaves_fresh_statistics_for_postgresql(world, monkeypatch):
    from langso.registry import tasks

    monkeypatch.setattr(tasks, "ANALYZE_AFTER_ROWS", 4)  # 10,000 people in production
    job = checked_job(world, book())

    tasks.commit_import.call(job.pk)

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'registry_person'")
        assert cursor.fetchone()[0] == Person.objects.count()
