"""Demo campaigns (issue 15, item 9): a finished bridge and a running road.

- The bridge over the stream in Bình Chiến: 170,000,000 đ reached from about 300
  households (cash with numbered receipts and transfers), labour days, four strips of
  land handed over with minutes, an organisation and a "nhà hảo tâm", a few residents
  not named in public, expenses with an invoice, and a photo of the finished bridge.
- The road of Tân Lập hamlet, still running: pledges with their VietQR codes and one
  bank statement imported, with a few lines nobody could match.

Rows are written in bulk (the ledger's rules hold: nothing is changed afterwards);
the statement goes through the real import, so the demo shows what a treasurer sees.
"""

import io
import random
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from langso.accounts.models import User
from langso.campaigns import actions
from langso.campaigns.models import (
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    Campaign,
    CommitteeMember,
    Entry,
    Pledge,
)
from langso.places.models import Unit
from langso.registry.models import Household

ORDER = 40
BRIDGE_TARGET = 170_000_000
BRIDGE_HOUSEHOLDS = 300
ROAD_PLEDGES = 60


def _references(rng: random.Random, count: int) -> list[str]:
    found: set[str] = set()
    while len(found) < count:
        found.add("".join(rng.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH)))
    return sorted(found, key=lambda _: rng.random())


def _households(hamlet: Unit, limit: int) -> list[Household]:
    return list(
        Household.objects.within(hamlet)
        .filter(closed_on__isnull=True, head__isnull=False)
        .select_related("head")
        .order_by("pk")[:limit]
    )


def _committee(campaign: Campaign, households: list[Household], user: User | None) -> None:
    roles = [CommitteeMember.Role.HEAD, CommitteeMember.Role.TREASURER]
    roles.append(CommitteeMember.Role.ACCOUNTANT)
    for household, role in zip(households[-3:], roles, strict=False):
        actions.add_committee_member(
            campaign,
            acting_user=user,
            person=household.head,
            role=role,
            user=None,
        )


def _photo_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 300), (150, 200, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 210, 480, 300], fill=(70, 130, 90))  # the stream's banks
    draw.rectangle([0, 225, 480, 260], fill=(60, 110, 170))  # the stream
    draw.rectangle([40, 180, 440, 200], fill=(190, 190, 185))  # the deck
    for x in (80, 240, 400):
        draw.rectangle([x - 8, 200, x + 8, 260], fill=(160, 160, 155))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _bridge(commune: Unit, hamlet: Unit, rng: random.Random, as_of: date, user) -> Campaign:
    starts = as_of - timedelta(days=330)
    campaign = actions.create_campaign(
        hamlet,
        acting_user=user,
        name="Xây cầu bê tông qua suối thôn Bình Chiến",
        purpose="Cầu bê tông cốt thép dài 24 m, rộng 3,5 m thay cầu tạm bằng tre, "
        "do nhân dân đóng góp tiền, ngày công và hiến đất làm đường dẫn.",
        starts_on=starts,
        ends_on=as_of - timedelta(days=60),
        target_money=BRIDGE_TARGET,
        target_labour_days=Decimal(450),
        target_land_m2=Decimal(120),
        suggested_amount=500_000,
        bank_bin="970405",
        bank_account="3600205100777",
        account_name="BAN VAN DONG XAY CAU BINH CHIEN",
    )
    households = _households(hamlet, BRIDGE_HOUSEHOLDS)
    _committee(campaign, households, user)
    references = _references(rng, len(households) + 2)
    pledges = []
    for household, reference in zip(households, references, strict=False):
        pledges.append(
            Pledge(
                campaign=campaign,
                giver_kind=Pledge.GiverKind.HOUSEHOLD,
                household=household,
                amount=rng.choice([300_000, 400_000, 500_000, 500_000, 700_000, 1_000_000]),
                labour_days=Decimal(rng.choice([0, 1, 2, 2, 3])),
                unnamed=rng.random() < 0.03,
                reference=reference,
                created_by=user,
            )
        )
    pledges.append(
        Pledge(
            campaign=campaign,
            giver_kind=Pledge.GiverKind.ORGANISATION,
            giver_name="Công ty TNHH Xây dựng Mai Sơn",
            amount=20_000_000,
            reference=references[-2],
        )
    )
    pledges.append(
        Pledge(
            campaign=campaign,
            giver_kind=Pledge.GiverKind.DONOR,
            anonymous=True,
            amount=15_000_000,
            reference=references[-1],
        )
    )
    Pledge.objects.bulk_create(pledges)
    pledged = sum(p.amount for p in pledges)
    # Every pledge was paid in full; what the target still lacked came from the hamlet's
    # own households giving more at the inauguration (recorded on the last ones).
    short = max(BRIDGE_TARGET - pledged, 0)
    entries, receipt = [], 0
    for index, pledge in enumerate(pledges):
        amount = pledge.amount + (short if index == len(households) - 1 else 0)
        on = starts + timedelta(days=rng.randint(5, 250))
        cash = pledge.giver_kind == Pledge.GiverKind.HOUSEHOLD and rng.random() < 0.6
        if cash:
            receipt += 1
        entries.append(
            Entry(
                campaign=campaign,
                kind=Entry.Kind.CASH if cash else Entry.Kind.TRANSFER,
                on=on,
                amount=amount,
                pledge=pledge,
                giver_kind=pledge.giver_kind,
                household=pledge.household,
                giver_name=pledge.giver_name,
                anonymous=pledge.anonymous,
                unnamed=pledge.unnamed,
                receipt_number=receipt if cash else None,
                bank_transaction="" if cash else f"FT{on:%y%m%d}{index:05d}",
                recorded_by=user,
            )
        )
        if pledge.labour_days:
            entries.append(
                Entry(
                    campaign=campaign,
                    kind=Entry.Kind.LABOUR,
                    on=on + timedelta(days=rng.randint(1, 30)),
                    labour_days=pledge.labour_days,
                    pledge=pledge,
                    giver_kind=pledge.giver_kind,
                    household=pledge.household,
                    unnamed=pledge.unnamed,
                    worker=pledge.household.head.full_name if pledge.household else "",
                    recorded_by=user,
                )
            )
    for number, household in enumerate(households[:4], start=1):
        area = Decimal(rng.choice([20, 25, 30, 45]))
        entries.append(
            Entry(
                campaign=campaign,
                kind=Entry.Kind.LAND,
                on=starts + timedelta(days=20 + number),
                land_m2=area,
                giver_kind=Entry.GiverKind.HOUSEHOLD,
                household=household,
                plot=f"Thửa {100 + number * 7}, tờ bản đồ số 12",
                minutes_number=f"{number:02d}/BB-HĐ",
                signed_by_household=True,
                recorded_by=user,
            )
        )
    Entry.objects.bulk_create(entries)
    Campaign.objects.filter(pk=campaign.pk).update(last_receipt=receipt)
    invoice = _invoice_pdf(campaign)
    for days, amount, what, supplier in (
        (60, 48_500_000, "Xi măng PCB40 và cát, đá", "Cửa hàng VLXD Hùng Cường"),
        (75, 52_000_000, "Thép và ván khuôn", "Công ty TNHH Thép Tây Bắc"),
        (120, 45_000_000, "Thuê thợ và máy đổ bê tông", "Tổ thợ xây Quàng Văn Thắng"),
        (250, 18_800_000, "Lan can, biển tên cầu", "Xưởng cơ khí Mai Sơn"),
        (268, 4_500_000, "Lễ khánh thành cầu", ""),
    ):
        actions.record_expense(
            campaign,
            acting_user=user,
            on=starts + timedelta(days=days),
            amount=amount,
            description=what,
            supplier=supplier,
            document=SimpleUploadedFile("hoa-don.pdf", invoice) if days == 60 else None,
        )
    actions.add_photo(
        campaign,
        acting_user=user,
        image=SimpleUploadedFile("cau.png", _photo_png()),
        caption="Cầu mới ngày khánh thành",
        taken_on=as_of - timedelta(days=62),
    )
    actions.update_campaign(campaign, acting_user=user, status=Campaign.Status.FINISHED)
    return campaign


def _invoice_pdf(campaign: Campaign) -> bytes:
    from langso.lib.pdf import render_list_pdf

    return render_list_pdf(
        unit_lines=["CỬA HÀNG VLXD HÙNG CƯỜNG"],
        title="HOÁ ĐƠN BÁN HÀNG",
        headings=["Hàng hoá", "Số lượng", "Thành tiền"],
        rows=[
            ["Xi măng PCB40", "300 bao", "28.500.000"],
            ["Cát vàng, đá 1×2", "40 m³", "20.000.000"],
        ],
        day=campaign.starts_on + timedelta(days=60),
        place="Mai Sơn",
    )


def _road(hamlet: Unit, rng: random.Random, as_of: date, user) -> Campaign:
    campaign = actions.create_campaign(
        hamlet,
        acting_user=user,
        name="Bê tông hoá đường trục thôn Tân Lập",
        purpose="Đổ bê tông 1,2 km đường trục thôn, rộng 3 m.",
        starts_on=as_of - timedelta(days=40),
        target_money=250_000_000,
        target_labour_days=Decimal(600),
        suggested_amount=1_000_000,
        bank_bin="970405",
        bank_account="3600205100888",
        account_name="BAN VAN DONG DUONG THON TAN LAP",
    )
    households = _households(hamlet, ROAD_PLEDGES + 3)
    _committee(campaign, households, user)
    pledges = [
        actions.pledge(
            campaign,
            acting_user=user,
            household=household,
            amount=rng.choice([500_000, 1_000_000, 1_000_000, 1_500_000, 2_000_000]),
            labour_days=rng.choice([0, 2, 3]),
        )
        for household in households[:ROAD_PLEDGES]
    ]
    # A statement as an internet bank might export it: title rows, then the table.
    lines = [
        "SAO KÊ TÀI KHOẢN",
        "Số tài khoản: 3600205100888",
        "",
        "Ngày giao dịch,Số bút toán,Số tiền ghi nợ,Số tiền ghi có,Nội dung",
    ]
    paid = pledges[: len(pledges) * 2 // 3]
    for index, pledge in enumerate(paid):
        day = as_of - timedelta(days=rng.randint(1, 30))
        name = pledge.household.head.full_name.upper() if pledge.household else ""
        content = rng.choice(
            [pledge.qr_purpose, f"{name} chuyen tien {pledge.qr_purpose.lower()}", pledge.reference]
        )
        amount = f"{pledge.amount:,}".replace(",", ".")
        lines.append(f'{day:%d/%m/%Y},FT{index:06d},,"{amount}","{content}"')
    lines += [
        f'{as_of - timedelta(days=3):%d/%m/%Y},FT900001,,"500.000","ung ho lam duong"',
        f'{as_of - timedelta(days=2):%d/%m/%Y},FT900002,,"2.000.000","CHUYEN TIEN"',
        f'{as_of - timedelta(days=2):%d/%m/%Y},FT900003,"11.000",,"Phi SMS Banking"',
        f'{as_of - timedelta(days=1):%d/%m/%Y},FT900004,,"300.000","gop duong thon"',
    ]
    upload = SimpleUploadedFile("sao-ke-tan-lap.csv", "\n".join(lines).encode("utf-8-sig"))
    item = actions.upload_statement(campaign, acting_user=user, upload=upload)
    actions.import_statement(item, acting_user=user)
    # What the committee's other pages show: a native of the hamlet now in the city who
    # pledged on the public page, a pledge cancelled with its reason, and a household
    # exempted by hand after a flood.
    actions.pledge(
        campaign,
        acting_user=None,
        giver_name="Công ty TNHH Vật tư Nông nghiệp Tân Lập",
        organisation=True,
        amount=20_000_000,
        note="Đăng ký qua trang công khai.",
    )
    actions.cancel_pledge(
        pledges[-1], acting_user=user, reason="Hộ chuyển vào Bình Dương làm ăn, không ở thôn."
    )
    spare = _households(hamlet, ROAD_PLEDGES + 5)[ROAD_PLEDGES + 3 :]
    if spare:
        actions.set_exemption(
            campaign,
            spare[0],
            acting_user=user,
            reason="other",
            note="Nhà bị lũ cuốn trôi tháng 9, đang ở nhờ.",
        )
    return campaign


def build(commune: Unit, *, as_of: date, seed: int, log) -> None:
    rng = random.Random(f"campaigns-{seed}")
    hamlets = {unit.name: unit for unit in Unit.objects.filter(parent=commune)}
    user = User.objects.filter(username="truongthon").first()
    bridge_hamlet = hamlets.get("Bình Chiến")
    road_hamlet = hamlets.get("Tân Lập")
    if bridge_hamlet is None or road_hamlet is None:
        log("Campaigns: the demo hamlets are missing; no campaigns built.")
        return
    bridge = _bridge(commune, bridge_hamlet, rng, as_of, user)
    road = _road(road_hamlet, rng, as_of, user)
    log(
        f"Campaigns: {bridge.name} ({bridge.entries.count():,} ledger lines), "
        f"{road.name} ({road.pledges.count()} pledges, "
        f"{road.unmatched.count()} statement lines to match by hand)."
    )
