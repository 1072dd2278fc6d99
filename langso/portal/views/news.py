"""The editor's pages: write, preview, publish, schedule and withdraw the commune's news."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.portal import access, actions
from langso.portal.forms import ArticleForm, PublishForm, SiteForm
from langso.portal.text import render_markdown


@login_required
def article_list(request):
    communes = list(access.news_communes_for_user(request.user))
    articles = access.articles_for_user(request.user).order_by("-updated_at")[:200]
    return render(request, "portal/article_list.html", {"articles": articles, "communes": communes})


def _save(request, form, commune, article):
    data = form.cleaned_data
    category = data["category"]
    if data.get("new_category"):
        category = actions.add_category(
            commune, acting_user=request.user, name=data["new_category"]
        )
    return actions.save_article(
        article,
        acting_user=request.user,
        commune=commune,
        title=data["title"],
        summary=data["summary"],
        body=data["body"],
        category=category,
        image_alt=data["image_alt"],
        photo=data["photo"] or None,
        attachments=data["attachments"] or [],
    )


def _edit(request, commune, article):
    initial = {}
    if article is not None:
        initial = {
            "title": article.title,
            "summary": article.summary,
            "body": article.body,
            "category": article.category_id,
            "image_alt": article.image_alt,
        }
    form = ArticleForm(
        request.POST or None, request.FILES or None, initial=initial, commune=commune
    )
    preview = None
    if request.method == "POST" and "preview" in request.POST:
        # The preview button (without JavaScript) shows the page again with the text rendered.
        preview = render_markdown(request.POST.get("body", ""))
    elif request.method == "POST" and form.is_valid():
        try:
            article = _save(request, form, commune, article)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The article was saved."))
            return redirect("portal:article-edit", article.pk)
    return render(
        request,
        "portal/article_form.html",
        {
            "form": form,
            "article": article,
            "commune": commune,
            "preview": preview,
            "publish_form": PublishForm(),
        },
    )


@login_required
def article_create(request, commune_pk):
    commune = access.get_commune_for_news(request.user, commune_pk)
    return _edit(request, commune, None)


@login_required
def article_edit(request, pk):
    article = access.get_article_for_user(request.user, pk)
    return _edit(request, article.commune, article)


@login_required
@require_POST
def preview(request, commune_pk):
    """The live preview: htmx posts the text as it is typed and swaps in the result."""
    access.get_commune_for_news(request.user, commune_pk)
    return render(
        request, "portal/_preview.html", {"preview": render_markdown(request.POST.get("body", ""))}
    )


@login_required
@require_POST
def article_publish(request, pk):
    article = access.get_article_for_user(request.user, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type the date as dd/mm/yyyy, for example 05/02/2026."))
        return redirect("portal:article-edit", article.pk)
    actions.publish_article(article, acting_user=request.user, at=form.cleaned_data["at"])
    if article.is_published():
        messages.success(request, _("The article is published."))
    else:
        messages.success(
            request,
            _("The article will be published on %(when)s.")
            % {"when": article.publish_at.astimezone().strftime("%d/%m/%Y %H:%M")},
        )
    return redirect("portal:article-edit", article.pk)


@login_required
@require_POST
def article_unpublish(request, pk):
    article = access.get_article_for_user(request.user, pk)
    actions.unpublish_article(article, acting_user=request.user)
    messages.success(request, _("The article was taken off the site."))
    return redirect("portal:article-edit", article.pk)


@login_required
@require_POST
def attachment_remove(request, pk):
    item = access.get_attachment_for_user(request.user, pk)
    article = item.article
    actions.remove_attachment(item, acting_user=request.user)
    messages.success(request, _("The attachment was removed."))
    return redirect("portal:article-edit", article.pk)


@login_required
def site_edit(request, commune_pk):
    site = access.get_site_for_user(request.user, commune_pk)
    # Not bound to `site`: the action compares the old values with the new for the audit.
    initial = model_to_dict(site, fields=actions.SITE_FIELDS)
    form = SiteForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in actions.SITE_FIELDS}
        try:
            actions.save_site(
                site,
                acting_user=request.user,
                banner=form.cleaned_data["banner_upload"] or None,
                **data,
            )
        except ValidationError as error:
            form.add_error("banner_upload", error)
        else:
            messages.success(request, _("The commune's contacts were saved."))
            return redirect("portal:home", site.commune.code)
    return render(request, "portal/site_form.html", {"form": form, "site": site})
