from django.urls import path

from langso.campaigns import fee_views, manage_views, public_views, views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="campaign-list"),
    path("new/", views.campaign_create, name="campaign-create"),
    path("<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("<int:pk>/balance/", views.balance, name="balance"),
    path("<int:pk>/edit/", manage_views.campaign_edit, name="campaign-edit"),
    path("<int:pk>/committee/", manage_views.committee, name="committee"),
    path(
        "<int:pk>/committee/<int:member_pk>/remove/",
        manage_views.committee_remove,
        name="committee-remove",
    ),
    path("<int:pk>/exemptions/", manage_views.exemptions, name="exemptions"),
    path(
        "<int:pk>/exemptions/<int:household_pk>/lift/",
        manage_views.exemption_lift,
        name="exemption-lift",
    ),
    path("<int:pk>/pledge/", views.pledge_create, name="pledge-create"),
    path("<int:pk>/give/", views.contribution_create, name="contribution-create"),
    path("<int:pk>/expense/", views.expense_create, name="expense-create"),
    path("<int:pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/photos/", views.photo_add, name="photo-add"),
    path("<int:pk>/statement/", views.statement_upload, name="statement-upload"),
    path(
        "<int:pk>/households/<int:household_pk>/",
        views.household_detail,
        name="household-detail",
    ),
    path("pledges/<int:pk>/", views.pledge_detail, name="pledge-detail"),
    path("pledges/<int:pk>/cancel/", manage_views.pledge_cancel, name="pledge-cancel"),
    path("entries/<int:pk>/reverse/", views.entry_reverse, name="entry-reverse"),
    path("entries/<int:pk>/document/", views.entry_document, name="entry-document"),
    path("entries/<int:pk>/receipt/", views.receipt_pdf, name="receipt"),
    path("entries/<int:pk>/minutes/", views.minutes_pdf, name="minutes"),
    path("statements/<int:pk>/", views.statement_preview, name="statement-preview"),
    path("unmatched/<int:pk>/match/", views.unmatched_match, name="unmatched-match"),
    path("party-fee/", fee_views.my_fee, name="my-fee"),
    path("party-fees/<int:pk>/", fee_views.cell_fees, name="cell-fees"),
    path("party-fees/<int:pk>/statement/", fee_views.cell_fee_statement, name="cell-fee-statement"),
    path(
        "party-fees/transfers/<int:pk>/match/",
        fee_views.fee_transfer_match,
        name="fee-transfer-match",
    ),
]

# Mounted under the "public" namespace by langso/urls.py.
public_urlpatterns = [
    path("<str:code>/campaigns/", public_views.campaign_list, name="public-campaigns"),
    path(
        "<str:code>/campaigns/<int:pk>/",
        public_views.campaign_detail,
        name="public-campaign",
    ),
    path(
        "<str:code>/campaigns/<int:pk>/ledger.pdf",
        public_views.campaign_pdf,
        name="public-campaign-pdf",
    ),
    path(
        "<str:code>/campaigns/<int:pk>/ledger.xlsx",
        public_views.campaign_xlsx,
        name="public-campaign-xlsx",
    ),
    path(
        "<str:code>/campaigns/<int:pk>/pledge/",
        public_views.donor_pledge,
        name="public-campaign-donor",
    ),
    path(
        "<str:code>/campaigns/<int:pk>/pledge/<int:pledge_pk>/",
        public_views.donor_pledge_detail,
        name="public-campaign-donor-pledge",
    ),
    path(
        "<str:code>/campaigns/<int:pk>/documents/<int:entry_pk>/",
        public_views.expense_document,
        name="public-campaign-document",
    ),
    path(
        "<str:code>/campaigns/<int:pk>/photos/<int:photo_pk>/",
        public_views.photo,
        name="public-campaign-photo",
    ),
]
