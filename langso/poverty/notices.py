"""The households on a poverty review's list as an audience of notices
(langso.notices.audiences): the labour–social affairs officer tells them of the hamlet
meeting or the posting without writing them down one by one. A notice to the whole
commune about the posting uses notices' own audiences (residents of a unit, a hamlet to
relay); see `actions.announce_review`."""

from django.utils.translation import gettext_lazy as _

from langso.accounts.access import scope_q
from langso.notices import audiences
from langso.poverty.access import SURVEY
from langso.poverty.models import Review
from langso.registry.models import Person

KIND = "poverty_review"


def managed_reviews(user):
    """The reviews not yet recognised of the communes where the user runs the review."""
    return Review.objects.filter(scope_q(user, SURVEY, field="commune__path")).exclude(
        stage=Review.Stage.RECOGNISED
    )


def _get(target_id: int) -> Review | None:
    return Review.objects.select_related("commune").filter(pk=target_id).first()


def _people(target_id: int):
    """The living members of the households on the list."""
    return Person.objects.living().filter(
        household__in=Review.objects.filter(pk=target_id).values("entries__household")
    )


def register() -> None:
    audiences.register(
        KIND,
        audiences.AudienceKind(
            label=_("Households on a poverty review's list"),
            targets=managed_reviews,
            get=_get,
            people=_people,
        ),
    )
