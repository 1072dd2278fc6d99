"""Community campaigns at commune scale: the public ledger, the balance, a statement import.

    .venv/bin/python bench/campaigns_bench.py --var-dir DIR [--database-url URL]

Against the benchmark demo (`bench/demo_build.py --keep DIR`), it first adds (once; a
second run reuses it) a campaign of the commune with the most households, with pledges
from 10,000 households and 50,000 contributions (cash with receipts, transfers, goods,
labour and land, a few corrections) and 200 expenses. The demo's communes are smaller
than 10,000 households, so the givers are drawn from the province's households: the
queries measured read the campaign's ledger and do not depend on where givers live.
Then it prints:

- the public ledger page (anonymous, through Django's test client), p95 over 30
  requests; goal ≤ 100 ms;
- the balance at a random date (`ledger.balance_at`), p95 over 50 calls; goal ≤ 50 ms;
- importing a 10,000-line statement (8,000 credits matching pledges by their reference
  code with messy spacing and case, 1,500 unmatched, 500 debits): the upload (read and
  matched once, the plan kept), the preview, and the confirmed import writing it, one
  run; goal ≤ 3 s in all. Each run uses new transaction numbers, so it always writes.

Each figure is printed with the wall time, this process's CPU time (on SQLite the
database works in this process) and the load average, so that figures taken on a busy
machine can be judged.
"""

import argparse
import os
import random
import time

from common import setup, summary

BENCH_NAME = "Quỹ xây dựng nhà văn hoá xã (benchmark)"
HOUSEHOLDS = 10_000
CONTRIBUTIONS = 50_000
EXPENSES = 200
STATEMENT_LINES = 10_000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var-dir", required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--seed", type=int, default=2025)
    options = parser.parse_args()
    setup(options.var_dir, options.database_url)

    from django.core.management import call_command

    from langso.campaigns.models import Campaign

    call_command("migrate", verbosity=0)
    rng = random.Random(options.seed)
    campaign = Campaign.objects.filter(name=BENCH_NAME).first()
    if campaign is None:
        started = time.perf_counter()
        campaign = build(rng)
        print(f"{'build the campaign (once)':<44} {time.perf_counter() - started:7.2f} s")
    report(campaign, rng)


def build(rng):
    from datetime import date, timedelta
    from decimal import Decimal

    from django.db import transaction
    from django.db.models import Count

    from langso.campaigns import actions
    from langso.campaigns.models import (
        REFERENCE_ALPHABET,
        Entry,
        Pledge,
    )
    from langso.places.models import Unit
    from langso.registry.models import Household

    biggest = (
        Household.objects.values("unit__path")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("unit__path", flat=True)
        .first()
    )
    hamlet = Unit.objects.get(path=biggest)
    commune = hamlet.commune()
    households = list(
        Household.objects.filter(head__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:HOUSEHOLDS]
    )
    start = date(2025, 1, 1)
    with transaction.atomic():
        campaign = actions.create_campaign(
            commune,
            acting_user=None,
            name=BENCH_NAME,
            starts_on=start,
            target_money=20_000_000_000,
            target_labour_days=Decimal(30_000),
            target_land_m2=Decimal(5_000),
            bank_bin="970405",
            bank_account="3600205199999",
        )
        references = set()
        while len(references) < len(households):
            references.add("".join(rng.choice(REFERENCE_ALPHABET) for _ in range(6)))
        pledges = Pledge.objects.bulk_create(
            Pledge(
                campaign=campaign,
                giver_kind=Pledge.GiverKind.HOUSEHOLD,
                household_id=household,
                amount=rng.choice([500_000, 1_000_000, 2_000_000]),
                reference=reference,
                unnamed=rng.random() < 0.03,
            )
            for household, reference in zip(households, sorted(references), strict=True)
        )
        kinds = ["cash"] * 5 + ["transfer"] * 3 + ["goods", "labour"]
        entries, receipt = [], 0
        for index in range(CONTRIBUTIONS):
            pledge = pledges[index % len(pledges)]
            kind = rng.choice(kinds) if index % 1000 else "land"
            cash = kind == "cash"
            receipt += cash
            entries.append(
                Entry(
                    campaign=campaign,
                    kind=kind,
                    on=start + timedelta(days=rng.randint(0, 400)),
                    amount=rng.randint(1, 20) * 100_000
                    if kind in ("cash", "transfer", "goods")
                    else 0,
                    labour_days=Decimal(rng.randint(1, 3)) if kind == "labour" else Decimal(0),
                    land_m2=Decimal(rng.randint(10, 50)) if kind == "land" else Decimal(0),
                    pledge=pledge,
                    giver_kind=pledge.giver_kind,
                    household_id=pledge.household_id,
                    unnamed=pledge.unnamed,
                    anonymous=index % 997 == 0,
                    receipt_number=receipt if cash else None,
                    bank_transaction=f"B{index}" if kind == "transfer" else "",
                    description="Hàng hoá" if kind == "goods" else "",
                    worker="Thành viên hộ" if kind == "labour" else "",
                    plot="Thửa 1" if kind == "land" else "",
                )
            )
        for day in range(EXPENSES):
            entries.append(
                Entry(
                    campaign=campaign,
                    kind="expense",
                    on=start + timedelta(days=day * 2),
                    amount=rng.randint(5, 50) * 1_000_000,
                    description=f"Vật tư đợt {day + 1}",
                    supplier="Cửa hàng VLXD",
                )
            )
        Entry.objects.bulk_create(entries, batch_size=5000)
        campaign.last_receipt = receipt
        campaign.save(update_fields=["last_receipt"])
    return campaign


def statement_csv(campaign, rng, stamp):
    pledges = list(campaign.pledges.values_list("reference", "amount")[:8000])
    lines = ["SAO KÊ TÀI KHOẢN", "", "Ngày giao dịch,Mã giao dịch,Ghi nợ,Ghi có,Nội dung"]
    for index in range(STATEMENT_LINES):
        day = f"{rng.randint(1, 28):02d}/0{rng.randint(1, 9)}/2026"
        if index < len(pledges):
            reference, amount = pledges[index]
            content = rng.choice(
                [
                    f"LS{reference}",
                    f"ls {reference[:3]} {reference[3:]}",
                    f"Đóng góp LS-{reference}",
                ]
            )
            money = f"{amount:,}".replace(",", ".")
            lines.append(f'{day},{stamp}-{index},,"{money}","{content}"')
        elif index < 9500:
            lines.append(f'{day},{stamp}-{index},,"300.000","ung ho {index}"')
        else:
            lines.append(f'{day},{stamp}-{index},"11.000",,"Phi SMS"')
    return "\n".join(lines).encode("utf-8-sig")


def load():
    one, five, _fifteen = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def timed_cpu(function, *args):
    """(wall ms, CPU ms of this process) of one call. On SQLite the database works in
    this process, so the CPU time is what the machine's other work cannot inflate."""
    wall, cpu = time.perf_counter(), time.process_time()
    function(*args)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def summary_cpu(label, pairs, goal):
    walls = sorted(wall for wall, _cpu in pairs)
    cpus = sorted(cpu for _wall, cpu in pairs)
    p95 = summary(label, walls)
    cpu95 = cpus[max(0, int(len(cpus) * 0.95) - 1)]
    print(f"{'':<44} CPU p95 {cpu95:7.1f} ms   goal ≤ {goal} ms   {load()}")
    return p95


def report(campaign, rng):
    from datetime import date, timedelta

    from django.core.cache import cache
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from langso.campaigns import actions, ledger

    print(f"{'before':<44} {load()}")
    client = Client()
    url = reverse("public:public-campaign", args=[campaign.unit.commune().code, campaign.pk])
    cache.clear()
    first = timed_cpu(client.get, url)
    label = "public ledger page, first (cache empty)"
    print(f"{label:<44} {first[0]:7.1f} ms   CPU {first[1]:7.1f} ms")
    summary_cpu(
        "public ledger page (50,000 contributions)",
        [timed_cpu(client.get, url) for _ in range(30)],
        100,
    )
    pages = [url + f"?page={n}" for n in range(2, 12)]
    summary_cpu(
        "public ledger, pages 2-11, each read once",
        [timed_cpu(client.get, page) for page in pages],
        100,
    )
    days = [date(2025, 1, 1) + timedelta(days=rng.randint(0, 400)) for _ in range(50)]
    summary_cpu(
        "balance at a date (each date once)",
        [timed_cpu(ledger.balance_at, campaign, day) for day in days],
        50,
    )

    data = statement_csv(campaign, rng, f"R{int(time.time())}")
    wall, cpu = time.perf_counter(), time.process_time()
    item = actions.upload_statement(
        campaign, acting_user=None, upload=SimpleUploadedFile("sao-ke.csv", data)
    )
    preview = actions.preview_statement(item)
    previewed = time.perf_counter() - wall, time.process_time() - cpu
    plan = actions.import_statement(item, acting_user=None)
    total = time.perf_counter() - wall, time.process_time() - cpu
    written = total[0] - previewed[0], total[1] - previewed[1]
    print(
        f"{'statement of 10,000 lines: upload + preview':<44} {previewed[0]:7.2f} s   "
        f"CPU {previewed[1]:5.2f} s   (matched {len(preview.matched):,}, "
        f"unmatched {len(preview.unmatched):,})"
    )
    print(
        f"{'statement of 10,000 lines: confirmed import':<44} {written[0]:7.2f} s   "
        f"CPU {written[1]:5.2f} s   (written {len(plan.matched):,} + "
        f"{len(plan.unmatched):,} to match by hand)"
    )
    print(
        f"{'statement of 10,000 lines: in all':<44} {total[0]:7.2f} s   "
        f"CPU {total[1]:5.2f} s   goal ≤ 3 s   {load()}"
    )


if __name__ == "__main__":
    main()
