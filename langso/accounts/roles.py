"""Roles and what each may do. The policy lives here and nowhere else (design.md principle 2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMUNE_ADMIN = "commune_admin", _("Commune administrator")
    COMMUNE_OFFICIAL = "commune_official", _("Commune official")
    HAMLET_HEAD = "hamlet_head", _("Hamlet head")
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    CELL_SECRETARY = "cell_secretary", _("Party cell secretary")
    PARTY_MEMBER = "party_member", _("Party member")
    ASSOCIATION_LEADER = "association_leader", _("Association leader")
    VIEWER = "viewer", _("Viewer")
    # Added for the residents' side (poverty, feedback, campaigns, associations, portal).
    COMMUNE_LEADER = "commune_leader", _("Commune leader (chairperson, deputy)")
    LABOUR_OFFICER = "labour_officer", _("Labour–social affairs officer")
    BRANCH_HEAD = "branch_head", _("Association branch head")
    EDITOR = "editor", _("News editor")


class Capability(models.TextChoices):
    VIEW_UNITS = "view_units", _("see units and their figures")
    VIEW_RESIDENTS = "view_residents", _("see households and residents")
    EDIT_RESIDENTS = "edit_residents", _("record households and residents")
    VIEW_ID_NUMBERS = "view_id_numbers", _("see ID numbers unmasked")
    MANAGE_UNITS = "manage_units", _("create, rename, merge and retire hamlets and groups")
    GRANT_ROLES = "grant_roles", _("grant and revoke roles")
    VIEW_PARTY = "view_party", _("see party data")
    SEND_NOTICES = "send_notices", _("send notices to residents")
    VIEW_POVERTY = "view_poverty", _("see poverty status, incomes and surveys")
    SURVEY_POVERTY = "survey_poverty", _("survey households and run the poverty review")
    RECOGNISE_POVERTY = "recognise_poverty", _("sign the poverty recognition decision")
    SET_POVERTY_STANDARDS = (
        "set_poverty_standards",
        _("correct the poverty standards' figures and set a commune rural or urban"),
    )
    HANDLE_FEEDBACK = "handle_feedback", _("receive, assign and answer residents' feedback")
    MANAGE_CAMPAIGNS = "manage_campaigns", _("run community campaigns and their ledgers")
    MANAGE_ASSOCIATIONS = "manage_associations", _("manage associations, branches and members")
    VIEW_ASSOCIATIONS = "view_associations", _("see associations and their members")
    PUBLISH_NEWS = "publish_news", _("write and publish the commune's news")


C = Capability
# Keyed by Role; a role read from the database is its plain text value, which finds the
# same entry (a Role is a str).
CAPABILITIES: dict[str, set[Capability]] = {
    Role.COMMUNE_ADMIN: {
        C.VIEW_UNITS,
        C.VIEW_RESIDENTS,
        C.EDIT_RESIDENTS,
        C.VIEW_ID_NUMBERS,
        C.MANAGE_UNITS,
        C.GRANT_ROLES,
        C.SEND_NOTICES,
        C.HANDLE_FEEDBACK,
        C.MANAGE_CAMPAIGNS,
        C.VIEW_ASSOCIATIONS,
        C.PUBLISH_NEWS,
        C.SET_POVERTY_STANDARDS,
    },
    Role.COMMUNE_OFFICIAL: {
        C.VIEW_UNITS,
        C.VIEW_RESIDENTS,
        C.EDIT_RESIDENTS,
        C.VIEW_ID_NUMBERS,
        C.MANAGE_UNITS,
        C.SEND_NOTICES,
        C.HANDLE_FEEDBACK,
        C.MANAGE_CAMPAIGNS,
        C.VIEW_ASSOCIATIONS,
    },
    Role.HAMLET_HEAD: {
        C.VIEW_UNITS,
        C.VIEW_RESIDENTS,
        C.EDIT_RESIDENTS,
        C.VIEW_ID_NUMBERS,
        C.SEND_NOTICES,
        C.VIEW_POVERTY,
        C.SURVEY_POVERTY,
        C.HANDLE_FEEDBACK,
        C.MANAGE_CAMPAIGNS,
    },
    Role.PARTY_COMMITTEE: {C.VIEW_UNITS, C.VIEW_PARTY, C.VIEW_ASSOCIATIONS},
    Role.CELL_SECRETARY: {C.VIEW_UNITS, C.VIEW_PARTY},
    Role.PARTY_MEMBER: {C.VIEW_PARTY},
    Role.ASSOCIATION_LEADER: {C.VIEW_UNITS, C.MANAGE_ASSOCIATIONS, C.VIEW_ASSOCIATIONS},
    Role.VIEWER: {C.VIEW_UNITS, C.VIEW_RESIDENTS},
    Role.COMMUNE_LEADER: {
        C.VIEW_UNITS,
        C.VIEW_RESIDENTS,
        C.VIEW_POVERTY,
        C.RECOGNISE_POVERTY,
        C.HANDLE_FEEDBACK,
        C.VIEW_ASSOCIATIONS,
    },
    Role.LABOUR_OFFICER: {
        C.VIEW_UNITS,
        C.VIEW_RESIDENTS,
        C.VIEW_ID_NUMBERS,
        C.VIEW_POVERTY,
        C.SURVEY_POVERTY,
    },
    Role.BRANCH_HEAD: {C.VIEW_UNITS, C.MANAGE_ASSOCIATIONS, C.VIEW_ASSOCIATIONS},
    Role.EDITOR: {C.VIEW_UNITS, C.PUBLISH_NEWS},
}

# The kinds of unit at which each role makes sense; granting elsewhere is refused.
ROLE_UNIT_KINDS = {
    Role.COMMUNE_ADMIN: {"province", "commune"},
    Role.COMMUNE_OFFICIAL: {"province", "commune"},
    Role.HAMLET_HEAD: {"hamlet", "group"},
    Role.PARTY_COMMITTEE: {"province", "commune"},
    Role.CELL_SECRETARY: {"hamlet", "commune"},
    Role.PARTY_MEMBER: {"hamlet", "commune"},
    Role.ASSOCIATION_LEADER: {"commune", "hamlet"},
    Role.VIEWER: {"province", "commune", "hamlet", "group"},
    Role.COMMUNE_LEADER: {"province", "commune"},
    Role.LABOUR_OFFICER: {"province", "commune"},
    Role.BRANCH_HEAD: {"hamlet", "commune"},
    Role.EDITOR: {"commune"},
}


def roles_with(capability):
    return [role for role, caps in CAPABILITIES.items() if capability in caps]
