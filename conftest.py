import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses
# to run there unless told it is safe (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is the production hasher; tests that do not test hashing use a fast one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def vietnamese_by_default(settings):
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture
def world(db):
    from langso.test import World

    return World()
