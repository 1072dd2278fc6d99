"""Residents' feedback at province scale, and the cost of one phone photo.

    .venv/bin/python bench/feedback_bench.py --var-dir DIR [--database-url URL] [--reports N]
        [--skip-photos]

Against the benchmark database (`bench/demo_build.py --keep DIR`; a fresh directory works
too: the units are loaded and 5 hamlets per commune of province 14 are made), it adds once
(a second run reuses them) 200,000 reports over the last year across the communes of
province 14, written in bulk (then their tallies counted, `tallies.rebuild`), and prints:

- the province feedback dashboard (`/feedback/dashboard/<province>/`: figures of every
  commune from the tallies, overdue counts and the longest overdue from the open reports'
  index); goal p95 ≤ 300 ms;
- a commune's list, first page (`/feedback/?state=all` for a commune official);
  goal p95 ≤ 100 ms; its open reports, its dashboard and its public page;
- an anonymous report with one 12-megapixel photo (4,000 × 3,000) through the public form:
  accepted, re-encoded to ≤ 2,048 px without EXIF and stored; goal ≤ 1.5 s. Three photos:
  a JPEG of pure noise (the worst case for JPEG), a JPEG and a HEIC of a smooth scene with
  grain (closer to a phone's); `clean_photo` alone is timed too.

Each line gives the wall time (p50, p95, max), the process's CPU time per call (median;
meaningful on SQLite, which runs in this process) and the load average: on a machine
shared with other work, wall times grow with the load, CPU times much less.
Timings are printed, never asserted.
"""

import argparse
import io
import itertools
import os
import random
import statistics
import time
from datetime import datetime, timedelta

from common import official, setup, timed

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
            insert_rows(Report, fields, rows[start : start + 5000], blanks=("media_url",))
    return communes


def measure(label, function, runs, *args, **kwargs):
    """Call `function` `runs` times; print wall p50/p95/max, the process's CPU time per call
    (meaningful on SQLite, which runs in this process) and the load average."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        cpu = time.process_time()
        ms, result = timed(function, *args, **kwargs)
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append(ms)
    walls.sort()
    p95 = walls[max(0, int(len(walls) * 0.95) - 1)]
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{label:<46} p50 {statistics.median(walls):7.1f} ms  p95 {p95:7.1f} ms  "
        f"max {walls[-1]:7.1f} ms  cpu {statistics.median(cpus):7.1f} ms  "
        f"(n={runs}, load {load})"
    )
    return result


def twelve_megapixels(kind="noise", format="JPEG"):
    """A 4,000 × 3,000 photo: `noise` is the worst case for JPEG (7–8 MB), `photo` a
    smooth scene with grain, closer to what a phone sends (2–4 MB)."""
    from PIL import Image, ImageFilter

    if kind == "noise":
        image = Image.effect_noise((4000, 3000), 40).convert("RGB")
    else:
        small = Image.effect_noise((400, 300), 60).filter(ImageFilter.GaussianBlur(6))
        scene = Image.merge(
            "RGB", [small, small.rotate(180), Image.linear_gradient("L").resize((400, 300))]
        ).resize((4000, 3000), Image.Resampling.BICUBIC)
        grain = Image.effect_noise((4000, 3000), 8).convert("RGB")
        image = Image.blend(scene, grain, 0.15)
    out = io.BytesIO()
    if format == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
        image.save(out, format="HEIF", quality=80)
    else:
        image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def clean(photo):
    from langso.feedback.photos import clean_photo

    return clean_photo(io.BytesIO(photo), name="x")


def post_report(url, hamlet, photo, addresses):
    """An anonymous report with `photo` through the public form (a new address each time:
    the rate limit is not what is measured)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from langso.feedback.models import Category

    data = {
        "category": Category.objects.get(code="roads").pk,
        "hamlet": hamlet.pk,
        "text": "Cống vỡ (benchmark).",
        "is_public": "on",
        "photos": [SimpleUploadedFile("anh-12mp.jpg", photo, "image/jpeg")],
    }
    response = Client().post(url, data, REMOTE_ADDR=f"198.51.100.{next(addresses) % 250 + 1}")
    assert response.status_code == 302, response.status_code
    return response


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var-dir", required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--reports", type=int, default=REPORTS)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--skip-photos", action="store_true")
    options = parser.parse_args()
    setup(options.var_dir, options.database_url)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from langso.feedback import tallies
    from langso.feedback.models import Report
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
            f"{'add the reports (once)':<46} {time.perf_counter() - started:7.2f} s "
            f"({options.reports - have:,})"
        )
        started = time.perf_counter()
        rows = tallies.rebuild(province)
        print(f"{'count the tallies':<46} {time.perf_counter() - started:7.2f} s ({rows:,} rows)")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # What autovacuum does soon after a bulk load: statistics, and the
                # visibility map that lets the overdue index be read alone.
                cursor.execute("VACUUM ANALYZE feedback_report")
                cursor.execute("VACUUM ANALYZE feedback_tally")
            else:
                cursor.execute("ANALYZE")
    print(f"{'reports in the province':<46} {Report.objects.within(province).count():>10,}")
    open_reports = Report.objects.within(province).open().count()
    print(f"{'open reports':<46} {open_reports:>10,}")
    print(f"database: {connection.vendor}; machine: {os.cpu_count()} cores")

    client = Client()
    client.force_login(official("fb-bench-province", province))
    url = reverse("feedback:dashboard", args=[province.pk])
    client.get(url)
    measure("province feedback dashboard (goal ≤ 300 ms)", client.get, RUNS, url)

    commune = (
        Unit.objects.filter(parent=province, kind=Unit.Kind.COMMUNE)
        .filter(pk__in=Report.objects.values("commune_id")[:1])
        .first()
    )
    client.force_login(official("fb-bench-commune", commune))
    url = reverse("feedback:report-list") + "?state=all"
    client.get(url)
    measure("commune list, first page (goal ≤ 100 ms)", client.get, RUNS, url)
    url = reverse("feedback:report-list") + "?state=open"
    measure("commune open reports, first page", client.get, RUNS, url)
    url = reverse("feedback:dashboard", args=[commune.pk])
    measure("commune feedback dashboard", client.get, RUNS, url)
    public = Client()
    url = reverse("public:feedback-answers", args=[commune.code])
    measure("commune public answers and figures", public.get, RUNS, url)
    if options.skip_photos:
        return

    hamlet = Unit.objects.filter(parent=commune, kind=Unit.Kind.HAMLET).first()
    url = reverse("public:feedback-new", args=[commune.code])
    addresses = itertools.count(1)
    for kind, format in (("noise", "JPEG"), ("photo", "JPEG"), ("photo", "HEIF")):
        photo = twelve_megapixels(kind, format)
        label = f"{format} 12 MP {kind} ({len(photo) / 1e6:.1f} MB)"
        measure(f"clean_photo alone, {label}", clean, 3, photo)
        measure(
            f"anonymous report, {label} (≤ 1.5 s)", post_report, 3, url, hamlet, photo, addresses
        )
    for report in Report.objects.filter(text="Cống vỡ (benchmark)."):
        for stored in report.photos.all():
            stored.image.delete(save=False)
        report.photos.all().delete()
        report.delete()
    tallies.rebuild(commune)


if __name__ == "__main__":
    main()
