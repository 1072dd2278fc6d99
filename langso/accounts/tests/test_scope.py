"""Access is a scope (design.md principle 2): out of scope looks exactly like missing."""

from django.urls import reverse


def unit_pages(world):
    pages = []
    for unit in (world.commune, world.hamlet, world.group, world.other_hamlet):
        pages.append(reverse("units:unit-detail", args=[unit.pk]))
        pages.append(reverse("units:unit-create", args=[unit.pk]))
        pages.append(reverse("units:unit-rename", args=[unit.pk]))
        pages.append(reverse("units:unit-merge", args=[unit.pk]))
        pages.append(reverse("units:unit-retire", args=[unit.pk]))
    for household in (world.household, world.other_household):
        pages.append(reverse("registry:household-detail", args=[household.pk]))
    for user in (world.hamlet_head, world.official):
        pages.append(reverse("accounts:user-detail", args=[user.pk]))
    return pages


def test_the_outsider_gets_404_on_every_page_of_another_commune(client, world):
    client.force_login(world.outsider)

    for page in unit_pages(world):
        response = client.get(page)
        assert response.status_code == 404, page
        assert "Bình Chiến" not in response.content.decode()


def test_the_outsider_sees_their_own_commune(client, world):
    client.force_login(world.outsider)

    page = client.get(reverse("units:unit-detail", args=[world.far_hamlet.pk]))
    assert "Bản Hụm" in page.content.decode()


def test_a_missing_object_is_a_404_too(client, world):
    client.force_login(world.official)

    assert client.get(reverse("units:unit-detail", args=[999999])).status_code == 404
    assert client.get(reverse("registry:household-detail", args=[999999])).status_code == 404


def test_the_hamlet_head_reaches_only_households_of_their_hamlet(client, world):
    client.force_login(world.hamlet_head)

    mine = reverse("registry:household-detail", args=[world.household.pk])
    theirs = reverse("registry:household-detail", args=[world.other_household.pk])
    page = client.get(mine)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nguyễn Văn Phụng" in html and "Trần Thị Thuỷ" in html and "Nguyễn Văn An" in html
    assert client.get(theirs).status_code == 404


def test_a_party_member_does_not_see_the_resident_registry(client, world):
    client.force_login(world.party_member)

    page = reverse("registry:household-detail", args=[world.household.pk])
    assert client.get(page).status_code == 404
    assert client.get(reverse("units:unit-detail", args=[world.hamlet.pk])).status_code == 404


def test_a_viewer_sees_figures_but_ids_stay_masked(client, world):
    world.household.head.id_number = "014070001234"
    world.household.head.save(update_fields=["id_number"])
    client.force_login(world.viewer)

    page = client.get(reverse("registry:household-detail", args=[world.household.pk]))

    assert page.status_code == 200
    assert "014070001234" not in page.content.decode()
    assert "*********234" in page.content.decode()


def test_the_hamlet_head_sees_ids_and_the_read_is_logged(client, world):
    from langso.accounts.models import AuditEntry

    world.household.head.id_number = "014070001234"
    world.household.head.save(update_fields=["id_number"])
    client.force_login(world.hamlet_head)

    page = client.get(reverse("registry:household-detail", args=[world.household.pk]))

    assert "014070001234" in page.content.decode()
    entry = AuditEntry.objects.get(verb="read.household.id_numbers")
    assert entry.actor == world.hamlet_head


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("accounts:user-list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
