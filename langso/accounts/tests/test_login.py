"""Logging in and out, changing the password, and how passwords are kept."""

from django.urls import reverse

from langso.test import PASSWORD


def test_a_user_logs_in_and_lands_on_their_home_page(client, world):
    response = client.post(
        reverse("accounts:login"), {"username": "truongthon", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Thôn Bình Chiến" in response.content.decode()


def test_a_wrong_password_keeps_the_username_and_explains(client, world):
    response = client.post(reverse("accounts:login"), {"username": "truongthon", "password": "sai"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="truongthon"' in page
    assert response.context["form"].errors


def test_logout_needs_a_post(client, world):
    client.force_login(world.hamlet_head)

    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home")).status_code == 302


def test_a_user_changes_their_password(client, world):
    client.force_login(world.hamlet_head)

    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "mat-khau-moi-rat-dai-2026",
            "new_password2": "mat-khau-moi-rat-dai-2026",
        },
    )

    assert response.status_code == 302
    world.hamlet_head.refresh_from_db()
    assert world.hamlet_head.check_password("mat-khau-moi-rat-dai-2026")


def test_passwords_are_hashed_with_argon2(db, settings):
    from django.contrib.auth.hashers import make_password

    import langso.settings as project_settings

    # The tests swap in a fast hasher (conftest.py); the project's own list is read here.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert make_password("mat-khau").startswith("argon2$")
