import pytest
from django.core.cache import cache

from langso.accounts.roles import Role
from langso.test import make_user


@pytest.fixture(autouse=True)
def fresh_cache():
    """The public pages are cached per process; each test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(world):
    return make_user("bientap", "Đỗ Thị Mai", Role.EDITOR, world.commune)
