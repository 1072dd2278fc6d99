from django.core.management.base import BaseCommand

from langso.notices.tasks import resume_interrupted


class Command(BaseCommand):
    help = (
        "Queue the fan-out again for every notice whose sending was cut off: notices "
        "scheduled or being sent, and notices with deliveries still queued or left "
        "'sending' by a worker that died. The fan-out skips whatever was already done, so "
        "nothing is lost and nothing is sent twice. `manage.py worker` does this when it "
        "starts; run it by hand only while no worker is running. Prints how many notices "
        "were queued."
    )

    def handle(self, *args, **options):
        self.stdout.write(resume_interrupted())
