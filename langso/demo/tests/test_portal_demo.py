"""The public site of the demo commune: what a resident finds there (issue 17 §7)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from langso.demo.registry import DEMO_COMMUNE_CODE
from langso.portal.models import Article, Site
from langso.test import vietnam_time

AS_OF = date(2025, 11, 20)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast):
        out = StringIO()
        call_command("load_units", stdout=out)
        call_command("demo", households=200, as_of=AS_OF, stdout=out)
        yield out.getvalue()
        call_command("flush", interactive=False, stdout=StringIO())


def test_the_demo_commune_has_a_dozen_articles_with_photos_and_its_contacts(demo, db, client):
    site = Site.objects.get(commune__code=DEMO_COMMUNE_CODE)
    assert site.phone and site.banner and "Chiều" in site.office_hours
    # On the demo's day: the dozen articles; the power cut notice is scheduled for the next.
    on = vietnam_time(AS_OF, 12)
    published = Article.objects.published(on=on).filter(commune=site.commune)
    assert published.count() == 12
    assert all(article.image and article.image_webp for article in published)
    assert Article.objects.filter(publish_at__isnull=True).count() == 1  # a draft
    page = client.get(f"/public/{DEMO_COMMUNE_CODE}/").content.decode()
    assert "Ra quân tổng vệ sinh môi trường đón Tết" in page
    assert "Public site: 14 articles" in demo
