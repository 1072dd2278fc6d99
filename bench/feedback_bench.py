"""Residents' feedback at province scale, and the cost of one phone photo.

    .venv/bin/python bench/feedback_bench.py --var-dir DIR [--database-url URL] [--reports N]

Against the benchmark database (`bench/demo_build.py --keep DIR`; a fresh directory works
too: the units are loaded and 5 hamlets per commune of province 14 are made), it adds once
(a second run reuses them) 200,000 reports over the last year across the communes of
province 14, written in bulk, and prints:

- the province feedback dashboard (`/feedback/dashboard/<province>/`, figures of every
  commune from the one grouped query of `figures.feedback_figures`); goal p95 ≤ 300 ms;
- a commune's list, first page (`/feedback/?state=all` for a commune official);
  goal p95 ≤ 100 ms;
- an anonymous report with one 12-megapixel JPEG (4,000 × 3,000) through the public form:
  accepted, re-encoded to ≤ 2,048 px without EXIF and stored; goal ≤ 1.5 s.

Timings are printed, never asserted.
"""

import argparse
import io
import random
import time
from datetime import datetime, timedelta

from common import official, setup, summary, timed

REPORTS = 200_000
RUNS = 30
HAMLETS_PER_COMMUNE = 5
PROVINCE = "14"


def build(province, count, seed):
    from django.db import connection, transaction
    from django.utils import timezone

    from langso.feedback.defaults import ensure_defaults
    from langso.feedback.models import Category, Holiday, Report, new_code
    from langso.lib.bulk import insert_rows
    from langso.places.models import Unit

    ensure_defaults()
    rng = random.Random(seed)
    communes = list(Unit.objects.current().filter(parent=province, kind=Unit.Kind.COMMUNE))
    hamlets = {c.pk: list(Unit.objects.filter(parent=c, kind=Unit.Kind.HAMLET)) for c in communes}
    for commune in communes:
        if not hamlets[commune.pk]:
            hamlets[commune.pk] = [
                Unit.objects.create(
                    kind=Unit.Kind.HAMLET,
                    type_name="thôn",
                    name=f"Thôn {n}",
                    parent=commune,
                    path=f"{commune.path}/fb{n:02d}",
                )
                for n in range(1, HAMLETS_PER_COMMUNE + 1)
            ]
    categories = list(Category.objects.all())
    calendar = Holiday.calendar()
    now = timezone.now()
    fields = (
        "code", "commune", "hamlet", "unit_path", "category", "text", "landmark", "channel",
        "state", "is_public", "reporter_name", "reporter_phone", "reporter_email",
        "received_at", "due_on", "assigned_unit", "answer", "answered_at", "days_to_answer",
        "answered_on_time", "decline_reason", "decline_note", "rating",
    )  # fmt: skip
    adapt = connection.ops.adapt_datetimefield_value
    rows = []
    for _ in range(count):
        commune = rng.choice(communes)
        hamlet = rng.choice(hamlets[commune.pk])
        category = rng.choice(categories)
        received = now - timedelta(days=rng.randint(0, 364), minutes=rng.randint(0, 1440))
        day = timezone.localdate(received)
        due = calendar.add_working_days(day, category.deadline_days)
        answered = rng.random() < 0.8 and (now - received).days > 3
        state, answer, answered_at, days, on_time, rating = "received", "", None, None, None, ""
        if answered:
            working = rng.randint(1, category.deadline_days + 5)
            answered_day = min(calendar.add_working_days(day, working), timezone.localdate(now))
            state, answer = "answered", "Đã xử lý xong."
            answered_at = adapt(datetime.combine(answered_day, received.timetz()))
            days = calendar.working_days_between(day, answered_day)
            on_time = answered_day <= due
            rating = rng.choice(["satisfied", "satisfied", "not_satisfied", ""])
        rows.append(
            (
                new_code(), commune.pk, hamlet.pk, hamlet.path, category.pk,
                "Phản ánh thử nghiệm.", "", "web", state, True, "", "", "",
                adapt(received), due, hamlet.pk, answer, answered_at, days, on_time, "", "",
                rating,
            )
        )  # fmt: skip
    with transaction.atomic():
        for start in range(0, len(rows), 5000):
            insert_rows(Report, fields, rows[start : start + 5000])
    return communes


def twelve_megapixels():
    from PIL import Image

    image = Image.effect_noise((4000, 3000), 40).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var-dir", required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--reports", type=int, default=REPORTS)
    parser.add_argument("--seed", type=int, default=2025)
    options = parser.parse_args()
    setup(options.var_dir, options.database_url)

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from langso.feedback.models import Category, Report
    from langso.places.models import Unit

    call_command("migrate", verbosity=0)
    if not Unit.objects.filter(kind=Unit.Kind.PROVINCE, code=PROVINCE).exists():
        call_command("load_units", verbosity=0)
    province = Unit.objects.get(kind=Unit.Kind.PROVINCE, code=PROVINCE)
    have = Report.objects.within(province).count()
    if have < options.reports:
        started = time.perf_counter()
        build(province, options.reports - have, options.seed)
        print(
            f"{'add the reports (once)':<44} {time.perf_counter() - started:7.2f} s "
            f"({options.reports - have:,})"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{'reports in the province':<44} {Report.objects.within(province).count():>10,}")
    print(f"database: {connection.vendor}")

    client = Client()
    client.force_login(official("fb-bench-province", province))
    url = reverse("feedback:dashboard", args=[province.pk])
    client.get(url)
    summary(
        "province feedback dashboard (goal ≤ 300 ms)",
        [timed(client.get, url)[0] for _ in range(RUNS)],
    )

    commune = (
        Unit.objects.filter(parent=province, kind=Unit.Kind.COMMUNE)
        .filter(pk__in=Report.objects.values("commune_id")[:1])
        .first()
    )
    client.force_login(official("fb-bench-commune", commune))
    url = reverse("feedback:report-list") + "?state=all"
    client.get(url)
    summary(
        "commune list, first page (goal ≤ 100 ms)",
        [timed(client.get, url)[0] for _ in range(RUNS)],
    )
    url = reverse("feedback:report-list") + "?state=open"
    summary("commune open reports, first page", [timed(client.get, url)[0] for _ in range(RUNS)])

    photo = twelve_megapixels()
    hamlet = Unit.objects.filter(parent=commune, kind=Unit.Kind.HAMLET).first()
    roads = Category.objects.get(code="roads")
    anonymous = Client()
    times = []
    for n in range(3):
        data = {
            "category": roads.pk,
            "hamlet": hamlet.pk,
            "text": "Cống vỡ (benchmark).",
            "is_public": "on",
            "photos": [SimpleUploadedFile("anh-12mp.jpg", photo, "image/jpeg")],
        }
        ms, response = timed(
            anonymous.post,
            reverse("public:feedback-new", args=[commune.code]),
            data,
            REMOTE_ADDR=f"198.51.100.{n + 1}",
        )
        assert response.status_code == 302, response.status_code
        times.append(ms)
    print(f"  (the photo: {len(photo) / 1e6:.1f} MB, 4,000 × 3,000)")
    summary("anonymous report with a 12 MP JPEG (≤ 1.5 s)", times)
    for report in Report.objects.filter(text="Cống vỡ (benchmark)."):
        for stored in report.photos.all():
            stored.image.delete(save=False)
        report.photos.all().delete()
        report.delete()


if __name__ == "__main__":
    main()
