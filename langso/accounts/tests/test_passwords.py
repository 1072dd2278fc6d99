"""Forgotten passwords: a temporary one from the administrator, a link by e-mail, and a
first password that must be changed."""

import re
from email import message_from_bytes, policy

from django.test import Client
from django.urls import reverse

from langso.accounts import actions
from langso.accounts.models import AuditEntry, User
from langso.accounts.roles import Role
from langso.test import PASSWORD

NEW = "mat-khau-rieng-cua-toi-2026"


def login(client, username, password, address="192.0.2.1"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        follow=True,
    )


def change(client, old, new=NEW):
    return client.post(
        reverse("accounts:password-change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
        follow=True,
    )


def test_the_administrator_gives_a_temporary_password_that_must_be_changed(client, world):
    admin = Client()
    admin.force_login(world.admin)

    page = admin.post(reverse("accounts:user-password-reset", args=[world.hamlet_head.pk]))
    temporary = re.search(r"<code>([a-z0-9-]{14})</code>", page.content.decode())[1]

    assert not login(client, "truongthon", PASSWORD).context["user"].is_authenticated
    response = login(client, "truongthon", temporary)
    assert response.redirect_chain[-1][0] == reverse("accounts:password-change")
    assert "Chọn mật khẩu của riêng bạn" in response.content.decode()
    # Every other page sends them back until they have chosen.
    assert client.get(reverse("home")).url == reverse("accounts:password-change")

    change(client, temporary)

    assert client.get(reverse("home")).status_code == 200
    user = User.objects.get(pk=world.hamlet_head.pk)
    assert user.check_password(NEW) and not user.must_change_password
    assert AuditEntry.objects.filter(verb="user.password_reset", actor=world.admin).exists()
    assert AuditEntry.objects.filter(verb="user.password_change", actor=user).exists()
    # The temporary password is nowhere in the audit log.
    assert not AuditEntry.objects.filter(changes__icontains=temporary).exists()


def test_a_viewer_cannot_reset_someone_elses_password(client, world):
    client.force_login(world.viewer)

    response = client.post(reverse("accounts:user-password-reset", args=[world.hamlet_head.pk]))

    assert response.status_code == 404
    assert User.objects.get(pk=world.hamlet_head.pk).check_password(PASSWORD)


def test_a_new_account_must_change_the_password_the_administrator_chose(client, world):
    actions.create_user(
        username="thonmoi", password="mat-khau-do-quan-tri-dat", full_name="Lò Văn Mới",
        acting_user=world.admin, role=Role.HAMLET_HEAD, unit=world.other_hamlet,
    )  # fmt: skip

    response = login(client, "thonmoi", "mat-khau-do-quan-tri-dat")

    assert response.redirect_chain[-1][0] == reverse("accounts:password-change")
    change(client, "mat-khau-do-quan-tri-dat")
    assert client.get(reverse("home")).status_code == 200


def test_personas_and_demo_logins_keep_their_password(client, world):
    response = login(client, "truongthon", PASSWORD)

    assert response.redirect_chain[-1][0] == reverse("home")


def test_a_user_resets_their_password_by_email(client, world, smtp):
    world.hamlet_head.email = "truongthon@example.vn"
    world.hamlet_head.save(update_fields=["email"])

    page = client.post(
        reverse("accounts:password-reset"), {"email": "truongthon@example.vn"}, follow=True
    )
    assert "Hãy kiểm tra hộp thư" in page.content.decode()
    (envelope,) = smtp.messages
    mail = message_from_bytes(envelope.content, policy=policy.default)
    body = mail.get_content()
    assert envelope.rcpt_tos == ["truongthon@example.vn"]
    assert mail["Subject"] == "Đặt mật khẩu mới cho Làng Số"
    assert "Chào Đặng Văn Bình" in body and "truongthon" in body
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+)", body)[1]

    form = client.get(link, follow=True)
    assert "Chọn mật khẩu mới" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True
    )

    assert "Mật khẩu mới đã được lưu" in done.content.decode()
    assert User.objects.get(pk=world.hamlet_head.pk).check_password(NEW)
    assert "không còn dùng được" in client.get(link, follow=True).content.decode()


def test_reset_requests_are_limited_per_address_and_email(client, world, smtp):
    world.hamlet_head.email = "truongthon@example.vn"
    world.hamlet_head.save(update_fields=["email"])
    url = reverse("accounts:password-reset")

    answers = [
        client.post(url, {"email": "truongthon@example.vn"}, REMOTE_ADDR="192.0.2.9")
        for _ in range(6)
    ]

    assert [a.status_code for a in answers] == [302] * 5 + [429]
    assert "Quá nhiều lần thử" in answers[-1].content.decode()
    assert len(smtp.messages) == 5
    # Another address is not affected.
    assert (
        client.post(url, {"email": "truongthon@example.vn"}, REMOTE_ADDR="192.0.2.10").status_code
        == 302
    )
