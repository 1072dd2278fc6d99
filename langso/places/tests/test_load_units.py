"""`load_units`: the post-2025 map of domain.md §1 — 34 provinces, 3,321 communes."""

from io import StringIO

import pytest
from django.core.management import call_command

from langso.places.models import Unit


def load():
    out = StringIO()
    call_command("load_units", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_loads_34_provinces_and_3321_communes():
    output = load()

    assert Unit.objects.filter(kind=Unit.Kind.PROVINCE).count() == 34
    assert Unit.objects.filter(kind=Unit.Kind.COMMUNE).count() == 3321
    assert "3355 created" in output
    # 2,621 xã + 687 phường + 13 đặc khu (Resolution 202/2025/QH15).
    communes = Unit.objects.filter(kind=Unit.Kind.COMMUNE)
    assert communes.filter(type_name="xã").count() == 2621
    assert communes.filter(type_name="phường").count() == 687
    assert communes.filter(type_name="đặc khu").count() == 13


@pytest.mark.django_db
def test_a_second_run_creates_nothing_and_says_so():
    load()
    output = load()

    assert "0 created" in output
    assert Unit.objects.count() == 3355


@pytest.mark.django_db
def test_codes_are_zero_padded_and_paths_nest_communes_in_provinces():
    load()
    hanoi = Unit.objects.get(kind=Unit.Kind.PROVINCE, code="01")
    hoan_kiem = Unit.objects.get(kind=Unit.Kind.COMMUNE, name="Phường Hoàn Kiếm")

    assert hanoi.path == "01"
    assert hoan_kiem.code == "00070"
    assert hoan_kiem.path == "01/00070"
    assert hoan_kiem.parent == hanoi
    assert str(hanoi) == "Thành phố Hà Nội"
    assert Unit.objects.within(hanoi).filter(kind=Unit.Kind.COMMUNE).count() == (
        hanoi.children.count()
    )


@pytest.mark.django_db
def test_names_are_loaded_with_single_spaces():
    """The official list writes ten communes with a double space ("Xã  Bắc Đông Quan")."""
    load()

    assert not Unit.objects.filter(name__contains="  ").exists()
    assert Unit.objects.get(kind=Unit.Kind.COMMUNE, code="12745").name == "Xã Bắc Đông Quan"


@pytest.mark.django_db
def test_a_second_run_repairs_a_name_loaded_with_double_spaces():
    load()
    Unit.objects.filter(code="24133").update(name="Phường  Buôn Ma Thuột")

    output = load()

    assert Unit.objects.get(kind=Unit.Kind.COMMUNE, code="24133").name == "Phường Buôn Ma Thuột"
    assert "1 renamed" in output
