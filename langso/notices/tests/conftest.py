import pytest

from langso.notices.tests.standins import SmsStandIn, ZaloStandIn


@pytest.fixture
def zalo(settings):
    with ZaloStandIn() as standin:
        settings.LANGSO_ZALO_APP_ID = standin.APP_ID
        settings.LANGSO_ZALO_SECRET_KEY = standin.SECRET
        settings.LANGSO_ZALO_TEMPLATE_ID = standin.TEMPLATE
        settings.LANGSO_ZALO_REFRESH_TOKEN = "rt-0"
        settings.LANGSO_ZALO_API_URL = f"{standin.url}/message/template"
        settings.LANGSO_ZALO_OAUTH_URL = f"{standin.url}/v4/oa/access_token"
        yield standin


@pytest.fixture
def sms(settings):
    with SmsStandIn() as standin:
        settings.LANGSO_SMS_URL = (
            f"{standin.url}/MainService.svc/json/SendMultipleMessage_V4_post_json/"
        )
        settings.LANGSO_SMS_API_KEY = standin.API_KEY
        settings.LANGSO_SMS_SECRET_KEY = standin.SECRET
        settings.LANGSO_SMS_BRANDNAME = "UBND XA"
        yield standin
