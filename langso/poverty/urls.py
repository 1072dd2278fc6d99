from django.urls import path

from langso.poverty import views

app_name = "poverty"

urlpatterns = [
    path("", views.home, name="home"),
    path("unit/<int:pk>/", views.unit, name="unit"),
    path("unit/<int:pk>/target/", views.target_set, name="target-set"),
    path("unit/<int:pk>/review/", views.review_open, name="review-open"),
    path("unit/<int:pk>/support/", views.support_list, name="support-list"),
    path("household/<int:pk>/", views.household, name="household"),
    path("household/<int:pk>/survey/", views.survey_create, name="survey-create"),
    path("household/<int:pk>/support/", views.support_add, name="support-add"),
    path("household/<int:pk>/adhoc/", views.adhoc_open, name="adhoc-open"),
    path("survey/<int:pk>/", views.survey_detail, name="survey"),
    path("review/<int:pk>/", views.review_detail, name="review"),
    path("review/<int:pk>/entry/", views.entry_add, name="entry-add"),
    path("review/<int:pk>/hamlet/<int:hamlet_pk>/meeting/", views.meeting, name="meeting"),
    path(
        "review/<int:pk>/hamlet/<int:hamlet_pk>/surveyor/",
        views.surveyor_assign,
        name="surveyor-assign",
    ),
    path("review/<int:pk>/posting/", views.posting_start, name="posting-start"),
    path("review/<int:pk>/posting/print/", views.posting_print, name="posting-print"),
    path("review/<int:pk>/recognise/", views.recognise, name="recognise"),
    path("review/<int:pk>/export/<str:what>.<str:fmt>", views.export, name="export"),
    path("review/<int:pk>/announce/", views.announce, name="announce"),
    path("standards/", views.standards, name="standards"),
    path("standards/<int:pk>/", views.standard_edit, name="standard"),
    path("standards/<int:pk>/indicator/", views.indicator_add, name="indicator-add"),
    path("indicator/<int:pk>/", views.indicator_edit, name="indicator-edit"),
    path("unit/<int:pk>/area/", views.area_set, name="area-set"),
    path("entry/<int:pk>/complaint/", views.complaint_add, name="complaint-add"),
    path("complaint/<int:pk>/resolve/", views.complaint_resolve, name="complaint-resolve"),
]

public_urlpatterns = [
    path("", views.home, name="home"),
    path("<str:code>/poverty/", views.public_posting, name="public-poverty"),
]
