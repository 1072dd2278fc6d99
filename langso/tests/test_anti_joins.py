""" "Not in this set" is written NOT EXISTS, which PostgreSQL plans as an anti-join
(hardening issue, item 16): NOT IN over a subquery is a filter evaluated per row, and
Django's `__isnull=True` over a reverse relation a LEFT JOIN whose estimate sent a
server-side cursor into a nested loop over every unit for each person."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from langso.party import actions
from langso.party.tests.test_document_pages import real_pdf
from langso.reports.lists import voter_counts
from langso.reports.models import VoterExclusion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_day")]


def queries_on(table, run):
    """The SQL of the queries `run` sends that read `table` in a subquery."""
    with CaptureQueriesContext(connection) as captured:
        result = run()
    quoted = connection.ops.quote_name(table)
    return result, [q["sql"] for q in captured if "(SELECT" in q["sql"] and quoted in q["sql"]]


def assert_anti_joins(queries, table):
    """Each query leaves out the rows of `table` by NOT EXISTS, which PostgreSQL plans as
    an anti-join, never as a subplan run per row (other subplans, such as a per-row
    look-up inside a conditional count, are not this check's business)."""
    assert queries
    for sql in queries:
        assert "NOT EXISTS" in sql and not re.search(r"NOT \(\S+ IN \(SELECT", sql), sql
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN {sql}")
                plan = [line for (line,) in cursor.fetchall()]
            assert "Anti Join" in "\n".join(plan), "\n".join(plan)
            assert table not in "\n".join(_subplans(plan)), "\n".join(plan)


def _subplans(plan):
    """The lines of an EXPLAIN output that lie within a SubPlan."""
    inside, depth = [], None
    for line in plan:
        indent = len(line) - len(line.lstrip())
        if depth is not None and indent <= depth:
            depth = None
        if line.strip().startswith("SubPlan"):
            depth = indent
        elif depth is not None:
            inside.append(line)
    return inside


def test_voters_excluded_on_the_day_are_left_out_by_an_anti_join(world):
    today = timezone.localdate()
    before = voter_counts(world.commune, today)
    excluded = world.household.head
    VoterExclusion.objects.create(
        person=excluded, reason=VoterExclusion.Reason.choices[0][0], since=today.replace(year=2020)
    )

    counts, queries = queries_on(
        VoterExclusion._meta.db_table, lambda: voter_counts(world.commune, today)
    )

    assert counts[world.group.pk] == before[world.group.pk] - 1 > 0  # the head is left out
    assert_anti_joins(queries, VoterExclusion._meta.db_table)


def test_a_members_unread_documents_and_unanswered_questions_are_anti_joins(
    client, party_world, tmp_path
):
    pw = party_world
    document = actions.add_document(
        acting_user=None, kind="resolution", title="Nghị quyết Đại hội", issuing_body="Đảng uỷ xã",
        issued_on=timezone.localdate(), file=SimpleUploadedFile("nq.pdf", real_pdf(tmp_path)),
        organisations=[pw.committee],
    )  # fmt: skip
    question = actions.add_question(
        document, acting_user=None, text="Nhiệm kỳ?", choices=["2020–2025", "2025–2030"], correct=2
    )
    client.force_login(pw.world.party_member)

    home, unread = queries_on("party_reading", lambda: client.get(reverse("party:home")))
    answered, unanswered = queries_on(
        "party_answer",
        lambda: client.post(
            reverse("party:document-answer", args=[document.pk]), {f"q{question.pk}": "2"}
        ),
    )

    assert "Nghị quyết Đại hội" in home.content.decode()
    assert question.answers.get().is_correct and answered.status_code == 302
    assert_anti_joins(unread, "party_reading")
    assert_anti_joins(unanswered, "party_answer")
