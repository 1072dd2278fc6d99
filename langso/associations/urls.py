from django.urls import path

from langso.associations.views import activities, exports, members, money, organisations

app_name = "associations"
urlpatterns = [
    path("", organisations.home, name="home"),
    path("mine/", organisations.mine, name="mine"),
    path("<int:pk>/", organisations.organisation_detail, name="organisation-detail"),
    path("<int:pk>/target/", organisations.target_set, name="target-set"),
    path("<int:pk>/dues-rate/", organisations.dues_rate_set, name="dues-rate-set"),
    path("<int:pk>/dues/", money.dues_list, name="dues"),
    path("<int:pk>/dues-account/", organisations.dues_account_set, name="dues-account-set"),
    path("<int:pk>/dues.<str:fmt>", exports.organisation_dues, name="dues-export"),
    path("<int:pk>/activities/new/", activities.activity_create, name="activity-create"),
    path("branches/<int:pk>/", organisations.branch_detail, name="branch-detail"),
    path("branches/<int:pk>/add/", members.member_add, name="member-add"),
    path(
        "branches/<int:pk>/activities/new/",
        activities.branch_activity_create,
        name="branch-activity-create",
    ),
    path("branches/<int:pk>/members.<str:fmt>", exports.branch_members, name="branch-export"),
    path("members/<int:pk>/", members.member_detail, name="member-detail"),
    path("members/<int:pk>/end/", members.member_end, name="member-end"),
    path("members/<int:pk>/move/", members.member_move, name="member-move"),
    path("members/<int:pk>/dues/", money.dues_pay, name="dues-pay"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/attendance/", activities.activity_attendance, name="attendance"),
    path("activities/<int:pk>/photos/", activities.activity_photo, name="photo-add"),
    path("activities/<int:pk>/photos/<int:photo_pk>/", activities.photo_file, name="photo"),
    path("funds/<int:pk>/", money.fund_detail, name="fund-detail"),
    path("funds/<int:pk>/lend/", money.loan_create, name="loan-create"),
    path("loans/<int:pk>/", money.loan_detail, name="loan-detail"),
    path("loans/<int:pk>/repay/", money.loan_repay, name="loan-repay"),
    path("loans/<int:pk>/statement.<str:fmt>", exports.loan_statement, name="loan-export"),
]
