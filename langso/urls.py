from django.contrib import admin
from django.urls import include, path

from langso.home import views as home_views
from langso.notices.urls import public_urlpatterns

urlpatterns = [
    path("", home_views.home, name="home"),
    path("accounts/", include("langso.accounts.urls")),
    path("units/", include("langso.registry.unit_urls")),
    path("registry/", include("langso.registry.urls")),
    path("reports/", include("langso.reports.urls")),
    path("party/", include("langso.party.urls")),
    path("notices/", include("langso.notices.urls")),
    path("associations/", include("langso.associations.urls")),
    path("public/", include((public_urlpatterns, "public"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
