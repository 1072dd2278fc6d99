"""The loudspeakers of `manage.py demo` (issue 19): two hamlets with systems, a notice
played on both, one queued in Bình Chiến, and its audio made only when it is opened."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from langso.accounts.models import User
from langso.lib.tts import probe
from langso.notices.models import Broadcast, LoudspeakerSystem, Notice, NoticeAudio

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


def test_two_hamlets_have_loudspeakers_with_a_played_and_a_queued_notice(demo, db):
    assert "Loudspeakers: 2 systems, 6 broadcasts." in demo
    assert sorted(LoudspeakerSystem.objects.values_list("unit__name", flat=True)) == [
        "Bình Chiến",
        "Tân Lập",
    ]
    played = Notice.objects.get(title__startswith="Lịch tiêm vắc xin")
    assert set(played.broadcasts.values_list("status", flat=True)) == {"played"}
    queued = Notice.objects.get(title__startswith="Họp thôn")
    first = queued.broadcasts.order_by("play_at").first()
    assert first.status == Broadcast.Status.QUEUED
    assert first.play_at == datetime(2025, 11, 20, 17, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert not NoticeAudio.objects.exists()  # nothing spoken while building the demo


def test_the_hamlet_head_hears_the_queued_notice(demo, client, db):
    client.force_login(User.objects.get(username="truongthon"))
    queued = Notice.objects.get(title__startswith="Họp thôn")
    page = client.get(queued.get_absolute_url()).content.decode()
    assert "17:00 20/11/2025" in page
    audio = client.get(reverse("notices:notice-audio", args=[queued.pk]))
    assert probe(b"".join(audio.streaming_content)).duration > 5
    assert NoticeAudio.objects.filter(notice=queued).exists()
