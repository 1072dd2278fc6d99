"""Bank statements in (issue 15, item 6), on statements built in several plausible shapes.

No bank's exact layout is claimed: each shape is one a bank's internet-banking export
might take (title rows above the table, Vietnamese or English headers with or without
diacritics, credit/debit in two columns or one signed column, "." thousands separators,
text or Excel dates, with or without a transaction number).
"""

import csv
import io
from datetime import date, datetime

import pytest
import time_machine
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from langso.campaigns import actions, ledger, statements
from langso.campaigns.models import Entry, StatementMapping, UnmatchedLine
from langso.test import vietnam_time

TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(vietnam_time(TODAY), tick=False):
        yield


def xlsx(rows, *, dates_as_excel=False):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Sao ke")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, day)
            else:
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def csv_bytes(rows, delimiter=","):
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    return text.getvalue().encode("utf-8-sig")


TITLE = [
    ["NGÂN HÀNG NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN VIỆT NAM"],
    ["SAO KÊ TÀI KHOẢN"],
    ["Số tài khoản: 3600205123456", "", "Từ ngày 01/03/2026 đến ngày 20/03/2026"],
    [],
]


def two_columns_vietnamese(ref):
    return xlsx(
        [
            *TITLE,
            [
                "STT",
                "Ngày giao dịch",
                "Số bút toán",
                "Số tiền ghi nợ",
                "Số tiền ghi có",
                "Số dư",
                "Nội dung",
            ],
            [
                1,
                datetime(2026, 3, 2),
                "FT2606100001",
                "",
                2000000,
                2000000,
                f"NGUYEN VAN PHUNG chuyen tien {ref}",
            ],
            [2, datetime(2026, 3, 3), "FT2606100002", 150000, "", 1850000, "Phi dich vu SMS"],
            [3, datetime(2026, 3, 4), "FT2606100003", "", 300000, 2150000, "ung ho xay cau"],
            ["", "", "", "", "", "", ""],
            ["Tổng cộng", "", "", 150000, 2300000, "", ""],
        ]
    )


def signed_column_english(ref):
    return csv_bytes(
        [
            ["ACCOUNT STATEMENT"],
            ["Account: 3600205123456"],
            [],
            ["Transaction Date", "Reference", "Description", "Amount"],
            ["02/03/2026", "TX-1", f"Dong gop cau {ref.lower()}", "+2.000.000"],
            ["03/03/2026", "TX-2", "SMS fee", "-11.000"],
            ["04/03/2026", "TX-3", "unknown payer", "500.000"],
        ]
    )


def no_diacritics_no_transaction_number(ref):
    spaced = " ".join([ref[:2], ref[2:5], ref[5:]])
    return csv_bytes(
        [
            ["Sao ke tai khoan"],
            ["Ngay GD", "Dien giai", "Ghi No", "Ghi Co"],
            ["2026-03-02", f"Đóng góp cầu – {spaced.lower()} – cảm ơn", "0", "2,000,000"],
            ["2026-03-03", "Phi SMS Banking", "11,000", "0"],
            ["2026-03-05", "Chuyen khoan", "0", "100,000"],
        ],
        delimiter=";",
    )


@pytest.mark.parametrize(
    "build", [two_columns_vietnamese, signed_column_english, no_diacritics_no_transaction_number]
)
def test_credits_are_read_in_each_shape_and_matched_by_reference(world, bridge, build):
    pledge = actions.pledge(bridge, acting_user=None, household=world.household, amount=2_000_000)
    statement = statements.read_statement(build("LS" + pledge.reference), "sao-ke.xlsx")
    assert next(line.on for line in statement.lines) == date(2026, 3, 2)
    assert statement.lines[0].amount == 2_000_000
    assert statement.debits == 1
    assert not statement.problems
    plan = statements.plan_statement({pledge.reference: pledge}, statement, set())
    assert [(line.amount, p) for line, p in plan.matched] == [(2_000_000, pledge)]
    assert len(plan.unmatched) == 1


@pytest.mark.parametrize(
    "content",
    [
        "LS{ref}",
        "ls {a} {b}",
        "Đóng góp xây cầu LS-{ref}. Nguyễn Văn Phụng",
        "MBVCB.123456.NGUYEN VAN PHUNG.ls{ref_lower}.CT tu 0011",
        "chuyen tien {ref}",
        "Ung ho cầu — mã: l s {a}{b} —",
    ],
)
def test_messy_references_still_match(world, bridge, content):
    pledge = actions.pledge(bridge, acting_user=None, household=world.household, amount=1)
    ref = pledge.reference
    text = content.format(ref=ref, a=ref[:3], b=ref[3:], ref_lower=ref.lower())
    assert pledge.reference in statements.references_in(text)


def test_importing_writes_transfers_and_keeps_the_unmatched_and_a_second_import_adds_nothing(
    world, bridge, treasurer
):
    pledge = actions.pledge(bridge, acting_user=None, household=world.household, amount=2_000_000)
    data = two_columns_vietnamese("ls " + pledge.reference.lower())
    first = actions.upload_statement(
        bridge, acting_user=treasurer, upload=SimpleUploadedFile("sao-ke.xlsx", data)
    )
    preview = actions.preview_statement(first)
    assert len(preview.matched) == 1 and not Entry.objects.exists()  # preview writes nothing
    actions.import_statement(first, acting_user=treasurer)
    entry = Entry.objects.get()
    assert (entry.kind, entry.amount, entry.pledge, entry.household) == (
        "transfer",
        2_000_000,
        pledge,
        world.household,
    )
    assert entry.bank_transaction == "FT2606100001"
    assert pledge.is_fulfilled()
    unmatched = UnmatchedLine.objects.get()
    assert (unmatched.amount, unmatched.description) == (300_000, "ung ho xay cau")

    again = actions.upload_statement(
        bridge, acting_user=treasurer, upload=SimpleUploadedFile("sao-ke (1).xlsx", data)
    )
    plan = actions.import_statement(again, acting_user=treasurer)
    assert len(plan.already) == 2 and not plan.matched and not plan.unmatched
    assert Entry.objects.count() == 1 and UnmatchedLine.objects.count() == 1
    assert ledger.balance_at(bridge, TODAY) == 2_000_000

    # The treasurer matches the unmatched line by hand; it is then a transfer too.
    other = actions.pledge(bridge, acting_user=None, giver_name="Công ty Đức Thành", amount=300_000)
    actions.match_by_hand(unmatched, acting_user=treasurer, pledge=other)
    assert ledger.balance_at(bridge, TODAY) == 2_300_000
    unmatched.refresh_from_db()
    assert unmatched.resolved


def test_lines_without_a_transaction_number_are_not_imported_twice(world, bridge):
    pledge = actions.pledge(bridge, acting_user=None, household=world.household, amount=2_000_000)
    data = no_diacritics_no_transaction_number("LS" + pledge.reference)
    for name in ("a.csv", "b.csv"):
        item = actions.upload_statement(
            bridge, acting_user=None, upload=SimpleUploadedFile(name, data)
        )
        actions.import_statement(item, acting_user=None)
    assert Entry.objects.count() == 1 and UnmatchedLine.objects.count() == 1


def test_unknown_headers_are_mapped_once_and_remembered_for_the_account(world, bridge):
    data = csv_bytes(
        [
            ["Ngày", "Tiền về tài khoản", "Lời nhắn"],
            ["02/03/2026", "1.000.000", "abc"],
        ]
    )
    with pytest.raises(statements.ColumnsNotFound) as missing:
        statements.read_statement(data, "x.csv", mapping=actions.mapping_for(bridge))
    assert missing.value.headings == ["Ngày", "Tiền về tài khoản", "Lời nhắn"]
    actions.remember_mapping(
        bridge,
        acting_user=None,
        columns={"date": "Ngày", "credit": "Tiền về tài khoản", "description": "Lời nhắn"},
    )
    assert StatementMapping.objects.get().account == "3600205123456"
    statement = statements.read_statement(data, "x.csv", mapping=actions.mapping_for(bridge))
    assert [(line.amount, line.description) for line in statement.lines] == [(1_000_000, "abc")]


def test_a_bad_amount_or_date_is_reported_by_row(world, bridge):
    data = csv_bytes(
        [
            ["Ngày giao dịch", "Số tiền ghi có", "Nội dung"],
            ["02/03/2026", "một triệu", "x"],
            ["31/02/2026", "1.000", "y"],
            ["03/03/2026", "2.000", "z"],
        ]
    )
    statement = statements.read_statement(data, "x.csv")
    assert [(p.row, "một triệu" in p.message) for p in statement.problems] == [
        (2, True),
        (3, False),
    ]
    assert [line.amount for line in statement.lines] == [2000]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2.000.000", 2_000_000),
        ("2,000,000", 2_000_000),
        ("1.500.000,00", 1_500_000),
        ("1,500,000.00", 1_500_000),
        ("-500.000", -500_000),
        ("+300.000 VND", 300_000),
        (2000000.0, 2_000_000),
        ("", 0),
    ],
)
def test_amounts_are_read_as_banks_write_them(cell, expected):
    assert statements.parse_amount(cell) == expected


def _statement_of(pledges, unmatched, stamp):
    rows = [["SAO KÊ"], ["Ngày giao dịch", "Mã giao dịch", "Ghi có", "Nội dung"]]
    for index, pledge in enumerate(pledges):
        rows.append(["02/03/2026", f"{stamp}-{index}", "100.000", f"ls {pledge.reference}"])
    for index in range(unmatched):
        rows.append(["03/03/2026", f"{stamp}-u{index}", "50.000", f"ung ho {index}"])
    return csv_bytes(rows)


def test_the_import_reads_the_file_once_and_its_queries_do_not_grow_with_the_lines(
    world, bridge, treasurer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pledges = [
        actions.pledge(bridge, acting_user=None, giver_name=f"Nhà hảo tâm {n}", amount=100_000)
        for n in range(40)
    ]
    counts = []
    for size, stamp in ((4, "A"), (40, "B")):
        data = _statement_of(pledges[:size], size, stamp)
        item = actions.upload_statement(
            bridge, acting_user=treasurer, upload=SimpleUploadedFile("s.csv", data)
        )
        # The file is read at upload only: the import writes the plan the preview showed,
        # even if the stored file were gone.
        item.file.delete(save=False)
        with CaptureQueriesContext(connection) as queries:
            plan = actions.import_statement(item, acting_user=treasurer)
        assert (len(plan.matched), len(plan.unmatched)) == (size, size)
        sql = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
        inserts = [q for q in sql if q.startswith("INSERT")]
        # Rows are written in bulk: one INSERT per batch of rows (SQLite caps the
        # parameters of one statement), the rest does not depend on the lines at all.
        assert len(inserts) <= 3 + 2 * size // 30, inserts
        counts.append(len(sql) - len(inserts))
    assert counts[0] == counts[1], counts
    assert Entry.objects.filter(kind="transfer").count() == 4 + 40
    assert UnmatchedLine.objects.count() == 4 + 40
    assert ledger.balance_at(bridge, TODAY) == 44 * 100_000


def test_a_credit_whose_pledge_was_cancelled_after_the_preview_waits_to_be_matched_by_hand(
    world, bridge, treasurer
):
    pledge = actions.pledge(bridge, acting_user=None, household=world.household, amount=2_000_000)
    item = actions.upload_statement(
        bridge,
        acting_user=treasurer,
        upload=SimpleUploadedFile("s.xlsx", two_columns_vietnamese("LS" + pledge.reference)),
    )
    assert len(actions.preview_statement(item).matched) == 1
    actions.cancel_pledge(pledge, acting_user=treasurer, reason="Hộ chuyển đi")
    plan = actions.import_statement(item, acting_user=treasurer)
    assert not plan.matched and not Entry.objects.exists()
    assert sorted(UnmatchedLine.objects.values_list("amount", flat=True)) == [300_000, 2_000_000]


def test_two_previews_of_one_statement_write_it_once(world, bridge, treasurer):
    pledge = actions.pledge(bridge, acting_user=None, household=world.household, amount=2_000_000)
    data = two_columns_vietnamese("LS" + pledge.reference)
    first, second = (
        actions.upload_statement(
            bridge, acting_user=treasurer, upload=SimpleUploadedFile(name, data)
        )
        for name in ("a.xlsx", "b.xlsx")
    )
    actions.import_statement(first, acting_user=treasurer)
    plan = actions.import_statement(second, acting_user=treasurer)
    assert len(plan.already) == 2 and not plan.matched
    assert Entry.objects.count() == 1 and UnmatchedLine.objects.count() == 1
