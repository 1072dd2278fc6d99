"""The audience keys fit the columns notices keeps them in (SQLite would not say)."""

from langso.associations import notices as association_notices
from langso.notices import audiences
from langso.notices.models import Audience, Notice


def test_the_audience_keys_are_registered_and_fit_notices_columns():
    for key in (association_notices.ORGANISATION, association_notices.BRANCH):
        assert audiences.get(key) is not None
        assert len(key) <= Notice._meta.get_field("sender_kind").max_length
        assert len(key) <= Audience._meta.get_field("kind").max_length
