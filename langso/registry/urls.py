from django.urls import path

from langso.registry import views

app_name = "registry"
urlpatterns = [
    path("households/<int:pk>/", views.household_detail, name="household-detail"),
]
