from datetime import date

from django.core.management.base import BaseCommand
from django.db import transaction
from vietnam_provinces import Province, VietNamDivisionType, Ward

from langso.lib.paths import SEPARATOR
from langso.lib.vietnamese import normalize_name
from langso.places.models import Unit

# Resolution 202/2025/QH15: the two-tier map is in force from 1 July 2025.
REFORM_DAY = date(2025, 7, 1)

TYPE_NAMES = {
    VietNamDivisionType.TINH: "tỉnh",
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: "thành phố",
    VietNamDivisionType.XA: "xã",
    VietNamDivisionType.PHUONG: "phường",
    VietNamDivisionType.DAC_KHU: "đặc khu",
}


class Command(BaseCommand):
    help = (
        "Load the 34 provinces and 3,321 communes, wards and special zones of the "
        "post-2025 official list (package vietnam-provinces). Codes are zero-padded: "
        "2 digits for a province, 5 for a commune. Idempotent: existing units are "
        "kept (their names updated if the list renamed them) and counted, not created. "
        "Names are stored with single spaces (the list writes ten with a double space); a "
        "second run repairs names loaded before."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        existing = {
            (kind, code): (pk, name)
            for pk, kind, code, name in Unit.objects.filter(
                kind__in=[Unit.Kind.PROVINCE, Unit.Kind.COMMUNE]
            ).values_list("pk", "kind", "code", "name")
        }
        created = renamed = 0

        def upsert(rows):
            nonlocal created, renamed
            new = []
            for unit in rows:
                found = existing.get((unit.kind, unit.code))
                if found is None:
                    new.append(unit)
                elif found[1] != unit.name:
                    Unit.objects.filter(pk=found[0]).update(name=unit.name)
                    renamed += 1
            Unit.objects.bulk_create(new, batch_size=500)
            created += len(new)

        upsert(
            Unit(
                kind=Unit.Kind.PROVINCE,
                type_name=TYPE_NAMES[p.division_type],
                name=normalize_name(p.name),
                code=f"{int(p.code):02d}",
                path=f"{int(p.code):02d}",
                valid_from=REFORM_DAY,
            )
            for p in Province.iter_all()
        )
        provinces = dict(Unit.objects.filter(kind=Unit.Kind.PROVINCE).values_list("code", "pk"))
        upsert(
            Unit(
                kind=Unit.Kind.COMMUNE,
                type_name=TYPE_NAMES[w.division_type],
                name=normalize_name(w.name),
                code=f"{int(w.code):05d}",
                parent_id=provinces[f"{int(w.province_code):02d}"],
                path=f"{int(w.province_code):02d}{SEPARATOR}{int(w.code):05d}",
                valid_from=REFORM_DAY,
            )
            for w in Ward.iter_all()
        )
        totals = {
            kind: Unit.objects.filter(kind=kind).count()
            for kind in (Unit.Kind.PROVINCE, Unit.Kind.COMMUNE)
        }
        self.stdout.write(
            f"Units: {created} created, {renamed} renamed; "
            f"{totals[Unit.Kind.PROVINCE]} provinces and "
            f"{totals[Unit.Kind.COMMUNE]} communes in the database."
        )
