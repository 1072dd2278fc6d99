from django.urls import path

from langso.reports import views

app_name = "reports"
urlpatterns = [
    path("lists/<slug:kind>/", views.list_view, name="list"),
    path("exports/<int:pk>/", views.export_detail, name="export"),
    path("units/<int:pk>/", views.indicators, name="indicators"),
    path("elections/", views.elections, name="elections"),
    path("elections/new/", views.election_create, name="election-create"),
    path(
        "elections/<int:election_pk>/communes/<int:commune_pk>/",
        views.polling_areas,
        name="polling-areas",
    ),
    path("polling-areas/<int:pk>/", views.polling_area, name="polling-area"),
    path("people/<int:pk>/military/", views.person_record, {"kind": "military"}, name="military"),
    path(
        "people/<int:pk>/voter-exclusion/",
        views.person_record,
        {"kind": "exclusion"},
        name="voter-exclusion",
    ),
]
