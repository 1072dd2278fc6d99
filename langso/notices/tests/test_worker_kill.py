"""Killing the worker in the middle of a send and starting it again loses no delivery
and duplicates none (issue: notices, point 7).

Everything here is real and separate: a database file, `manage.py` in subprocesses, the
`db_worker` process killed with SIGKILL while it waits for the SMS gateway stand-in (a
local HTTP server in this test) to answer its 61st message — the message went out, its
answer is held — then a new worker (`manage.py worker`), which takes back what the dead
one cut off when it starts.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from langso.notices.tests.standins import SmsStandIn

ROOT = Path(__file__).resolve().parents[3]

SEED = """
from langso.accounts.models import User
from langso.notices import actions
from langso.notices.models import Audience, Reach
from langso.places.models import Unit
from langso.registry.models import Person

commune = Unit.objects.get(code="04105")
hamlet = Unit.objects.filter(parent=commune).order_by("path").first()
people = Person.objects.filter(household__unit__path__startswith=hamlet.path)
for number, person in enumerate(people.order_by("pk")):
    person.phone = f"09{number:08d}"
    person.save(update_fields=["phone"])
# The demo's party members without a smartphone are told in person; here all have one.
Reach.objects.filter(person__in=people).update(no_phone=False)
notice = actions.create_notice(
    acting_user=User.objects.get(username="canbo"),
    unit=commune,
    title="Thông báo lịch cắt điện",
    body="Ngày mai cắt điện từ 7 giờ đến 11 giờ để sửa đường dây.",
    audiences=[Audience(kind=Audience.Kind.UNIT, unit=hamlet)],
)
actions.send_notice(notice, acting_user=None)
print(notice.pk)
"""


def test_a_killed_worker_loses_no_delivery_and_sends_none_twice(tmp_path):
    with SmsStandIn(balance=100_000) as gateway:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'langso.sqlite3'}",
            "LANGSO_VAR_DIR": str(tmp_path),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "LANGSO_SMS_URL": f"{gateway.url}/send",
            "LANGSO_SMS_API_KEY": gateway.API_KEY,
            "LANGSO_SMS_SECRET_KEY": gateway.SECRET,
            "LANGSO_SMS_BRANDNAME": "UBND XA",
        }

        def manage(*args):
            return subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
                timeout=600,
            ).stdout

        manage("migrate", "--verbosity", "0")
        manage("load_units")
        manage("demo", "--households", "400")
        notice_id = int(manage("shell", "-c", SEED).split()[-1])

        # The gateway answers 60 messages, then sends the 61st but holds its answer: the
        # worker is killed at that known point, between the send and its record.
        gateway.hold_answers_after(60)
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert gateway.holding.wait(timeout=300), "the worker sent fewer than 61 messages"
        finally:
            worker.kill()
            worker.wait()
        sent_before_restart = len(gateway.sent)
        gateway.release()

        assert sent_before_restart == 61

        # The next worker finishes the cut-off sending by itself when it starts.
        manage("worker", "--batch", "--no-startup-delay", "--no-reload")
        status = manage("notice_status", str(notice_id))

    with sqlite3.connect(tmp_path / "langso.sqlite3") as db:
        recipients = dict(
            db.execute(
                "SELECT status, count(*) FROM notices_recipient WHERE notice_id = ? "
                "GROUP BY status",
                (notice_id,),
            ).fetchall()
        )
        deliveries = db.execute(
            "SELECT count(*), count(DISTINCT recipient_id) FROM notices_delivery "
            "WHERE notice_id = ? AND status IN ('sent', 'delivered')",
            (notice_id,),
        ).fetchone()
        by_sms = db.execute(
            "SELECT count(*) FROM notices_delivery "
            "WHERE notice_id = ? AND channel = 'sms' AND status = 'sent'",
            (notice_id,),
        ).fetchone()[0]
    people = sum(recipients.values())

    # Everyone was reached exactly once (the demo's party members with an account in the
    # app, the others by SMS); nobody is left half-sent.
    assert by_sms > sent_before_restart
    assert recipients == {"reached": people}
    assert deliveries == (people, people)
    # The demo's own notices (its meeting invitations) go out too: count this one's.
    this_notice = [
        message
        for message in gateway.sent
        if message["RequestId"].startswith(f"langso-{notice_id}-")
    ]
    request_ids = [message["RequestId"] for message in this_notice]
    assert len(request_ids) == len(set(request_ids)) == by_sms
    phones = [message["Phone"] for message in this_notice]
    assert len(phones) == len(set(phones)) == by_sms
    assert f"reached {people}" in status
