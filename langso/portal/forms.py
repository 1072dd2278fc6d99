from django import forms
from django.utils.translation import gettext_lazy as _

from langso.lib.forms import MomentField, NameField
from langso.notices.forms import AttachmentsField
from langso.portal.models import Category, Site


class ArticleForm(forms.Form):
    title = NameField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=400,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences shown in lists and in links shared on Zalo."),
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown: **bold**, *italic*, lists with “- ”, links as [text](https://…)."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    new_category = NameField(label=_("Or a new category"), max_length=100, required=False)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text=_(
            "JPEG, PNG, WebP or a phone photo; it is resized and its location data removed."
        ),
    )
    image_alt = forms.CharField(
        label=_("What the photo shows"),
        max_length=200,
        required=False,
        help_text=_("Read aloud to people who cannot see the photo."),
    )
    attachments = AttachmentsField(label=_("Attachments"), required=False)

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(commune=commune)


class PublishForm(forms.Form):
    at = MomentField(
        label=_("Publish at"),
        required=False,
        help_text=_("Leave empty to publish now."),
    )


class SiteForm(forms.ModelForm):
    banner_upload = forms.FileField(
        label=_("Banner photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    class Meta:
        model = Site
        fields = ["tagline", "address", "phone", "email", "office_hours", "contacts", "banner_alt"]
        widgets = {
            "office_hours": forms.Textarea(attrs={"rows": 3}),
            "contacts": forms.Textarea(attrs={"rows": 5}),
        }
