"""Guessing passwords: after 5 failures per account and address, 15 minutes locked out."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from langso.accounts.models import AuditEntry
from langso.test import PASSWORD

LOGIN = "accounts:login"


def attempt(client, password, address="203.0.113.7", username="truongthon"):
    return client.post(
        reverse(LOGIN), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, world):
    for _ in range(5):
        attempt(client, "sai-mat-khau")

    response = attempt(client, PASSWORD)

    page = response.content.decode()
    assert response.status_code == 429
    assert "Quá nhiều lần thử" in page
    assert "15 phút" in page and "quản trị viên" in page
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_still_let_the_right_one_in(client, world):
    for _ in range(4):
        attempt(client, "sai-mat-khau")

    response = attempt(client, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.hamlet_head.pk)


def test_the_lockout_ends_after_fifteen_minutes(client, world):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(5):
            attempt(client, "sai-mat-khau")
        clock.shift(timedelta(minutes=14))
        assert attempt(client, PASSWORD).status_code == 429
        clock.shift(timedelta(minutes=16))

        assert attempt(client, PASSWORD).status_code == 302


def test_the_lockout_holds_for_one_account_from_one_address(client, world):
    for _ in range(5):
        attempt(client, "sai-mat-khau")

    assert attempt(client, PASSWORD, address="198.51.100.20").status_code == 302
    client.logout()
    assert attempt(client, PASSWORD, username="canbo").status_code == 302


def test_the_commune_administrator_sees_the_lockout_and_unlocks_it(client, world):
    for _ in range(5):
        attempt(client, "sai-mat-khau")
    admin = client.__class__()
    admin.force_login(world.admin)

    page = admin.get(reverse("accounts:user-detail", args=[world.hamlet_head.pk]))
    assert "bị khoá" in page.content.decode()
    admin.post(reverse("accounts:user-unlock", args=[world.hamlet_head.pk]))

    assert attempt(client, PASSWORD).status_code == 302
    assert AuditEntry.objects.filter(
        verb="user.unlock", actor=world.admin, target_id=str(world.hamlet_head.pk)
    ).exists()
    assert (
        "bị khoá"
        not in admin.get(
            reverse("accounts:user-detail", args=[world.hamlet_head.pk])
        ).content.decode()
    )


def test_a_viewer_cannot_unlock(client, world):
    for _ in range(5):
        attempt(client, "sai-mat-khau")
    other = client.__class__()
    other.force_login(world.viewer)

    response = other.post(reverse("accounts:user-unlock", args=[world.hamlet_head.pk]))

    assert response.status_code == 404
    assert attempt(client, PASSWORD).status_code == 429
