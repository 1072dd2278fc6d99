from django.contrib.auth import views as auth_views
from django.urls import path

from langso.accounts import log_views, two_factor_views, views

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password-change-done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user-unlock"),
    path("users/<int:pk>/password/", views.user_password_reset, name="user-password-reset"),
    path(
        "users/<int:pk>/two-factor/reset/",
        two_factor_views.user_reset,
        name="user-two-factor-reset",
    ),
    path("two-factor/", two_factor_views.setup, name="two-factor-setup"),
    path("two-factor/code/", two_factor_views.verify, name="two-factor-verify"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role-revoke"),
    path("audit/", log_views.audit_list, name="audit-list"),
]
