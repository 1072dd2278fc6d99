from django.contrib import admin
from django.urls import include, path

from langso.campaigns.urls import public_urlpatterns as campaign_public_urlpatterns
from langso.feedback.urls import open311_urlpatterns
from langso.feedback.urls import public_urlpatterns as feedback_public_urlpatterns
from langso.home import views as home_views
from langso.notices.urls import public_urlpatterns
from langso.poverty.urls import public_urlpatterns as poverty_public

urlpatterns = [
    path("", home_views.home, name="home"),
    path("accounts/", include("langso.accounts.urls")),
    path("units/", include("langso.registry.unit_urls")),
    path("registry/", include("langso.registry.urls")),
    path("reports/", include("langso.reports.urls")),
    path("party/", include("langso.party.urls")),
    path("notices/", include("langso.notices.urls")),
    path("associations/", include("langso.associations.urls")),
    path("campaigns/", include("langso.campaigns.urls")),
    path("feedback/", include("langso.feedback.urls")),
    path("poverty/", include("langso.poverty.urls")),
    path(
        "public/",
        include(
            (
                public_urlpatterns
                + campaign_public_urlpatterns
                + feedback_public_urlpatterns
                + poverty_public,
                "public",
            )
        ),
    ),
    path("open311/v2/", include((open311_urlpatterns, "open311"))),
    path("", include("langso.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "langso.portal.errors.bad_request"
handler403 = "langso.portal.errors.permission_denied"
handler404 = "langso.portal.errors.page_not_found"
handler500 = "langso.portal.errors.server_error"
