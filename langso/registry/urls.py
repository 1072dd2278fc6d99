from django.urls import path

from langso.registry import views

app_name = "registry"
urlpatterns = [
    path("people/", views.person_list, name="person-list"),
    path("people/export/", views.person_export, name="person-export"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/data/", views.person_data_report, name="person-data-report"),
    path(
        "people/<int:pk>/immunisations/new/",
        views.person_add_fact,
        {"kind": "immunisation"},
        name="immunisation-add",
    ),
    path(
        "people/<int:pk>/benefits/new/",
        views.person_add_fact,
        {"kind": "benefit"},
        name="benefit-add",
    ),
    path(
        "people/<int:pk>/withdraw-death/",
        views.person_withdraw_death,
        name="withdraw-death",
    ),
    path("people/<int:pk>/<slug:kind>/", views.person_event, name="person-event"),
    path("households/<int:pk>/", views.household_detail, name="household-detail"),
    path("households/<int:pk>/birth/", views.household_add, {"kind": "birth"}, name="birth"),
    path("households/<int:pk>/move-in/", views.household_add, {"kind": "move-in"}, name="move-in"),
    path("households/<int:pk>/head/", views.household_change_head, name="change-head"),
    path("households/<int:pk>/split/", views.household_split, name="split"),
    path("households/<int:pk>/move-out/", views.household_move_out, name="household-move-out"),
    path("units/<int:unit_pk>/households/new/", views.household_create, name="household-create"),
    path("imports/new/", views.import_create, name="import-create"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/commit/", views.import_commit, name="import-commit"),
    path("duplicates/", views.duplicate_list, name="duplicate-list"),
    path("duplicates/<int:pk>/", views.duplicate_resolve, name="duplicate-resolve"),
]
