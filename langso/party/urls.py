from django.urls import path

from langso.party import views

app_name = "party"
urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path("organisations/<int:pk>/admit/", views.member_admit, name="member-admit"),
    path("organisations/<int:pk>/meetings/new/", views.meeting_create, name="meeting-create"),
    path("organisations/<int:pk>/admission/", views.admission, name="admission"),
    path(
        "organisations/<int:pk>/admission/target/", views.admission_target, name="admission-target"
    ),
    path("organisations/<int:pk>/candidates/", views.candidate_create, name="candidate-create"),
    path("organisations/<int:pk>/ratings/", views.ratings, name="ratings"),
    path(
        "organisations/<int:pk>/ratings/<str:kind>/<int:subject_pk>/",
        views.rating_record,
        name="rating-record",
    ),
    path("organisations/<int:pk>/fees/", views.fees, name="fees"),
    path("organisations/<int:pk>/fees/open/", views.fees_open, name="fees-open"),
    path("organisations/<int:pk>/statistics/", views.statistics, name="statistics"),
    path("organisations/<int:pk>/usage/", views.usage, name="usage"),
    path("candidates/<int:pk>/advance/", views.candidate_advance, name="candidate-advance"),
    path("fees/<int:pk>/pay/", views.fee_pay, name="fee-pay"),
    path("members/<int:pk>/", views.member_detail, name="member-detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member-edit"),
    path("members/<int:pk>/confirm/", views.member_confirm, name="member-confirm"),
    path("members/<int:pk>/transfer/", views.member_transfer, name="member-transfer"),
    path("members/<int:pk>/end/", views.member_end, name="member-end"),
    path("members/<int:pk>/account/", views.member_account, name="member-account"),
    path("members/<int:pk>/self-assessment/", views.member_self_assess, name="self-assessment"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/respond/", views.meeting_respond, name="meeting-respond"),
    path("meetings/<int:pk>/record/", views.meeting_record, name="meeting-record"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting-cancel"),
    path("meetings/<int:pk>/inform/", views.meeting_inform, name="meeting-inform"),
    path("invitations/<int:pk>/informed/", views.invitation_informed, name="invitation-informed"),
    path("documents/", views.document_list, name="document-list"),
    path("documents/new/", views.document_create, name="document-create"),
    path("documents/<int:pk>/", views.document_detail, name="document-detail"),
    path("documents/<int:pk>/file/", views.document_file, name="document-file"),
    path("documents/<int:pk>/answer/", views.document_answer, name="document-answer"),
    path("documents/<int:pk>/questions/new/", views.question_create, name="question-create"),
]
