"""No input gives a 500 (issue 18, item 12): every form and search box of the site is
filled with long, empty, control-character and mixed-script text.

The walk starts from the project's URL list filled with the objects of
`test_post_endpoints.Scene`, opens each page as a commune official who is also the
commune administrator and on the party committee (so that the forms are offered), reads
its forms, and sends each of them back with every text box holding the same generated
text — search forms by GET, the others by POST. Any answer of 500 is a failure.
"""

from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
import time_machine
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from langso.accounts.models import RoleAssignment
from langso.accounts.roles import Role
from langso.test import vietnam_time
from langso.tests.test_post_endpoints import Scene

pytestmark = pytest.mark.django_db

# Forms whose sending would end the walk (logging out) rather than test an input. Wrong
# second-factor codes lock the account out after five: accounts/tests/test_two_factor.py
# sends such text to those forms.
SKIP_ACTIONS = ("/accounts/logout/", "/i18n/setlang/", "/accounts/two-factor/")
TEXT_TYPES = {"text", "search", "tel", "email", "number", "date", "time", "url", "password", ""}


class Forms(HTMLParser):
    """The forms of a page: (method, action, {field: value}, [text fields])."""

    def __init__(self):
        super().__init__()
        self.forms, self._current, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._current = (a.get("method", "get").lower(), a.get("action") or "", {}, [])
        elif self._current is None or not a.get("name"):
            return
        elif tag == "textarea":
            self._current[3].append(a["name"])
        elif tag == "input":
            kind = a.get("type", "").lower()
            if kind in TEXT_TYPES:
                self._current[3].append(a["name"])
            elif kind == "hidden":
                self._current[2][a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and a.get("value"):
            self._current[2].setdefault(self._select, a["value"])

    def handle_endtag(self, tag):
        if tag == "form" and self._current is not None:
            self.forms.append(self._current)
            self._current = None
        elif tag == "select":
            self._select = None


@pytest.fixture
def site(client, world, party_world):
    with time_machine.travel(vietnam_time(date(2026, 6, 10)), tick=True):
        scene = Scene(world, party_world)
        official = world.official
        for role in (Role.COMMUNE_ADMIN, Role.PARTY_COMMITTEE):
            RoleAssignment.objects.create(user=official, role=role, unit=world.commune)
        client.force_login(official)
        client.raise_request_exception = False
        forms = {}
        seen = set()
        for name, url, _about in scene.urls():
            # One page per URL name is enough to find its forms; the walk of the POST test
            # fills some names with many objects, which only repeats the same forms.
            if name in seen:
                continue
            seen.add(name)
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = Forms()
            parser.feed(response.content.decode())
            for method, action, fixed, texts in parser.forms:
                target = urljoin(url, action)
                if texts and not target.startswith(SKIP_ACTIONS):
                    forms[method, target, tuple(texts)] = fixed
        yield client, forms


SAMPLES = [
    " ".join(["nguyễn văn"] * 500),
    "",
    "\x00\x01\x1b[0m\u202e\u2066Lò Văn Páo\u2069\u200b\ufeff",
    "Nguyễn Thị Hằng 阮氏 нгуен العربية Ελληνικά 🙂 =HYPERLINK(1)",
    "9" * 400,
    "a" * 5000,
]


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(max_size=300))
@example(text=SAMPLES[0])
@example(text=SAMPLES[1])
@example(text=SAMPLES[2])
@example(text=SAMPLES[3])
@example(text=SAMPLES[4])
@example(text=SAMPLES[5])
def test_no_form_or_search_answers_500(site, text):
    client, forms = site
    assert len(forms) > 30  # the walk found the site's forms
    failures = []
    with time_machine.travel(vietnam_time(date(2026, 6, 10)), tick=True):
        for (method, target, texts), fixed in forms.items():
            data = {**fixed, **dict.fromkeys(texts, text)}
            send = client.get if method == "get" else client.post
            response = send(target, data)
            if response.status_code >= 500:
                failures.append((method, target, response.status_code))
    assert failures == []
