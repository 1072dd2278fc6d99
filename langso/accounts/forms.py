from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.accounts.actions import set_own_password
from langso.accounts.models import User
from langso.accounts.roles import ROLE_UNIT_KINDS, Role
from langso.lib.forms import DateField, NameField, PhoneField
from langso.places.forms import UnitChoiceField
from langso.places.models import Unit


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text=_("Letters, digits and . @ + - _ only, without spaces."),
    )
    full_name = NameField(label=_("Full name"), max_length=150)
    phone = PhoneField(label=_("Phone"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is already taken."))
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password"):
            candidate = User(
                username=cleaned.get("username", ""), full_name=cleaned.get("full_name", "")
            )
            try:
                password_validation.validate_password(cleaned["password"], candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class GrantRoleForm(forms.Form):
    """A role at a unit; the unit list is the granter's own subtree, passed in."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean(self):
        cleaned = super().clean()
        role, unit = cleaned.get("role"), cleaned.get("unit")
        if role and unit and unit.kind not in ROLE_UNIT_KINDS[Role(role)]:
            self.add_error(
                "unit",
                _("The role “%(role)s” cannot be held at a %(kind)s.")
                % {"role": Role(role).label, "kind": unit.get_kind_display().lower()},
            )
        return cleaned


class AuditFilterForm(forms.Form):
    """The filters of the audit log page: all optional, all kept in the address."""

    person = forms.CharField(label=_("Person or object"), required=False, max_length=100)
    user = forms.CharField(label=_("Account"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = DateField(label=_("From"), required=False)
    until = DateField(label=_("To"), required=False)

    ACTIONS = [
        ("", _("All actions")),
        ("read.", _("Personal data seen")),
        ("export.", _("Exports")),
        ("registry.", _("Records of residents and households")),
        ("reports.", _("Lists and elections")),
        ("notices.", _("Notices")),
        ("party.", _("Party handbook")),
        ("unit.", _("Hamlets and groups")),
        ("user.", _("Accounts")),
        ("role.", _("Roles")),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = self.ACTIONS

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def filter(self, entries):
        """`entries` narrowed by the valid filters (all of them when the form is unbound)."""
        if not self.is_bound or not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["person"]:
            entries = entries.filter(target_repr__icontains=data["person"])
        if data["user"]:
            entries = entries.filter(
                Q(actor__username__icontains=data["user"])
                | Q(actor__full_name__icontains=data["user"])
            )
        if data["action"]:
            entries = entries.filter(verb__startswith=data["action"])
        zone = timezone.get_current_timezone()
        if data["since"]:
            start = datetime.combine(data["since"], time.min, tzinfo=zone)
            entries = entries.filter(at__gte=start)
        if data["until"]:
            end = datetime.combine(data["until"] + timedelta(days=1), time.min, tzinfo=zone)
            entries = entries.filter(at__lt=end)
        return entries


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's change form, writing through the action (audit row, temporary flag off)."""

    def save(self, commit=True):
        set_own_password(self.user, self.cleaned_data["new_password1"], how="change")
        return self.user


class EmailSetPasswordForm(SetPasswordForm):
    """The new password chosen from an e-mailed link."""

    def save(self, commit=True):
        set_own_password(self.user, self.cleaned_data["new_password1"], how="email")
        return self.user
