import pytest


@pytest.fixture
def assoc(world):
    from langso.associations.tests.worlds import AssociationWorld

    return AssociationWorld(world)
