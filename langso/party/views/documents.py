"""Documents and study: the library, reading, questions and answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.lib.files import file_response
from langso.lib.search import search_text
from langso.party import access, actions
from langso.party.forms import AnswerForm, DocumentForm, QuestionForm
from langso.party.models import Answer, Document, Reading
from langso.party.views.common import form_errors, require_party_user


@login_required
def document_list(request):
    require_party_user(request)
    documents = access.documents_for_user(request.user)
    kind = request.GET.get("kind", "")
    tag = search_text(request.GET.get("tag"))
    query = search_text(request.GET.get("q"))
    if kind in Document.Kind.values:
        documents = documents.filter(kind=kind)
    if tag:
        documents = documents.filter(tags__icontains=tag)
    if query:
        documents = documents.filter(Q(title__icontains=query) | Q(number__icontains=query))
    member = access.own_member(request.user)
    read = set()
    if member is not None:
        read = set(Reading.objects.filter(member=member).values_list("document_id", flat=True))
    return render(
        request,
        "party/document_list.html",
        {
            "documents": documents.order_by("-issued_on", "-pk")[:200],
            "read": read,
            "kinds": Document.Kind.choices,
            "kind": kind,
            "tag": tag,
            "query": query,
            "can_add": access.manages_any(request.user),
        },
    )


@login_required
def document_create(request):
    if not access.manages_any(request.user):
        raise Http404
    organisations = access.managed_organisations(request.user)
    meeting = None
    if request.GET.get("meeting"):
        meeting = access.get_meeting_for_user(request.user, request.GET["meeting"], manage=True)
    initial = {"organisations": [meeting.organisation]} if meeting else {}
    if meeting:
        initial["kind"] = Document.Kind.RESOLUTION
    form = DocumentForm(
        request.POST or None, request.FILES or None, organisations=organisations, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = actions.add_document(
                acting_user=request.user,
                kind=data["kind"],
                number=data["number"],
                title=data["title"],
                issuing_body=data["issuing_body"],
                issued_on=data["issued_on"],
                tags=data["tags"],
                summary=data["summary"],
                file=data["file"],
                organisations=list(data["organisations"]),
                meeting=meeting,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The document was added."))
            return redirect(document)
    return render(request, "party/document_form.html", {"form": form, "meeting": meeting})


@login_required
def document_detail(request, pk):
    document = access.get_document_for_user(request.user, pk)
    member = access.own_member(request.user)
    questions = list(document.questions.all())
    answers = {}
    if member is not None:
        actions.record_reading(document, member)
        answers = {
            answer.question_id: answer
            for answer in Answer.objects.filter(member=member, question__in=questions)
        }
    open_questions = [q for q in questions if q.pk not in answers]
    form = AnswerForm(questions=open_questions) if member and open_questions else None
    return render(
        request,
        "party/document_detail.html",
        {
            "document": document,
            "questions": [(q, answers.get(q.pk)) for q in questions],
            "form": form,
            "points": sum(answer.points for answer in answers.values()),
            "can_manage": access.can_manage_document(request.user, document),
            "readers": document.readings.count(),
        },
    )


@login_required
def document_file(request, pk):
    document = access.get_document_for_user(request.user, pk)
    member = access.own_member(request.user)
    if member is not None:
        actions.record_reading(document, member)
    extension = document.file_kind.lower()
    return file_response(
        document.file.open("rb"),
        filename=f"{document.number or document.pk}.{extension}".replace("/", "-"),
    )


@login_required
@require_POST
def document_answer(request, pk):
    document = access.get_document_for_user(request.user, pk)
    member = access.own_member(request.user)
    if member is None:
        raise Http404
    answered = Answer.objects.filter(member=member, question=OuterRef("pk"))
    questions = list(document.questions.filter(~Exists(answered)))
    form = AnswerForm(request.POST, questions=questions)
    if not form.is_valid():
        messages.error(request, _("Answer every question."))
        return redirect(document)
    earned = 0
    try:
        for question, choice in form.answers():
            earned += actions.answer_question(question, member, choice=choice).points
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Your answers were recorded: %(points)s points.") % {"points": earned}
        )
    return redirect(document)


@login_required
def question_create(request, pk):
    document = access.get_document_for_user(request.user, pk)
    if not access.can_manage_document(request.user, document):
        raise Http404
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_question(
                document,
                acting_user=request.user,
                text=data["text"],
                choices=form.choice_list(),
                correct=data["correct"],
                points=data["points"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The question was added."))
            return redirect(document)
    return render(request, "party/question_form.html", {"document": document, "form": form})
