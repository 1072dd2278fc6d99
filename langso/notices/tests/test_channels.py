"""Each channel against a real local server speaking its protocol: Zalo ZNS with token
refresh, its daily quota and its error codes; an SMS gateway that refuses a request id
twice; e-mail over SMTP; and the fall-back from one channel to the next (design.md
principle 7)."""

import pytest
from django.utils import timezone

from langso.notices import actions
from langso.notices import delivery as pipeline
from langso.notices.models import Audience, ChannelQuota, Delivery, Recipient, ZaloToken
from langso.registry.models import Person

pytestmark = pytest.mark.django_db

THUY, PHUNG, AN = "Trần Thị Thuỷ", "Nguyễn Văn Phụng", "Nguyễn Văn An"


def person(name):
    return Person.objects.get(full_name=name)


def give_phone(name, phone, email=""):
    found = person(name)
    found.phone = phone
    found.email = email
    found.save(update_fields=["phone", "email"])
    return found


def send_to_household(world):
    """A notice to the three people of the Nguyễn household, fanned out and dispatched."""
    people = [person(name) for name in (THUY, PHUNG, AN)]
    notice = actions.create_notice(
        acting_user=world.official,
        unit=world.commune,
        title="Họp dân về làm đường",
        body="Mời đại diện các hộ dự họp lúc 19 giờ tại nhà văn hoá.",
        audiences=[Audience(kind=Audience.Kind.PERSON, person=p) for p in people],
    )
    notice.status = notice.Status.SENDING
    notice.save(update_fields=["status"])
    pipeline.resolve_recipients(notice)
    pipeline.plan_deliveries(notice)
    pipeline.dispatch(notice)
    return notice


def route(notice, name):
    recipient = notice.recipients.get(person__full_name=name)
    deliveries = recipient.deliveries.order_by("pk")
    return [(d.channel, d.status) for d in deliveries], recipient.status


def test_zalo_refreshes_its_token_and_sends_the_template(world, zalo):
    give_phone(THUY, "0912 345 678")
    zalo.zalo_phones = {"84912345678"}
    notice = send_to_household(world)
    assert route(notice, THUY) == ([("zalo", "sent")], Recipient.Status.REACHED)
    [message] = zalo.sent
    assert message["phone"] == "84912345678"
    assert message["template_id"] == zalo.TEMPLATE
    assert message["template_data"]["title"] == "Họp dân về làm đường"
    assert message["tracking_id"].startswith(f"langso-{notice.pk}-")
    token = ZaloToken.objects.get()
    assert (token.access_token, token.refresh_token) == ("at-1", "rt-1")


def test_an_expired_token_is_refreshed_once_and_the_message_goes(world, zalo):
    give_phone(THUY, "0912345678")
    give_phone(PHUNG, "0987654321")
    zalo.zalo_phones = {"84912345678", "84987654321"}
    send_to_household(world)
    zalo.expire_tokens()
    notice = send_to_household(world)
    assert route(notice, PHUNG) == ([("zalo", "sent")], Recipient.Status.REACHED)
    assert zalo.refreshes == 2
    assert ZaloToken.objects.get().refresh_token == "rt-2"  # the single-use token was replaced


def test_someone_not_on_zalo_falls_back_to_sms(world, zalo, sms):
    give_phone(THUY, "0912345678")
    notice = send_to_household(world)
    assert route(notice, THUY) == (
        [("zalo", "failed"), ("sms", "sent")],
        Recipient.Status.REACHED,
    )
    failed = Delivery.objects.get(channel="zalo")
    assert failed.error.startswith("Zalo -118")
    [message] = sms.sent
    assert message["Phone"] == "0912345678"
    assert message["Brandname"] == "UBND XA"
    assert "Họp dân về làm đường" in message["Content"]


def test_the_exhausted_daily_quota_sends_everyone_else_by_sms(world, zalo, sms):
    for name, phone in ((THUY, "0912345678"), (PHUNG, "0987654321"), (AN, "0977000111")):
        give_phone(name, phone)
    zalo.zalo_phones = {"84912345678", "84987654321", "84977000111"}
    zalo.daily_quota = 1
    notice = send_to_household(world)
    channels = sorted(route(notice, name)[0][-1][0] for name in (THUY, PHUNG, AN))
    assert channels == ["sms", "sms", "zalo"]
    assert ChannelQuota.objects.get(channel="zalo", day=timezone.localdate()).exhausted
    # Once exhausted, Zalo is not even asked: the stand-in saw one attempt past the quota.
    assert len(zalo.sent) == 1


def test_a_blocked_number_falls_back_to_e_mail_and_then_to_the_in_person_list(world, sms, smtp):
    give_phone(THUY, "0912345678", email="thuy@example.invalid")
    give_phone(PHUNG, "0987654321")
    sms.blocked = {"0912345678", "0987654321"}
    notice = send_to_household(world)
    assert route(notice, THUY) == ([("sms", "failed"), ("email", "sent")], "reached")
    assert route(notice, PHUNG) == ([("sms", "failed")], Recipient.Status.IN_PERSON)
    assert route(notice, AN) == ([], Recipient.Status.IN_PERSON)
    [message] = smtp.messages
    assert message.rcpt_tos == ["thuy@example.invalid"]


def test_a_gateway_error_is_retried_later_with_the_same_request_id(world, sms, settings):
    settings.LANGSO_NOTICE_RETRY_SECONDS = 0
    give_phone(THUY, "0912345678")
    sms.failures = 1
    notice = send_to_household(world)
    delivery = Delivery.objects.get(channel="sms")
    # The first attempt met a 503 and was put back with a due time; the retry, due at
    # once here, went through.
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert len(sms.sent) == 1
    assert notice.recipients.get(person__full_name=THUY).status == Recipient.Status.REACHED


def test_a_resent_request_the_gateway_already_has_is_not_sent_twice(world, sms):
    give_phone(THUY, "0912345678")
    notice = send_to_household(world)
    delivery = Delivery.objects.get(channel="sms")
    # As if the worker died after the gateway accepted it but before the row was updated.
    Delivery.objects.filter(pk=delivery.pk).update(status="queued", attempts=0)
    pipeline.dispatch(notice)
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert len(sms.sent) == 1


def test_a_person_may_prefer_sms_to_zalo(world, zalo, sms):
    thuy = give_phone(THUY, "0912345678")
    zalo.zalo_phones = {"84912345678"}
    actions.set_reach(thuy, acting_user=world.official, channels=["sms", "zalo"])
    notice = send_to_household(world)
    assert route(notice, THUY) == ([("sms", "sent")], Recipient.Status.REACHED)
    assert zalo.sent == []


def test_a_landline_is_not_used_for_sms_or_zalo(world, zalo, sms):
    give_phone(THUY, "0223 3852 123")
    zalo.zalo_phones = {"842233852123"}
    notice = send_to_household(world)
    assert route(notice, THUY) == ([], Recipient.Status.IN_PERSON)


def test_the_gateways_delivery_report_marks_the_sms_delivered(world, sms, client, settings):
    settings.LANGSO_SMS_CALLBACK_TOKEN = "ma-bi-mat-callback"
    settings.LANGSO_SITE_URL = "https://xa.example.invalid"
    give_phone(THUY, "0912345678")
    notice = send_to_household(world)
    delivery = Delivery.objects.get(channel="sms")
    [message] = sms.sent
    assert message["CallbackUrl"].endswith("/notices/receipts/sms/?token=ma-bi-mat-callback")
    url = "/notices/receipts/sms/"
    report = {"RequestId": message["RequestId"], "SendStatus": "5", "SendSuccess": "1"}
    assert client.get(url, {**report, "token": "sai"}).status_code == 404
    assert client.get(url, {**report, "token": "ma-bi-mat-callback"}).status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert notice.recipients.get(person__full_name=THUY).status == Recipient.Status.REACHED


def test_a_rejected_sms_falls_back_to_the_next_channel(world, sms, smtp, client, settings):
    settings.LANGSO_SMS_CALLBACK_TOKEN = "ma-bi-mat-callback"
    give_phone(THUY, "0912345678", email="thuy@example.invalid")
    notice = send_to_household(world)
    [message] = sms.sent
    client.get(
        "/notices/receipts/sms/",
        {"token": "ma-bi-mat-callback", "RequestId": message["RequestId"], "SendStatus": "4"},
    )
    pipeline.dispatch(notice)
    assert route(notice, THUY) == ([("sms", "failed"), ("email", "sent")], "reached")


def test_zalos_signed_receipt_marks_the_message_delivered(world, zalo, client, settings):
    import hashlib
    import json

    settings.LANGSO_ZALO_OA_SECRET = "bi-mat-oa"
    give_phone(THUY, "0912345678")
    zalo.zalo_phones = {"84912345678"}
    send_to_household(world)
    [message] = zalo.sent
    event = json.dumps(
        {
            "event_name": "user_received_message",
            "app_id": zalo.APP_ID,
            "timestamp": "1602560967477",
            "recipient": {"id": "84912345678"},
            "message": {"msg_id": "msg1", "tracking_id": message["tracking_id"]},
        }
    )
    mac = hashlib.sha256(f"{zalo.APP_ID}{event}1602560967477bi-mat-oa".encode()).hexdigest()
    post = lambda signature: client.post(  # noqa: E731
        "/notices/receipts/zalo/",
        event,
        content_type="application/json",
        headers={"X-ZEvent-Signature": signature},
    )
    assert post("mac=forged").status_code == 404
    assert Delivery.objects.get(channel="zalo").status == Delivery.Status.SENT
    assert post(f"mac={mac}").status_code == 200
    assert Delivery.objects.get(channel="zalo").status == Delivery.Status.DELIVERED
