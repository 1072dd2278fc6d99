from django.urls import path

from langso.notices import loudspeaker_views, views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="notice-list"),
    path("new/", views.notice_create, name="notice-create"),
    path("inbox/", views.inbox, name="inbox"),
    path("relay/", views.relay_list, name="relay-list"),
    path("relay/<int:pk>/", views.relay, name="relay"),
    path("<int:pk>/", views.notice_detail, name="notice-detail"),
    path("<int:pk>/send/", views.notice_send, name="notice-send"),
    path("<int:pk>/in-person/", views.in_person, name="in-person"),
    path("told/<int:pk>/", views.told, name="told"),
    path("<int:pk>/in-person/<str:key>/told/", views.household_told, name="household-told"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("reach/<int:pk>/", views.reach_edit, name="reach-edit"),
    path("receipts/sms/", views.sms_receipt, name="sms-receipt"),
    path("receipts/zalo/", views.zalo_receipt, name="zalo-receipt"),
    path("<int:pk>/audio/", loudspeaker_views.notice_audio, name="notice-audio"),
    path("<int:pk>/recording/", loudspeaker_views.notice_recording, name="notice-recording"),
    path("<int:pk>/speak/", loudspeaker_views.notice_speak, name="notice-speak"),
    path("loudspeakers/", loudspeaker_views.loudspeaker_list, name="loudspeaker-list"),
    path("loudspeakers/<int:pk>/", loudspeaker_views.loudspeaker_edit, name="loudspeaker-edit"),
    path("receipts/loudspeakers/", loudspeaker_views.loudspeaker_report, name="loudspeaker-report"),
]

public_urlpatterns = [
    path("<str:code>/notices/", views.public_notices, name="public-notices"),
]
