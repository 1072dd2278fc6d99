from django.urls import path

from langso.registry import unit_views as views

app_name = "units"
urlpatterns = [
    path("<int:pk>/", views.unit_detail, name="unit-detail"),
    path("<int:pk>/new/", views.unit_create, name="unit-create"),
    path("<int:pk>/rename/", views.unit_rename, name="unit-rename"),
    path("<int:pk>/merge/", views.unit_merge, name="unit-merge"),
    path("<int:pk>/retire/", views.unit_retire, name="unit-retire"),
]
