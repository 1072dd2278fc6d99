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


@pytest.fixture
def procedures(db):
    """The ten procedures of the data migration (a test elsewhere may have flushed them)."""
    import importlib

    from django.apps import apps

    from langso.portal.models import Procedure

    if not Procedure.objects.exists():
        importlib.import_module("langso.portal.migrations.0002_ten_procedures").ship(apps, None)
        migration = importlib.import_module(
            "langso.portal.migrations.0004_procedure_national_pages"
        )
        migration.link(apps, None)
    return Procedure.objects.all()
