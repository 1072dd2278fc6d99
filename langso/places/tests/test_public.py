from datetime import date

import pytest
from django.http import Http404

from langso.places import public
from langso.places.models import Unit

pytestmark = pytest.mark.django_db


def make_commune(code="26734"):
    province = Unit.objects.create(
        kind=Unit.Kind.PROVINCE, type_name="tỉnh", name="Hà Nội", code="01", path="01"
    )
    return Unit.objects.create(
        kind=Unit.Kind.COMMUNE,
        type_name="xã",
        name="Bình Minh",
        code=code,
        parent=province,
        path=f"01/{code}",
        valid_from=date(2025, 7, 1),
    )


def test_commune_is_found_by_its_code():
    commune = make_commune()
    assert public.commune_or_404("26734") == commune


@pytest.mark.parametrize("code", ["01", "99999", "abc", "2673'4", "9" * 40, ""])
def test_anything_but_a_current_commune_is_404(code):
    make_commune()
    with pytest.raises(Http404):
        public.commune_or_404(code)


def test_retired_commune_is_404():
    commune = make_commune()
    commune.valid_to = date(2025, 8, 1)
    commune.save()
    with pytest.raises(Http404):
        public.commune_or_404("26734")


def test_sections_come_in_their_order():
    keys = [section.key for section in public.sections()]
    assert "notices" in keys  # notices registers itself at start-up
    orders = [section.order for section in public.sections()]
    assert orders == sorted(orders)
