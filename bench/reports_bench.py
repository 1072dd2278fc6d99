"""Lists and indicators at province scale.

    .venv/bin/python bench/reports_bench.py --var-dir DIR [--database-url URL]

Against the million-person demo (`bench/demo_build.py --keep DIR`), it prints:

- the time to refresh the stored summaries of every commune (`refresh_indicators`);
- the indicator page of the province (goal p95 ≤ 300 ms) and of a commune (≤ 50 ms),
  rendered by the real view with its charts, p95 over 20 requests;
- the voter list of the commune with the most voters, drawn, then written to Excel
  (goal ≤ 5 s for 10,000 voters) and to PDF (≤ 30 s).
"""

import argparse
import io

from common import cpu_note, official, setup, summary, timed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var-dir", required=True)
    parser.add_argument("--database-url")
    options = parser.parse_args()
    setup(options.var_dir, options.database_url)

    from datetime import date

    from django.db.models import Count
    from django.test import Client

    from langso.places.models import Unit
    from langso.registry.models import Household
    from langso.reports import exports
    from langso.reports.lists import voters
    from langso.reports.tasks import refresh_summaries

    province = Unit.objects.get(kind=Unit.Kind.PROVINCE, code="14")
    ms, _ = timed(refresh_summaries.call, province.path)
    print(f"{'refresh the summaries of every commune':<44} {ms / 1000:7.2f} s   ({cpu_note(ms)})")

    biggest = (
        Household.objects.within(province)
        .values("unit__parent__parent")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    commune = Unit.objects.get(pk=biggest["unit__parent__parent"])
    client = Client()
    for label, user, unit in (
        ("indicator page of the province", official("bench-tinh", province), province),
        (f"indicator page of {commune.name}", official("bench-xa-lon", commune), commune),
    ):
        client.force_login(user)
        client.get(f"/reports/units/{unit.pk}/")  # warm up
        timings = []
        for _ in range(20):
            ms, response = timed(client.get, f"/reports/units/{unit.pk}/")
            assert response.status_code == 200, response.status_code
            timings.append(ms)
        summary(label, timings)

    day = date.today()
    ms_draw, drawn = timed(voters, commune, day)
    print(f"{'voter list of ' + commune.name + ' drawn':<44} {ms_draw / 1000:7.2f} s   "
          f"({len(drawn.rows):,} voters; {cpu_note(ms_draw)})")  # fmt: skip
    ms_xlsx, _ = timed(exports.to_xlsx, drawn, io.BytesIO())
    print(f"{'  to Excel':<44} {ms_xlsx / 1000:7.2f} s   ({cpu_note(ms_xlsx)})")
    ms_pdf, pdf = timed(exports.to_pdf, drawn)
    print(
        f"{'  to PDF':<44} {ms_pdf / 1000:7.2f} s   ({len(pdf) / 1e6:.1f} MB; {cpu_note(ms_pdf)})"
    )


if __name__ == "__main__":
    main()
