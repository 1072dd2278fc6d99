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
        "description": "Đường, cầu, cống",
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
    # Lists give the public id, never the tracking code (the resident's key to the report).
    assert [r["service_request_id"] for r in rows] == [f"LS-{report.pk}"]
    assert report.code not in str(rows)
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


def test_a_request_is_found_by_its_public_id_or_by_its_code_and_echoes_it(client, world, report):
    asked = {"jurisdiction_id": "04000"}
    by_public = client.get(BASE + f"requests/LS-{report.pk}.json", asked).json()
    assert by_public[0]["service_request_id"] == f"LS-{report.pk}"
    by_code = client.get(BASE + f"requests/{report.tracking_display}.json", asked).json()
    assert by_code[0]["service_request_id"] == report.code
    several = client.get(
        BASE + "requests.json", {**asked, "service_request_id": f"ls-{report.pk},ZZZZ2222"}
    ).json()
    assert [r["service_request_id"] for r in several] == [f"LS-{report.pk}"]
    assert client.get(BASE + "requests/LS-999999.json", asked).status_code == 404


def test_media_url_is_kept_as_a_link_for_the_handlers_never_fetched(client, world):
    """docs/feedback.md, "Open311": the server never fetches the address (no request to a
    place an outsider chooses); the handlers see it as a link, the public list returns it
    only when the resident let the report be published."""
    from http.server import BaseHTTPRequestHandler

    from langso.test import LoopbackServer

    fetched = []

    class Photos(BaseHTTPRequestHandler):
        def do_GET(self):
            fetched.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(jpeg_bytes())

    with LoopbackServer(Photos) as server:
        link = server.url + "/anh-cong.jpg"
        response = client.post(
            BASE + "requests.json",
            {
                "jurisdiction_id": "04000",
                "service_code": "roads",
                "attribute[hamlet]": str(world.hamlet.pk),
                "description": "Cống vỡ, ảnh ở đường dẫn.",
                "media_url": link,
            },
        )
        assert response.status_code == 201
        assert fetched == []  # nothing was fetched
    report = Report.objects.get(code=response.json()[0]["service_request_id"])
    assert report.media_url == link and report.photos.count() == 0
    client.force_login(world.official)
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'href="{link}" rel="noopener noreferrer nofollow"' in page
    client.logout()
    rows = client.get(BASE + f"requests/LS-{report.pk}.json", {"jurisdiction_id": "04000"})
    assert rows.json()[0]["media_url"] == link
    for bad in ("javascript:alert(1)", "ftp://example.org/a.jpg", "http://" + "a" * 600):
        refused = client.post(
            BASE + "requests.json",
            {
                "jurisdiction_id": "04000",
                "service_code": "roads",
                "attribute[hamlet]": str(world.hamlet.pk),
                "description": "Ảnh.",
                "media_url": bad,
            },
        )
        assert refused.status_code == 400 and "media_url" in refused.json()[0]["description"]
    assert Report.objects.count() == 1


def test_an_answered_public_request_points_at_the_photo_of_the_fix(client, world, report):
    import io

    actions.answer_report(
        report,
        acting_user=world.official,
        text="Đã thay cống.",
        photos=[actions.Upload("sua.jpg", io.BytesIO(jpeg_bytes()))],
    )
    [row] = client.get(BASE + "requests.json", {"jurisdiction_id": "04000"}).json()
    photo = report.photos.get()
    assert row["media_url"] == f"http://testserver/public/04000/feedback/photos/{photo.pk}/"
    assert client.get(row["media_url"]).status_code == 200


def test_descriptions_and_errors_in_vietnamese_or_english(client, world):
    vi = client.get(BASE + "services/roads.json", {"jurisdiction_id": "04000"}).json()
    en = client.get(BASE + "services/roads.json", {"jurisdiction_id": "04000", "locale": "en"})
    assert vi["attributes"][0]["description"] == "Thôn"
    assert en.json()["attributes"][0]["description"] == "Hamlet"
    services = client.get(
        BASE + "services.json", {"jurisdiction_id": "04000"}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert services[0]["description"] == "Roads, bridges and culverts"
    assert services[0]["service_name"] == "Đường giao thông, cầu cống"  # the commune's data
    assert (
        client.get(BASE + "services.json")
        .json()[0]["description"]
        .startswith("jurisdiction_id: hãy")
    )
    assert client.get(BASE + "services.json", {"locale": "en"}).json()[0]["description"] == (
        "jurisdiction_id: give the commune's official code."
    )
