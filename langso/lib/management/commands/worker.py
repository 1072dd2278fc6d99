"""`manage.py worker`: the background worker, which first takes back what a dead one left.

It is `db_worker` (same options) with a start-up step: every job whose worker died
(its process is gone, or it has not beaten for longer than the lease) is recovered —
carried on, or failed with "run it again" — and the apps that listen to
`worker_starting` (notices) queue again the work a dead worker cut off.
"""

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from langso.lib.jobs import recover_dead_jobs, worker_starting


class Command(DBWorkerCommand):
    help = (
        "Take back the jobs and notices a dead worker left, then run background tasks "
        "(imports, exports, notice fan-out) like db_worker."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--recover-only",
            action="store_true",
            help="Only take back what a dead worker left, then exit.",
        )

    def handle(self, *args, **options):
        recovered = recover_dead_jobs()
        for label, count in recovered.items():
            if count:
                self.stdout.write(f"{label}: {count} job(s) left by a dead worker taken back.")
        for _receiver, said in worker_starting.send(sender=self.__class__):
            if said:
                self.stdout.write(str(said))
        if options.pop("recover_only"):
            return
        super().handle(*args, **options)
