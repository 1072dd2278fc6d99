"""Vietnamese first: the language switch decides, not the browser (design.md)."""

from django.urls import reverse


def test_pages_are_vietnamese_even_for_an_english_browser(client, world):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert "Đăng nhập" in response.content.decode()
    assert response.headers["Content-Language"] == "vi"


def test_the_switch_turns_pages_english_and_back(client, world):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("accounts:login")).content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    vietnamese = client.get(reverse("accounts:login")).content.decode()

    assert "Log in" in english and "Đăng nhập" not in english
    assert "Đăng nhập" in vietnamese


def test_every_string_has_a_vietnamese_translation():
    """English is the source language, so it is complete; Vietnamese must be too."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[3] / "locale/vi/LC_MESSAGES/django.po"
    with path.open("rb") as po:
        catalog = read_po(po)

    def translated(message):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        return all(strings) and not message.fuzzy

    assert len(catalog) > 100
    assert [message.id for message in catalog if message.id and not translated(message)] == []
