"""Open311 GeoReport v2 at /open311/v2/ (docs/feedback.md), each endpoint explicitly."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from langso.feedback import actions
from langso.feedback.models import Report
from langso.feedback.tests.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db
BASE = "/open311/v2/"


def test_services_lists_the_categories(client, world):
    rows = client.get(BASE + "services.json", {"jurisdiction_id": "04000"}).json()
    assert len(rows) == 9
    assert rows[0] == {
        "service_code": "roads",
        "service_name": "Đường giao thông, cầu cống",
        "description": "Đường giao thông, cầu cống",
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": "Thôn",
    }
    assert client.get(BASE + "services.json").status_code == 400


def test_a_service_definition_lists_the_hamlets(client, world):
    found = client.get(BASE + "services/roads.json", {"jurisdiction_id": "04000"}).json()
    values = found["attributes"][0]["values"]
    assert {v["name"] for v in values} == {"Bình Chiến", "Đồng Tâm"}
    assert client.get(BASE + "services/nope.json", {"jurisdiction_id": "04000"}).status_code == 404


def test_post_creates_a_request_with_the_same_checks(client, world, settings):
    settings.LANGSO_FEEDBACK_REPORTS_PER_HOUR = 1
    data = {
        "jurisdiction_id": "04000",
        "service_code": "water",
        "attribute[hamlet]": str(world.hamlet.pk),
        "description": "Mương thoát nước bị tắc.",
        "lat": "21.041700",
        "long": "105.837500",
        "phone": "0912345678",
        "media": SimpleUploadedFile("muong.jpg", jpeg_bytes(), "image/jpeg"),
    }
    response = client.post(BASE + "requests.json", data)
    assert response.status_code == 201
    code = response.json()[0]["service_request_id"]
    report = Report.objects.get(code=code)
    assert (report.channel, report.category.code, report.photos.count()) == ("open311", "water", 1)
    assert float(report.latitude) == 21.0417
    data.pop("media")
    again = client.post(BASE + "requests.json", data)
    assert again.status_code == 429 and "giờ" in again.json()[0]["description"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"service_code": "nope"}, "service_code"),
        ({"attribute[hamlet]": "0"}, "hamlet"),
        ({"description": ""}, ""),
        ({"description": "x" * 2001}, ""),
        ({"lat": "abc", "long": "1"}, "lat"),
        ({"phone": "12"}, ""),
        ({"jurisdiction_id": "99999"}, "jurisdiction_id"),
    ],
)
def test_post_refuses_bad_input_with_400(client, world, change, message):
    data = {
        "jurisdiction_id": "04000",
        "service_code": "water",
        "attribute[hamlet]": str(world.hamlet.pk),
        "description": "Mương tắc.",
        **change,
    }
    if change.get("attribute[hamlet]") == "0":
        data["attribute[hamlet]"] = str(world.far_hamlet.pk)
    response = client.post(BASE + "requests.json", data)
    assert response.status_code == 400
    assert message in response.json()[0]["description"]
    assert Report.objects.count() == 0


def test_get_requests_lists_without_reporters(client, world, report):
    actions.answer_report(report, acting_user=world.official, text="Đã thông cống.")
    rows = client.get(BASE + "requests.json", {"jurisdiction_id": "04000"}).json()
    assert [r["service_request_id"] for r in rows] == [report.code]
    assert rows[0]["status"] == "closed" and rows[0]["status_notes"] == "Đã thông cống."
    assert "0912345678" not in str(rows)
    assert (
        client.get(BASE + "requests.json", {"jurisdiction_id": "04000", "status": "open"}).json()
        == []
    )
    assert client.get(BASE + "requests.json", {"jurisdiction_id": "04009"}).json() == []
    assert (
        client.get(BASE + "requests.json", {"jurisdiction_id": "04000", "status": "x"}).status_code
        == 400
    )


def test_get_one_request(client, world, report):
    found = client.get(BASE + f"requests/{report.code}.json", {"jurisdiction_id": "04000"}).json()
    assert found[0]["service_request_id"] == report.code and found[0]["status"] == "open"
    assert found[0]["address"] == "Bình Chiến, Xã Tân Lập"
    missing = client.get(BASE + "requests/ZZZZ2222.json", {"jurisdiction_id": "04000"})
    assert missing.status_code == 404
    elsewhere = client.get(BASE + f"requests/{report.code}.json", {"jurisdiction_id": "04009"})
    assert elsewhere.status_code == 404
