from langso.accounts.access import has_capability
from langso.accounts.roles import Capability
from langso.associations.access import has_access as has_association_access
from langso.notices.access import may_send, unread_count, waiting_relays
from langso.party.access import has_party_access, own_member


def navigation(request):
    """What the navigation may show: only what the user's roles allow."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "htmx", False):
        # htmx swaps in fragments (search results, progress bars) that show no menu.
        return {}
    sends = may_send(user)
    return {
        "nav": {
            "residents": has_capability(user, Capability.VIEW_RESIDENTS),
            "edit_residents": has_capability(user, Capability.EDIT_RESIDENTS),
            "users": has_capability(user, Capability.GRANT_ROLES),
            "party": has_party_access(user),
            "poverty": has_capability(user, Capability.VIEW_POVERTY),
            "campaigns": has_capability(user, Capability.MANAGE_CAMPAIGNS)
            or has_capability(user, Capability.VIEW_RESIDENTS),
            "party_fee": own_member(user) is not None,
            "associations": has_association_access(user),
            "notices": sends,
            # Counted on every page: only for those whose menu shows them.
            "to_relay": sends and waiting_relays(user).count(),
            "unread": unread_count(user),
            "admin": user.is_superuser,
            "news": has_capability(user, Capability.PUBLISH_NEWS),
        }
    }
