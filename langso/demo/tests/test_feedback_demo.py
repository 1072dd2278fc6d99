"""The feedback part of the demo (langso/demo/builders/feedback.py), built on the test world."""

from datetime import date

import pytest

from langso.demo.builders import feedback
from langso.feedback.defaults import ensure_defaults
from langso.feedback.figures import feedback_figures
from langso.feedback.models import Photo, Report

pytestmark = pytest.mark.django_db


def test_a_year_of_reports_mostly_answered_some_overdue_some_from_zalo(world):
    ensure_defaults()
    lines = []
    feedback.build(world.commune, as_of=date(2026, 6, 10), seed=1, log=lines.append)
    reports = Report.objects.filter(commune=world.commune)
    assert reports.count() == feedback.REPORTS
    assert reports.exclude(answer="").count() > feedback.REPORTS / 2
    assert reports.overdue(date(2026, 6, 10)).exists()
    assert reports.filter(channel="zalo").exists()
    assert Photo.objects.filter(report__commune=world.commune).count() == feedback.PHOTOS
    assert min(r.received_at.date() for r in reports) >= date(2025, 6, 10)
    figures = feedback_figures(world.commune, today=date(2026, 6, 10))
    assert figures.total.received == feedback.REPORTS
    assert 0 < figures.total.on_time_percent < 100
    assert "300 reports" in lines[0]
