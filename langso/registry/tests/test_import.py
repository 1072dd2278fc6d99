"""Excel and CSV import of households and residents, as officials really keep them."""

import io
import unicodedata
from datetime import date

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from langso.accounts.models import AuditEntry
from langso.registry import actions, import_writer
from langso.registry.importing import plan_import
from langso.registry.models import (
    DuplicateFlag,
    Household,
    ImportJob,
    LifeEvent,
    Membership,
    Person,
    SearchKey,
)

TITLE = "DANH SÁCH NHÂN KHẨU THÔN BÌNH CHIẾN"
HEADER = ["STT", "Họ và tên", "Ngày sinh", None, "Số CCCD", "Quan hệ với chủ hộ", "Tổ",
          "Địa chỉ", "Nghề nghiệp", "Số điện thoại"]  # fmt: skip
ROWS = [
    [1, "Hoàng Văn Thái", "12/03/1968", None, "014068000111", "Chủ hộ", "Tổ 1", "Số 5, Tổ 1",
     "Làm ruộng", "0912000111"],
    [2, "Lường Thị Én", None, 1972, None, "Vợ", None, None, "Làm ruộng", None],
    [3, "Hoàng Thị Thuỷ", None, date(2001, 7, 9), "014301000222", "Con", None, None,
     "Công nhân", None],
    [4, "Vì Văn Pọm", "1950", None, None, "Chủ hộ", "Tổ 1", "Số 9, Tổ 1", None, None],
]  # fmt: skip


def book(rows=ROWS, *, header=HEADER, formula_at=None, sheet="Nhân khẩu"):
    """The resident book of a hamlet: a title, a two-row header with Nam | Nữ under Ngày sinh."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = workbook.add_worksheet(sheet)
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    ws.merge_range(0, 0, 0, len(header) - 1, TITLE)
    for col, text in enumerate(header):
        if col == 2:
            ws.merge_range(2, 2, 2, 3, "Ngày sinh")
        elif text:
            ws.merge_range(2, col, 3, col, text)
    ws.write_row(3, 2, ["Nam", "Nữ"])
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row):
            if isinstance(value, date):
                ws.write_datetime(r, c, value, day)
            elif value is not None:
                ws.write(r, c, value)
    if formula_at:
        ws.write_formula(*formula_at, "=1+1")
    workbook.close()
    return buffer.getvalue()


def check(world, data, unit=None, **kwargs):
    return plan_import(data, filename="danh-sach.xlsx", unit=unit or world.hamlet, **kwargs)


def problems(plan):
    return [(p.row, p.column, p.message) for p in plan.problems]


def test_a_real_resident_book_is_planned_and_imported_whole(world):
    plan = check(world, book())

    assert problems(plan) == []
    assert plan.counts() == {
        "rows": 4, "households": 2, "created": 4, "updated": 0, "skipped": 0, "errors": 0,
        "households_in_file": 2, "people_in_file": 4,
    }  # fmt: skip
    import_writer.import_residents(plan, acting_user=world.hamlet_head, source="danh-sach.xlsx")

    thai = Person.objects.get(full_name="Hoàng Văn Thái")
    household = thai.household
    assert household.head == thai and household.unit == world.group  # "Tổ 1" of Bình Chiến
    assert household.address == "Số 5, Tổ 1" and thai.phone == "0912000111"
    wife = Person.objects.get(full_name="Lường Thị Én")
    assert (wife.sex, wife.birth_date, wife.birth_precision) == ("f", date(1972, 1, 1), "year")
    assert wife.household == household and wife.relationship == "Vợ"
    daughter = Person.objects.get(full_name="Hoàng Thị Thuỷ")
    assert daughter.birth_date == date(2001, 7, 9) and daughter.id_number == "014301000222"
    assert daughter.memberships.get().end is None
    assert daughter.events.get().kind == LifeEvent.Kind.REGISTRATION
    assert SearchKey.objects.filter(person=daughter, key="thuy hoang thi").exists()
    assert Household.objects.get(head__full_name="Vì Văn Pọm").members.count() == 1
    assert AuditEntry.objects.filter(verb="registry.import", actor=world.hamlet_head).exists()


def registry_rows():
    """What an import may write, read back row by row."""
    return {
        "people": sorted(
            Person.objects.values_list(
                "pk", "full_name", "birth_date", "id_number", "phone", "household", "relationship"
            )
        ),
        "households": sorted(Household.objects.values_list("pk", "head", "unit", "address")),
        "stays": sorted(Membership.objects.values_list("person", "household", "start", "end")),
        "events": sorted(LifeEvent.objects.values_list("person", "kind", "on")),
        "keys": sorted(SearchKey.objects.values_list("person", "key")),
        "flags": DuplicateFlag.objects.count(),
    }


def test_importing_the_same_book_again_changes_nothing(world):
    import_writer.import_residents(check(world, book()), acting_user=None)
    before = registry_rows()

    again = check(world, book())
    import_writer.import_residents(again, acting_user=None)

    assert problems(again) == [] and again.counts() == {
        "rows": 4, "households": 0, "created": 0, "updated": 0, "skipped": 4, "errors": 0,
        "households_in_file": 2, "people_in_file": 4,
    }  # fmt: skip
    assert registry_rows() == before
    assert Person.objects.filter(full_name="Hoàng Văn Thái").count() == 1


def test_a_newborn_added_to_a_book_imported_again_joins_the_registered_household(world):
    import_writer.import_residents(check(world, book()), acting_user=None)
    households = Household.objects.count()
    rows = [*ROWS[:3], [5, "Hoàng Văn Minh", "01/02/2024", None, None, "Con", None, None, None,
                        None], *ROWS[3:]]  # fmt: skip

    plan = check(world, book(rows))
    import_writer.import_residents(plan, acting_user=world.hamlet_head)

    assert plan.counts()["households"] == 0 and plan.counts()["created"] == 1
    thai = Person.objects.get(full_name="Hoàng Văn Thái")
    minh = Person.objects.get(full_name="Hoàng Văn Minh")
    assert minh.household == thai.household and minh.household.head == thai
    assert minh.memberships.get().household == thai.household
    assert minh.events.get().kind == LifeEvent.Kind.REGISTRATION
    assert Household.objects.count() == households


def test_a_changed_phone_is_an_update_with_old_and_new(world):
    import_writer.import_residents(check(world, book()), acting_user=None)
    rows = [list(row) for row in ROWS]
    rows[0][9] = "0988777666"

    plan = check(world, book(rows))
    import_writer.import_residents(plan, acting_user=world.hamlet_head)

    assert plan.counts()["updated"] == 1
    thai = Person.objects.get(full_name="Hoàng Văn Thái")
    assert thai.phone == "0988777666"
    assert thai.events.get(kind=LifeEvent.Kind.CORRECTION).changes == {
        "phone": ["0912000111", "0988777666"]
    }


def test_a_book_imported_again_with_new_phones_updates_everyone_in_few_queries(
    world, django_assert_max_num_queries
):
    """Each update keeps a hand correction's trail; the writes go by chunk, not by person."""
    rows = [
        [i, f"Đinh Văn Số {i}", f"01/01/{1950 + i}", None, f"0141{50 + i:02d}000{i:03d}",
         "Chủ hộ", "Tổ 1", f"Số {i}, Tổ 1", "Làm ruộng", f"09120{i:05d}"]
        for i in range(1, 41)
    ]  # fmt: skip
    import_writer.import_residents(check(world, book(rows)), acting_user=None)
    for row in rows:
        row[9] = "0988" + row[9][4:]
    plan = check(world, book(rows))

    with django_assert_max_num_queries(25):  # eight per person before: 320
        import_writer.import_residents(plan, acting_user=world.hamlet_head)

    assert plan.counts()["updated"] == 40
    person = Person.objects.get(full_name="Đinh Văn Số 7")
    assert person.phone == "0988000007"
    assert person.events.get(kind=LifeEvent.Kind.CORRECTION).changes == {
        "phone": ["0912000007", "0988000007"]
    }
    audit = AuditEntry.objects.get(verb="registry.correction", target_id=str(person.pk))
    assert audit.actor == world.hamlet_head and audit.unit == person.household.unit
    assert audit.changes == {"phone": ["0912000007", "0988000007"]}
    assert set(SearchKey.matching("0988000007").values_list("person", flat=True)) == {person.pk}
    assert not SearchKey.matching("0912000007").exists()


def to_windows_1258(text):
    """Windows-1258 has "ê", "ơ", "ư"… but writes tones as combining marks after them."""
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            tones = [p for p in parts if p in "\u0300\u0301\u0303\u0309\u0323"]
            base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
            out.append((base + "".join(tones)).encode("cp1258"))
    return b"".join(out)


def test_csv_with_semicolons_in_windows_encoding_imports_too(world):
    text = "Họ và tên;Ngày sinh;Giới tính;Quan hệ với chủ hộ\n"
    text += "Nguyễn Văn Ba;05/02/1960;Nam;Chủ hộ\nNguyễn Thị Tư;1962;Nữ;Vợ\n"

    data = to_windows_1258(text)

    plan = plan_import(data, filename="a.csv", unit=world.hamlet)

    assert problems(plan) == []
    assert plan.counts()["created"] == 2


@pytest.mark.parametrize(
    ("change", "row", "column", "message"),
    [
        ({(0, 2): "31/02/1990"}, 5, "Ngày sinh Nam", "không có thật"),
        ({(0, 4): "01406800011"}, 5, "Số CCCD", "12 chữ số"),
        ({(2, 4): "014068000111"}, 7, "Số CCCD", "dòng 5"),
        ({(0, 5): "Con"}, 5, "Quan hệ với chủ hộ", "chủ hộ"),
        ({(1, 1): ""}, 6, "Họ và tên", "Thiếu họ tên"),
        ({(0, 2): "2099"}, 5, "Ngày sinh Nam", "tương lai"),
        ({(0, 6): "Tổ 9"}, 5, "Tổ", "Tổ 9"),
    ],
)
def test_every_bad_cell_is_named_by_row_and_column_and_nothing_is_written(
    world, change, row, column, message
):
    rows = [list(r) for r in ROWS]
    for (r, c), value in change.items():
        rows[r][c] = value

    plan = check(world, book(rows))

    found = problems(plan)
    assert any(p[0] == row and p[1] == column and message in p[2] for p in found), found
    with pytest.raises(ValidationError) as refused:
        import_writer.import_residents(plan, acting_user=None)
    assert refused.value.code == "problems"
    assert refused.value.messages == ["Tệp có lỗi; chưa nhập dữ liệu nào."]
    assert not Person.objects.filter(full_name="Hoàng Văn Thái").exists()
    assert not Household.objects.filter(address="Số 9, Tổ 1").exists()


def test_an_unknown_ethnic_group_is_refused_and_a_known_one_spelt_loosely_is_accepted(world):
    header = [*HEADER, "Dân tộc"]
    rows = [[*ROWS[0], "thai"], [*ROWS[3], "Người sao Hỏa"]]

    plan = check(world, book(rows, header=header))

    assert problems(plan) == [(6, "Dân tộc", "“Người sao Hỏa” không thuộc 54 dân tộc Việt Nam.")]


def test_a_formula_cell_is_refused(world):
    plan = check(world, book(formula_at=(4, 8)))

    assert any(p[0] == 5 and "công thức" in p[2] for p in problems(plan))


def test_bad_files_get_a_clear_message(world, settings):
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    office = OOXMLFile(io.BytesIO(book()))
    office.encrypt("mat-khau", encrypted)
    empty = io.BytesIO()
    xlsxwriter.Workbook(empty, {"in_memory": True}).close()

    cases = {
        "mật khẩu": encrypted.getvalue(),
        "không phải": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        "trống": empty.getvalue(),
    }
    for expected, data in cases.items():
        plan = check(world, data)
        assert plan.problems and expected in plan.problems[0].message.lower(), expected
    assert "Danh sách" in check(world, book(), sheet="Danh sách").problems[0].message
    settings.LANGSO_MAX_UPLOAD_BYTES = 1000
    assert "1000" in check(world, book()).problems[0].message.replace(".", "")


def test_an_id_number_of_someone_in_another_commune_is_refused(world):
    far = world.far_household.head
    far.id_number = "014068000111"
    far.save(update_fields=["id_number"])

    plan = check(world, book())

    assert problems(plan) == [
        (5, "", "Không thể nhập số định danh này vào đơn vị này. Hãy hỏi cán bộ xã."),
        # Row 5 was the head of the household of rows 6 and 7.
        (6, "", "Thiếu chủ hộ của hộ này."),
    ]
    with pytest.raises(ValidationError):
        import_writer.import_residents(plan, acting_user=None)
    far.refresh_from_db()
    assert far.household == world.far_household and far.full_name != "Hoàng Văn Thái"


def test_imported_look_alikes_are_flagged_for_review(world):
    actions.register_person(
        world.household,
        acting_user=None,
        on=date(2020, 1, 1),
        relationship="Con",
        full_name="Hoàng Thị Thủy",
        sex="f",
        birth_date=date(2001, 7, 9),
    )
    rows = [[*r[:6], None, *r[7:]] for r in ROWS]  # no group column: another hamlet
    rows[2][4] = None  # without the ID number, she could be the same person

    import_writer.import_residents(
        check(world, book(rows), unit=world.other_hamlet), acting_user=None
    )

    assert DuplicateFlag.objects.count() == 1


def test_a_book_imported_again_flags_each_look_alike_once_in_a_few_queries(
    world, django_assert_max_num_queries
):
    """Without ID numbers a second import of the same book creates look-alikes of everyone:
    one flag per pair, found without a query per person."""
    from langso.registry.import_writer import _flag_imported_duplicates

    rows = [[*r[:4], None, r[5], None, *r[7:]] for r in ROWS]  # no ID, no group column
    first = import_writer.import_residents(check(world, book(rows)), acting_user=None)
    before = set(Person.objects.values_list("pk", flat=True))
    DuplicateFlag.objects.all().delete()
    second = import_writer.import_residents(
        check(world, book(rows), unit=world.other_hamlet), acting_user=None
    )
    new = sorted(set(Person.objects.values_list("pk", flat=True)) - before)
    assert first["created"] == second["created"] == len(new)
    assert DuplicateFlag.objects.count() == len(new)

    DuplicateFlag.objects.all().delete()
    with django_assert_max_num_queries(4):
        _flag_imported_duplicates(new)
    assert DuplicateFlag.objects.count() == len(new)


def test_the_command_prints_counts_and_errors_and_exits_non_zero(world, tmp_path, capsys):
    good, bad = tmp_path / "tot.xlsx", tmp_path / "loi.xlsx"
    good.write_bytes(book())
    rows = [list(r) for r in ROWS]
    rows[0][2] = "31/02/1990"
    bad.write_bytes(book(rows))

    with pytest.raises(CommandError) as error:
        call_command("import_residents", str(bad), unit=world.hamlet.path)
    assert error.value.returncode == 1
    assert "row 5" in capsys.readouterr().err
    assert not Person.objects.filter(full_name="Hoàng Văn Thái").exists()

    call_command("import_residents", str(good), unit=world.hamlet.path, dry_run=True)
    assert "4 people to create" in capsys.readouterr().out
    assert not Person.objects.filter(full_name="Hoàng Văn Thái").exists()

    call_command("import_residents", str(good), unit=world.hamlet.path)
    assert Person.objects.filter(full_name="Hoàng Văn Thái").exists()


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def test_the_web_import_checks_in_the_background_then_commits(client, transactional_db):
    from langso.test import World

    world = World()
    client.force_login(world.hamlet_head)
    upload = io.BytesIO(book())
    upload.name = "danh-sach.xlsx"

    response = client.post(
        reverse("registry:import-create"), {"file": upload, "unit": world.hamlet.pk}
    )
    job = ImportJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert "hx-trigger" in client.get(job.get_absolute_url()).content.decode()  # polling

    run_worker()
    page = client.get(job.get_absolute_url()).content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and job.counts["created"] == 4
    assert "Hoàng Văn Thái" in page
    assert not Person.objects.filter(full_name="Hoàng Văn Thái").exists()

    client.post(reverse("registry:import-commit", args=[job.pk]))
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.progress == 100
    assert Person.objects.filter(full_name="Hoàng Văn Thái").exists()


def test_another_hamlet_head_cannot_open_the_import(client, world):
    job = ImportJob.objects.create(
        created_by=world.hamlet_head, unit=world.hamlet, file="x.xlsx", original_name="x.xlsx"
    )
    client.force_login(world.outsider)

    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.post(reverse("registry:import-commit", args=[job.pk])).status_code == 404


def checked_job(world, data, *, unit=None):
    """An uploaded book checked as the background task checks it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from langso.registry.tasks import check_import

    job = ImportJob.objects.create(
        created_by=world.hamlet_head, unit=unit or world.hamlet, original_name="danh-sach.xlsx",
        file=SimpleUploadedFile("danh-sach.xlsx", data),
    )  # fmt: skip
    check_import.call(job.pk)
    job.refresh_from_db()
    return job


def test_an_id_number_that_contradicts_its_row_is_flagged_in_the_preview_not_refused(client, world):
    """domain.md §2: the import checks ID numbers as the person form does, and only warns."""
    rows = [list(r) for r in ROWS]
    rows[0][4] = "014 168 000.111"  # Hoàng Văn Thái, man born 1968: says a woman born 1968
    rows[2][4] = "003301000222"  # Hoàng Thị Thuỷ: no province 003
    client.force_login(world.hamlet_head)

    job = checked_job(world, book(rows))
    page = client.get(job.get_absolute_url()).content.decode()

    assert job.status == ImportJob.Status.CHECKED and job.problems == []
    assert [(w["row"], w["message"]) for w in job.preview["warnings"]] == [
        (5, "Theo số định danh, người mang số này là nữ."),
        (7, "Số định danh bắt đầu bằng 003, không phải mã tỉnh nào."),
    ]
    assert "2 số định danh cần kiểm tra (vẫn nhập được)" in page
    assert "Số định danh bắt đầu bằng 003, không phải mã tỉnh nào." in page


THREE_HOUSEHOLDS = [
    *ROWS[:4],
    [5, "Vì Thị Hoa", None, "1955", None, "Vợ", "Tổ 1", None, None, None],
    [6, "Vì Văn Nam", "31/02/1980", None, None, "Con", "Tổ 1", None, None, None],
    [7, "Cầm Văn Khải", "1975", None, None, "Chủ hộ", "Tổ 1", "Số 12, Tổ 1", None, None],
    [8, "Cầm Thị Lan", None, "1978", None, "Vợ", "Xóm 9", None, None, None],
]  # fmt: skip


def figures(page):
    """The figures block of an import page, as {label: number}."""
    import re

    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page))


def test_a_file_with_errors_counts_what_it_holds_and_its_errors_once(client, world):
    """An import preview with errors counts the file's households and people, and the
    heading counts the errors listed under it."""
    client.force_login(world.hamlet_head)

    job = checked_job(world, book(THREE_HOUSEHOLDS))
    page = client.get(job.get_absolute_url()).content.decode()

    assert job.status == ImportJob.Status.REFUSED and len(job.problems) == 2
    assert "2 lỗi: chưa ghi dữ liệu nào" in page and "0 lỗi" not in page
    assert figures(page) == {"Số hộ trong tệp": "3", "Số nhân khẩu trong tệp": "8"}


def test_a_committed_import_says_what_was_created(client, world):
    from langso.registry.tasks import commit_import

    client.force_login(world.hamlet_head)
    job = checked_job(world, book())

    commit_import.call(job.pk)
    job.refresh_from_db()
    page = client.get(job.get_absolute_url()).content.decode()

    assert job.status == ImportJob.Status.DONE
    assert figures(page) == {
        "Hộ đã tạo": "2", "Nhân khẩu đã tạo": "4", "Đã cập nhật": "0", "Bỏ qua": "0"
    }  # fmt: skip
    assert "sẽ tạo mới" not in page.lower()


def test_a_file_without_an_ethnicity_column_leaves_ethnicity_empty(world):
    """Lò, Quàng and Cầm families of a Thái hamlet are not Kinh because the file is silent."""
    plan = check(world, book())
    import_writer.import_residents(plan, acting_user=world.hamlet_head)

    imported = Person.objects.filter(full_name__in=[row[1] for row in ROWS])
    assert dict(imported.values_list("full_name", "ethnicity")) == {row[1]: "" for row in ROWS}


def test_the_group_named_in_the_address_files_the_household_and_is_shown(client, world):
    """Without a group column, "Tổ 10" in the address of a hamlet's household is its group."""
    from langso.places.models import Unit
    from langso.test import make_unit

    tenth = make_unit(world.hamlet, Unit.Kind.GROUP, "g10", "Tổ 10", "tổ")
    header = [*HEADER[:6], None, *HEADER[7:]]
    rows = [[*row[:6], None, *row[7:]] for row in ROWS]
    rows[3][7] = "Số 9, tổ 10, thôn Bình Chiến"  # Vì Văn Pọm: Tổ 10, not Tổ 1
    client.force_login(world.hamlet_head)

    job = checked_job(world, book(rows, header=header))
    page = client.get(job.get_absolute_url()).content.decode()
    plan = check(world, book(rows, header=header))
    import_writer.import_residents(plan, acting_user=world.hamlet_head)

    assert Person.objects.get(full_name="Hoàng Văn Thái").household.unit == world.group
    assert Person.objects.get(full_name="Vì Văn Pọm").household.unit == tenth
    assert [row["place"] for row in job.preview["created"]] == ["Tổ 1", "Tổ 1", "Tổ 1", "Tổ 10"]
    assert "<td>Tổ 10</td>" in page
