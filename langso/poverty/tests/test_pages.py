"""The poverty pages: who sees what (404 out of scope), the pre-filled survey form, the
public posting without incomes, the official outputs read back, and the audit log."""

import io
import subprocess
from datetime import date

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from langso.accounts.models import AuditEntry
from langso.poverty import actions
from langso.poverty.models import Result, Survey
from langso.registry import actions as registry
from langso.test import vietnam_time

ON = date(2026, 10, 1)


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def surveyed(poverty):
    return poverty.survey(
        poverty.world.household, on=ON, per_person=1_234_567, lacking=["water", "latrine"]
    )


def test_scope_viewer_outsider_and_other_hamlet_get_404(client, poverty, surveyed):
    world = poverty.world
    other = poverty.survey(world.other_household, on=ON, per_person=900_000)
    urls = [
        reverse("poverty:unit", args=[world.commune.pk]),
        reverse("poverty:survey", args=[surveyed.pk]),
        reverse("poverty:household", args=[world.household.pk]),
        reverse("poverty:survey-create", args=[world.household.pk]),
    ]
    for user in (world.viewer, world.outsider, world.party_member):
        login(client, user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    login(client, world.hamlet_head)
    assert client.get(reverse("poverty:survey", args=[surveyed.pk])).status_code == 200
    assert client.get(reverse("poverty:survey", args=[other.pk])).status_code == 404
    assert client.get(reverse("poverty:unit", args=[world.other_hamlet.pk])).status_code == 404
    page = client.get(reverse("poverty:unit", args=[world.hamlet.pk])).content.decode()
    assert "Bình Chiến" in page


def test_survey_read_is_audited_and_shows_its_reasons(client, poverty, surveyed):
    login(client, poverty.officer)
    page = client.get(reverse("poverty:survey", args=[surveyed.pk])).content.decode()
    assert "Cận nghèo" in page
    assert "1.234.567" in page and "1.500.000" in page
    assert "Nguồn nước sinh hoạt" in page
    entry = AuditEntry.objects.get(verb="poverty.view_survey")
    assert entry.actor == poverty.officer and entry.target_id == str(surveyed.pk)


def test_hamlet_head_surveys_with_a_prefilled_form(client, poverty):
    world = poverty.world
    registry.correct_person(
        world.household.head, acting_user=None, health_insurance_number="GD4141234567890"
    )
    login(client, world.hamlet_head)
    url = reverse("poverty:survey-create", args=[world.household.pk])
    with time_machine.travel(vietnam_time(ON), tick=False):
        page = client.get(url).content.decode()
        assert "Trần Thị Thuỷ" in page and "Nguyễn Văn An" in page
        assert "17 tuổi" in page  # born 30/08/2009
        assert 'value="health_insurance" id="id_lacking_3" checked' in page  # no card: ticked
        head, wife, son = (s.person for s in actions.members_on(world.household, ON))
        data = {
            "form": "B2",
            "on": "01/10/2026",
            f"income_{head.pk}": "2.000.000",
            f"income_{wife.pk}": "1.000.000",
            f"income_{son.pk}": "-5",
            "floor_area": "0",
            "lacking": ["health_insurance", "water", "latrine"],
        }
        page = client.post(url, data).content.decode()
        assert "Thu nhập không được âm." in page
        assert "Diện tích nhà ở phải lớn hơn 0 m²." in page
        assert not Survey.objects.exists()
        data[f"income_{son.pk}"] = "1.500.000"
        data["floor_area"] = "30"
        response = client.post(url, data, follow=True)
    page = response.content.decode()
    survey = Survey.objects.get()
    assert survey.result == Result.POOR and survey.income_per_person == 1_500_000
    assert "Nghèo" in page and "Thu nhập bình quân: 1.500.000" in page


def test_posting_is_public_without_incomes_and_disappears(client, poverty):
    world = poverty.world
    review = poverty.review_to_posting(world.household, year=2026, result=Result.POOR)
    public_url = reverse("public:public-poverty", args=[world.commune.code])
    with time_machine.travel(vietnam_time(date(2026, 12, 2)), tick=False):
        page = client.get(public_url).content.decode()
        assert "Nguyễn Văn Phụng" in page and "Nghèo" in page
        assert "900.000" not in page and "900000" not in page and "2.700.000" not in page
        from langso.places.public import sections

        section = next(s for s in sections() if s.key == "poverty")
        assert section.context(world.commune, None)["rows"][0]["name"] == "Nguyễn Văn Phụng"
        login(client, world.hamlet_head)
        board = reverse("poverty:posting-print", args=[review.pk])
        assert client.get(board).status_code == 404  # the whole commune is not theirs
        page = client.get(board, {"hamlet": world.hamlet.pk}).content.decode()
        assert "Nguyễn Văn Phụng" in page and "900.000" not in page
        assert client.get(board, {"hamlet": world.other_hamlet.pk}).status_code == 404
    with time_machine.travel(vietnam_time(date(2026, 12, 4)), tick=False):
        assert client.get(public_url).status_code == 404
        assert section.context(world.commune, None) is None
    assert review.posting_until == date(2026, 12, 3)


def test_outputs_read_back_and_exports_are_audited(client, poverty):
    world = poverty.world
    review = poverty.review_to_posting(world.household, year=2025, result=Result.POOR)
    actions.recognise(
        review, acting_user=poverty.leader, number="12/QĐ-UBND", on=date(2025, 12, 10)
    )
    login(client, poverty.officer)
    response = client.get(reverse("poverty:export", args=[review.pk, "posting", "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "Nguyễn Văn Phụng" in cells and "Nghèo" in cells
    assert not any("900" in str(c) for c in cells)
    response = client.get(reverse("poverty:export", args=[review.pk, "decision", "pdf"]))
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "12/QĐ-UBND" in text and "Nguyễn Văn Phụng" in text
    assert AuditEntry.objects.filter(verb__startswith="poverty.export_").count() == 2
    login(client, world.viewer)
    assert (
        client.get(reverse("poverty:export", args=[review.pk, "posting", "pdf"])).status_code == 404
    )


def test_review_pages_walk_and_refusals_are_shown(client, poverty):
    world = poverty.world
    review = poverty.review_to_posting(world.household, year=2026, result=Result.POOR)
    login(client, poverty.leader)
    with time_machine.travel(vietnam_time(date(2026, 12, 2)), tick=False):
        response = client.post(
            reverse("poverty:recognise", args=[review.pk]),
            {"number": "5/QĐ-UBND", "on": "02/12/2026"},
            follow=True,
        )
    assert "Niêm yết công khai đến hết ngày 03/12/2026" in response.content.decode()
    login(client, poverty.officer)
    response = client.post(
        reverse("poverty:recognise", args=[review.pk]), {"number": "5", "on": "07/12/2026"}
    )
    assert response.status_code == 404  # the officer does not sign
    login(client, poverty.leader)
    response = client.post(
        reverse("poverty:recognise", args=[review.pk]),
        {"number": "5/QĐ-UBND", "on": "07/12/2026"},
        follow=True,
    )
    assert "Đã công nhận" in response.content.decode()
    with time_machine.travel(vietnam_time(date(2026, 12, 8)), tick=False):
        page = client.get(reverse("poverty:unit", args=[world.commune.pk])).content.decode()
    assert "Nguyễn Văn Phụng" in page and "<strong>1</strong> hộ nghèo (50,00 %)" in page


def test_poverty_list_command_writes_the_year_s_lists(client, poverty, tmp_path):
    from django.core.management import call_command

    world = poverty.world
    first = poverty.review_to_posting(world.household, year=2025, result=Result.POOR)
    actions.recognise(first, acting_user=poverty.leader, number="12/QĐ-UBND", on=date(2025, 12, 10))
    second = poverty.review_to_posting(world.household, year=2026, result=Result.NOT_POOR)
    actions.recognise(second, acting_user=poverty.leader, number="9/QĐ-UBND", on=date(2026, 12, 8))
    target = tmp_path / "poor.xlsx"
    call_command(
        "poverty_list", "--unit", "04000", "--year", "2025", "--kind", "poor", "-o", target
    )
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][0] == "DANH SÁCH HỘ NGHÈO"
    assert any(row[1] == "Nguyễn Văn Phụng" and row[6] == "12/QĐ-UBND" for row in rows)
    exited = tmp_path / "exited.pdf"
    call_command(
        "poverty_list", "--unit", world.commune.path, "--year", "2026", "--kind", "exited",
        "--format", "pdf", "-o", exited,
    )  # fmt: skip
    text = subprocess.run(["pdftotext", str(exited), "-"], capture_output=True, check=True).stdout
    assert "THOÁT NGHÈO" in text.decode() and "9/QĐ-UBND" in text.decode()
    assert AuditEntry.objects.filter(verb="poverty.export_list").count() == 2
    actions.record_support(
        world.household, acting_user=poverty.officer, programme="loan", given_on=date(2026, 1, 5),
        amount=40_000_000, balance=30_000_000, description="Vay hộ nghèo",
    )  # fmt: skip
    actions.record_support(
        world.other_household, acting_user=poverty.officer, programme="housing",
        given_on=date(2026, 1, 5), amount=1, description="Nhà đoàn kết",
    )  # fmt: skip
    login(client, poverty.officer)
    url = reverse("poverty:support-list", args=[world.commune.pk])
    page = client.get(url, {"exited": "2026"}).content.decode()
    assert "Vay hộ nghèo" in page and "Nhà đoàn kết" not in page
    assert "Nhà đoàn kết" in client.get(url).content.decode()
