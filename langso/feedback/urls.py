from django.urls import path

from langso.feedback.views import dashboard, handling, open311
from langso.feedback.views import public as public_views

app_name = "feedback"
urlpatterns = [
    path("", handling.report_list, name="report-list"),
    path("mine/", handling.report_mine, name="report-mine"),
    path("new/", handling.report_create, name="report-create"),
    path("<int:pk>/", handling.report_detail, name="report-detail"),
    path("<int:pk>/assign/", handling.report_assign, name="report-assign"),
    path("<int:pk>/start/", handling.report_start, name="report-start"),
    path("<int:pk>/note/", handling.report_note, name="report-note"),
    path("<int:pk>/answer/", handling.report_answer, name="report-answer"),
    path("<int:pk>/close/", handling.report_close, name="report-close"),
    path("<int:pk>/decline/", handling.report_decline, name="report-decline"),
    path("<int:pk>/reopen/", handling.report_reopen, name="report-reopen"),
    path("photos/<int:pk>/", handling.photo, name="photo"),
    path("dashboard/<int:unit_pk>/", dashboard.dashboard, name="dashboard"),
    path("dashboard/<int:unit_pk>/overdue/", dashboard.overdue, name="dashboard-overdue"),
    path(
        "dashboard/<int:unit_pk>/summary/<int:year>/<int:month>.<str:format>",
        dashboard.summary,
        name="summary",
    ),
]

public_urlpatterns = [
    path("<str:code>/feedback/", public_views.answers, name="feedback-answers"),
    path("<str:code>/feedback/new/", public_views.report_new, name="feedback-new"),
    path("<str:code>/feedback/track/", public_views.track_lookup, name="feedback-lookup"),
    path("<str:code>/feedback/track/<str:tracking>/", public_views.track, name="feedback-track"),
    path(
        "<str:code>/feedback/track/<str:tracking>/reopen/",
        public_views.track_reopen,
        name="feedback-reopen",
    ),
    path(
        "<str:code>/feedback/track/<str:tracking>/rate/",
        public_views.track_rate,
        name="feedback-rate",
    ),
    path(
        "<str:code>/feedback/track/<str:tracking>/photos/<int:pk>/",
        public_views.tracked_photo,
        name="feedback-tracked-photo",
    ),
    path("<str:code>/feedback/photos/<int:pk>/", public_views.public_photo, name="feedback-photo"),
]

open311_urlpatterns = [
    path("services.json", open311.services, name="services"),
    path("services/<str:service_code>.json", open311.service_definition, name="service"),
    path("requests.json", open311.requests, name="requests"),
    path("requests/<str:request_id>.json", open311.request_detail, name="request"),
]
