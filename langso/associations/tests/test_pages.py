"""The pages a branch head and the leader use on a phone: adding a member found in the
registry, a meeting's attendance and photos, dues, a loan; and the lists they download."""

import io
import subprocess
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from langso.associations import actions
from langso.associations.models import Attendance, DuesPayment, Loan, Member
from langso.lib.excel import read_sheet
from langso.registry import actions as registry
from langso.registry.models import Person

pytestmark = pytest.mark.usefixtures("fixed_day")


def test_a_branch_head_adds_a_resident_found_by_name_and_sees_the_warning(client, assoc):
    lan = registry.register_person(
        assoc.world.household,
        acting_user=None,
        on=date(2010, 1, 1),
        relationship="Con",
        full_name="Nguyễn Thị Lan",
        sex=Person.Sex.FEMALE,
        birth_date=date(2009, 1, 5),
    )
    client.force_login(assoc.branch_head)
    add = reverse("associations:member-add", args=[assoc.branch.pk])
    found = client.get(add, {"q": "nguyen thi lan"}).content.decode()
    assert "Nguyễn Thị Lan (2009)" in found
    page = client.post(
        add,
        {
            "person": lan.pk,
            "joined_on": "01/06/2026",
            "branch": assoc.branch.pk,
            "card_number": "PN-002",
        },
        follow=True,
    ).content.decode()
    assert "17 tuổi: dưới tuổi tối thiểu 18." in page  # a warning, and she is a member
    member = Member.objects.get(person=lan)
    assert (member.branch, member.card_number) == (assoc.branch, "PN-002")
    assert "Nguyễn Thị Lan" in page  # on the branch's list


def test_a_resident_of_another_hamlet_cannot_be_picked(client, assoc):
    hung = Person.objects.get(full_name="Lê Văn Hùng")  # Đồng Tâm
    client.force_login(assoc.branch_head)
    client.post(
        reverse("associations:member-add", args=[assoc.branch.pk]),
        {"person": hung.pk, "joined_on": "01/06/2026", "branch": assoc.branch.pk},
    )
    assert not Member.objects.filter(person=hung).exists()


def test_attendance_minutes_and_a_photo_checked_by_content(client, assoc):
    activity = actions.schedule_activity(
        assoc.women,
        acting_user=None,
        branch=assoc.branch,
        title="Sinh hoạt chi hội quý II",
        starts_at=timezone.now() - timedelta(hours=2),
        place="Nhà văn hoá thôn",
        notify=False,
    )
    client.force_login(assoc.branch_head)
    client.post(
        reverse("associations:attendance", args=[activity.pk]),
        {"present": [assoc.thuy.pk], "minutes": "Bàn việc vay vốn."},
    )
    assert activity.attendance.get().status == Attendance.Status.PRESENT
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "1/1 hội viên có mặt" in page
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(picture, "JPEG")
    picture.seek(0)
    picture.name = "anh.png"
    client.post(reverse("associations:photo-add", args=[activity.pk]), {"photo": picture})
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    fake.name = "anh.jpg"
    page = client.post(
        reverse("associations:photo-add", args=[activity.pk]), {"photo": fake}, follow=True
    ).content.decode()
    assert "Hãy tải lên một ảnh (JPEG hoặc PNG)." in page
    photo = activity.photos.get()
    served = client.get(reverse("associations:photo", args=[activity.pk, photo.pk]))
    assert served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content)[:3] == b"\xff\xd8\xff"


def test_dues_owed_paid_and_in_arrears(client, assoc):
    actions.set_dues_rate(
        assoc.women, acting_user=None, period="yearly", amount=24_000, valid_from=date(2020, 1, 1)
    )
    hung = Person.objects.get(full_name="Lê Văn Hùng")
    other = actions.add_member(
        assoc.women, hung, acting_user=None, joined_on=date(2020, 1, 1), branch=assoc.other_branch
    )
    client.force_login(assoc.leader)
    client.post(
        reverse("associations:dues-pay", args=[assoc.thuy.pk]),
        {"period": "01/01/2026", "amount": "24000", "paid_on": "05/03/2026"},
    )
    assert DuesPayment.objects.get().member == assoc.thuy
    page = client.get(reverse("associations:dues", args=[assoc.women.pk])).content.decode()
    assert "48000" in page and "24000" in page  # owed by both, paid by one
    book = client.get(reverse("associations:dues-export", args=[assoc.women.pk, "xlsx"]))
    sheet = read_sheet(b"".join(book.streaming_content) if book.streaming else book.content)
    text = " ".join(str(cell) for row in sheet.rows for cell in row)
    assert "Trần Thị Thuỷ" in text and "Lê Văn Hùng" in text
    assert other.pk


def test_a_branch_member_list_as_pdf_with_the_national_heading(client, assoc, tmp_path):
    client.force_login(assoc.branch_head)
    response = client.get(reverse("associations:branch-export", args=[assoc.branch.pk, "pdf"]))
    path = tmp_path / "list.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "HỘI LHPN XÃ TÂN LẬP" in text and "Trần Thị Thuỷ" in text and "PN-001" in text


def test_the_leader_lends_from_a_fund_and_records_a_repayment(client, assoc):
    cattle = actions.create_organisation(
        acting_user=None,
        name="Tổ chăn nuôi bò",
        kind="local",
        unit=assoc.world.commune,
        parent=assoc.women,
    )
    fund = actions.create_fund(
        cattle,
        acting_user=None,
        name="Quỹ chăn nuôi bò",
        source="Quỹ Hỗ trợ nông dân tỉnh",
        amount=300_000_000,
        received_on=date(2025, 1, 10),
    )
    client.force_login(assoc.leader)
    page = client.post(
        reverse("associations:loan-create", args=[fund.pk]),
        {
            "person": assoc.thuy_person.pk,
            "amount": "20000000",
            "purpose": "Mua bò giống",
            "lent_on": "01/02/2026",
            "term_months": "12",
            "instalments": "4",
            "interest_rate": "0",
        },
        follow=True,
    ).content.decode()
    loan = Loan.objects.get()
    assert [i.principal for i in loan.instalments.all()] == [5_000_000] * 4
    assert "Mua bò giống" in page
    client.post(
        reverse("associations:loan-repay", args=[loan.pk]),
        {"paid_on": "01/05/2026", "principal": "5000000", "interest": "0"},
    )
    page = client.get(fund.get_absolute_url()).content.decode()
    assert "285000000" in page  # 300 − 20 + 5 million
    statement = client.get(reverse("associations:loan-export", args=[loan.pk, "xlsx"]))
    sheet = read_sheet(statement.content)
    assert len(sheet.rows) >= 5


def test_the_home_page_shows_the_same_figures_as_the_association_page(client, assoc):
    client.force_login(assoc.world.official)
    home = client.get(reverse("home"))
    panels = home.context["association_panels"]
    assert {f.organisation.name for f in panels[0].organisations} == {
        "Hội LHPN xã Tân Lập",
        "Hội Nông dân xã Tân Lập",
    }
    on_home = next(f for f in panels[0].organisations if f.organisation == assoc.women)
    page = client.get(reverse("associations:organisation-detail", args=[assoc.women.pk]))
    on_page = page.context["org_figures"]
    assert [(h.name, r.members, r.eligible) for h, r in on_home.hamlets] == [
        (h.name, r.members, r.eligible) for h, r in on_page.hamlets
    ]
    assert (on_page.total.members, on_page.total.eligible) == (1, 1)
    assert "Hội LHPN xã Tân Lập" in home.content.decode()
