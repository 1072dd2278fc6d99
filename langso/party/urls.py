from django.urls import path

from langso.party.views import (
    admission,
    documents,
    fees,
    meetings,
    members,
    organisations,
    ratings,
    usage,
)

app_name = "party"
urlpatterns = [
    path("", organisations.home, name="home"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation-detail"),
    path("organisations/<int:pk>/admit/", members.member_admit, name="member-admit"),
    path("organisations/<int:pk>/meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("organisations/<int:pk>/admission/", admission.admission, name="admission"),
    path(
        "organisations/<int:pk>/admission/target/",
        admission.admission_target,
        name="admission-target",
    ),
    path("organisations/<int:pk>/candidates/", admission.candidate_create, name="candidate-create"),
    path("organisations/<int:pk>/ratings/", ratings.ratings, name="ratings"),
    path(
        "organisations/<int:pk>/ratings/<str:kind>/<int:subject_pk>/",
        ratings.rating_record,
        name="rating-record",
    ),
    path("organisations/<int:pk>/fees/", fees.fees, name="fees"),
    path("organisations/<int:pk>/fees/open/", fees.fees_open, name="fees-open"),
    path("organisations/<int:pk>/statistics/", usage.statistics, name="statistics"),
    path("organisations/<int:pk>/usage/", usage.usage, name="usage"),
    path("candidates/<int:pk>/advance/", admission.candidate_advance, name="candidate-advance"),
    path("fees/<int:pk>/pay/", fees.fee_pay, name="fee-pay"),
    path("members/<int:pk>/", members.member_detail, name="member-detail"),
    path("members/<int:pk>/edit/", members.member_edit, name="member-edit"),
    path("members/<int:pk>/confirm/", members.member_confirm, name="member-confirm"),
    path("members/<int:pk>/transfer/", members.member_transfer, name="member-transfer"),
    path("members/<int:pk>/end/", members.member_end, name="member-end"),
    path("members/<int:pk>/account/", members.member_account, name="member-account"),
    path("members/<int:pk>/self-assessment/", ratings.member_self_assess, name="self-assessment"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/respond/", meetings.meeting_respond, name="meeting-respond"),
    path("meetings/<int:pk>/record/", meetings.meeting_record, name="meeting-record"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting-cancel"),
    path("meetings/<int:pk>/inform/", meetings.meeting_inform, name="meeting-inform"),
    path(
        "invitations/<int:pk>/informed/", meetings.invitation_informed, name="invitation-informed"
    ),
    path("documents/", documents.document_list, name="document-list"),
    path("documents/new/", documents.document_create, name="document-create"),
    path("documents/<int:pk>/", documents.document_detail, name="document-detail"),
    path("documents/<int:pk>/file/", documents.document_file, name="document-file"),
    path("documents/<int:pk>/answer/", documents.document_answer, name="document-answer"),
    path("documents/<int:pk>/questions/new/", documents.question_create, name="question-create"),
]
