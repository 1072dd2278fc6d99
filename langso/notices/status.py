"""A notice's status machine: its states (`Notice.Status`) and the moves between them.

    draft ──send──▶ scheduled ──fan-out starts──▶ sending ──recipients planned──▶ sent
                        └──────────────(a fan-out that finds nothing to do)──────────▲

A notice is written as a draft; `actions.send_notice` schedules it (now or at its set
time); the fan-out (`tasks.fan_out`) marks it sending, and sent once every recipient
has a first channel or a place on the in-person list. Deliveries still going out, or
waiting for a retry, do not keep it "sending". Every move goes through `move`, so
that no other module writes a notice's status.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.notices.models import Notice

Status = Notice.Status

MOVES: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SCHEDULED}),
    Status.SCHEDULED: frozenset({Status.SENDING, Status.SENT}),
    Status.SENDING: frozenset({Status.SENT}),
    Status.SENT: frozenset(),
}


def can_move(notice: Notice, to: str) -> bool:
    return to in MOVES[notice.status]


def move(notice: Notice, to: str, *, again_ok: bool = False) -> bool:
    """Move `notice` to status `to` and save it. A move that is not allowed is a
    ValidationError, unless the notice is there already and `again_ok` (a fan-out run
    again after a crash): then nothing changes and the answer is False."""
    if notice.status == to and again_ok:
        return False
    if not can_move(notice, to):
        if notice.status != Status.DRAFT:
            raise ValidationError(_("This notice has already been sent."), code="sent")
        raise ValidationError(f"A draft cannot become {to}.", code="bad_status")
    notice.status = to
    fields = ["status"]
    if to == Status.SENT:
        notice.sent_at = notice.sent_at or timezone.now()
        fields.append("sent_at")
    notice.save(update_fields=fields)
    return True
