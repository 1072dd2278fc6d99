from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.party import access, actions
from langso.party.forms import (
    AccountForm,
    AdmitForm,
    AdvanceCandidateForm,
    AnswerForm,
    CandidateForm,
    ConfirmForm,
    DocumentForm,
    EndMembershipForm,
    MeetingForm,
    MemberForm,
    MonthField,
    PaymentForm,
    QuestionForm,
    RatingForm,
    RecordMeetingForm,
    RespondForm,
    TargetForm,
    TransferForm,
)
from langso.party.models import (
    Answer,
    Candidate,
    Document,
    FeeMonth,
    Invitation,
    Meeting,
    Member,
    Organisation,
    Rating,
    Reading,
    add_months,
    meeting_statistics,
    month_start,
    unpaid_warnings,
    usage_report,
)


def rating_year(today):
    """The year being rated: ratings are made at the year's end, so from July it is this
    year, before July the last."""
    return today.year if today.month >= 7 else today.year - 1


def _party_user(request):
    if not access.has_party_access(request.user):
        raise Http404


def _form_errors(form, error):
    for message in error.messages:
        form.add_error(None, message)


def _month_param(request, default=None):
    raw = request.GET.get("month", "")
    try:
        return MonthField(required=False).clean(raw) or default or month_start(timezone.localdate())
    except ValidationError:
        return default or month_start(timezone.localdate())


def _top_organisations(organisations):
    ids = {org.pk for org in organisations}
    return [org for org in organisations if org.parent_id not in ids]


@login_required
def home(request):
    """The handbook's first page: the member's own business, then what the manager must do."""
    _party_user(request)
    user = request.user
    today = timezone.localdate()
    member = access.own_member(user)
    context = {"member": member, "today": today}
    if member is not None:
        context["invitations"] = (
            Invitation.objects.filter(
                member=member,
                meeting__status=Meeting.Status.PLANNED,
                meeting__starts_at__gte=timezone.now() - timedelta(hours=12),
            )
            .select_related("meeting__organisation")
            .order_by("meeting__starts_at")
        )
        read = Reading.objects.filter(member=member).values("document_id")
        context["unread"] = (
            access.documents_for_user(user).exclude(pk__in=read).order_by("-issued_on")[:10]
        )
        context["points"] = (
            Answer.objects.filter(member=member).aggregate(total=Sum("points"))["total"] or 0
        )
        context["fees_owed"] = sum(
            fee.outstanding
            for fee in FeeMonth.objects.filter(member=member, excused=False)
            if fee.outstanding
        )
    if access.manages_any(user):
        managed = list(access.managed_organisations(user)[:500])
        context["organisations"] = _top_organisations(managed)[:50]
        members = access.members_for_user(user)
        soon = today + timedelta(days=actions.PROBATION_NOTICE_DAYS)
        context["probations"] = list(
            members.filter(
                status=Member.Status.PROBATIONARY, admitted_on__lte=add_months(soon, -12)
            ).select_related("person", "organisation")[:50]
        )
        warnings = unpaid_warnings(members, today.year, today)
        context["fee_warnings"] = (
            members.filter(pk__in=list(warnings)).select_related("person", "organisation")[:50]
            if warnings
            else []
        )
        context["planned"] = (
            access.meetings_for_user(user)
            .filter(status=Meeting.Status.PLANNED)
            .order_by("starts_at")[:10]
        )
    return render(request, "party/home.html", context)


@login_required
def organisation_detail(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk)
    today = timezone.localdate()
    context = {"organisation": organisation, "today": today}
    if organisation.kind == Organisation.Kind.CELL:
        context["members"] = organisation.current_members().order_by("person__sort_key")
        context["meetings"] = organisation.meetings.all()[:12]
        context["points"] = dict(
            Answer.objects.filter(member__organisation=organisation)
            .values_list("member_id")
            .annotate(total=Sum("points"))
            .order_by()
        )
    else:
        children = list(organisation.children.select_related("unit").order_by("name"))
        counts = dict(
            Member.objects.filter(organisation__in=children, status__in=Member.CURRENT)
            .values_list("organisation_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        points = dict(
            Answer.objects.filter(member__organisation__in=children)
            .values_list("member__organisation_id")
            .annotate(total=Sum("points"))
            .order_by()
        )
        context["children"] = [
            (child, counts.get(child.pk, 0), points.get(child.pk, 0)) for child in children
        ]
        context["meetings"] = organisation.meetings.all()[:6]
    context["targets"] = [
        (target, target.admitted()) for target in organisation.admission_targets.all()
    ]
    return render(request, "party/organisation_detail.html", context)


def _people_search(request, organisation):
    query = request.GET.get("q", "").strip()
    people = access.people_for_admission(request.user, organisation)
    return query, people.best_matches(query) if query else people.none()


@login_required
def member_admit(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk)
    if organisation.kind != Organisation.Kind.CELL:
        raise Http404
    query, people = _people_search(request, organisation)
    if request.method == "POST":
        form = AdmitForm(
            request.POST, people=access.people_for_admission(request.user, organisation)
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                member = actions.admit_member(
                    data["person"],
                    acting_user=request.user,
                    organisation=organisation,
                    admitted_on=data["admitted_on"],
                    card_number=data["card_number"],
                    has_smartphone=data["has_smartphone"],
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("%(name)s was admitted.") % {"name": member})
                return redirect(member)
    else:
        form = AdmitForm(people=people)
    return render(
        request,
        "party/member_admit.html",
        {"organisation": organisation, "form": form, "query": query, "people": people},
    )


@login_required
def member_detail(request, pk):
    member = access.get_member_for_user(request.user, pk)
    actions.log_member_view(member, acting_user=request.user)
    today = timezone.localdate()
    can_manage = access.can_manage(request.user, member.organisation)
    invitations = member.invitations.select_related("meeting").order_by("-meeting__starts_at")
    attended = invitations.filter(meeting__status=Meeting.Status.HELD)
    present = attended.filter(attendance=Invitation.Attendance.PRESENT).count()
    context = {
        "member": member,
        "person": member.person,
        "today": today,
        "can_manage": can_manage,
        "is_self": member.user_id == request.user.pk,
        "transfers": member.transfers.select_related("from_organisation", "to_organisation"),
        "invitations": invitations[:12],
        "attendance": (present, attended.count()),
        "ratings": member.ratings.all(),
        "fees": member.fee_months.order_by("-month")[:12],
        "points": member.answers.aggregate(total=Sum("points"))["total"] or 0,
        "documents_read": member.readings.count(),
        "confirm_form": ConfirmForm(initial={"on": today}),
    }
    return render(request, "party/member_detail.html", context)


@login_required
def member_edit(request, pk):
    member = access.get_member_for_user(request.user, pk, manage=True)
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in MemberForm.Meta.fields}
        member.refresh_from_db()
        try:
            actions.update_member(member, acting_user=request.user, **fields)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect(member)
    return render(request, "party/member_form.html", {"member": member, "form": form})


@login_required
@require_POST
def member_confirm(request, pk):
    member = access.get_member_for_user(request.user, pk, manage=True)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            actions.confirm_full_membership(
                member, acting_user=request.user, on=form.cleaned_data["on"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s is now a full member.") % {"name": member})
    else:
        messages.error(request, _("Type the date as dd/mm/yyyy."))
    return redirect(member)


@login_required
def member_transfer(request, pk):
    member = access.get_member_for_user(request.user, pk, manage=True)
    cells = (
        access.managed_organisations(request.user)
        .filter(kind=Organisation.Kind.CELL)
        .exclude(pk=member.organisation_id)
    )
    form = TransferForm(request.POST or None, cells=cells)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.transfer_member(
                member,
                acting_user=request.user,
                on=data["on"],
                to_organisation=data["to_organisation"],
                elsewhere=data["elsewhere"].strip(),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The transfer was recorded."))
            if access.can_manage(request.user, member.organisation):
                return redirect(member)
            return redirect("party:home")
    return render(
        request,
        "party/member_action.html",
        {"member": member, "form": form, "title": _("Transfer")},
    )


@login_required
def member_end(request, pk):
    member = access.get_member_for_user(request.user, pk, manage=True)
    form = EndMembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.end_membership(
                member,
                acting_user=request.user,
                status=data["status"],
                on=data["on"],
                note=data["note"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The change was recorded."))
            return redirect(member.organisation)
    return render(
        request,
        "party/member_action.html",
        {"member": member, "form": form, "title": _("End of membership"), "danger": True},
    )


@login_required
def member_account(request, pk):
    member = access.get_member_for_user(request.user, pk, manage=True)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_member_account(
                member,
                acting_user=request.user,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The account was created."))
            return redirect(member)
    return render(
        request,
        "party/member_action.html",
        {"member": member, "form": form, "title": _("Account for the phone")},
    )


@login_required
def member_self_assess(request, pk):
    """A member's own yearly self-assessment, from their phone."""
    member = access.get_member_for_user(request.user, pk)
    if member.user_id != request.user.pk:
        raise Http404
    year = rating_year(timezone.localdate())
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.self_assess(
                member,
                acting_user=request.user,
                year=year,
                score=data["score"],
                comment=data["comment"],
                tasks_exceeded=data["tasks_exceeded"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your self-assessment was sent to the cell."))
            return redirect(member)
    return render(
        request,
        "party/member_action.html",
        {"member": member, "form": form, "title": _("Self-assessment %(year)s") % {"year": year}},
    )


# Meetings ---------------------------------------------------------------------


@login_required
def meeting_create(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = actions.schedule_meeting(
            organisation,
            acting_user=request.user,
            kind=data["kind"],
            title=data["title"],
            starts_at=form.starts_at(),
            place=data["place"],
            agenda=data["agenda"],
            for_month=data["for_month"],
        )
        messages.success(
            request,
            _("The meeting was created and %(count)s members were invited.")
            % {"count": meeting.invitations.count()},
        )
        return redirect(meeting)
    return render(request, "party/meeting_form.html", {"organisation": organisation, "form": form})


@login_required
def meeting_detail(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk)
    can_manage = access.can_manage(request.user, meeting.organisation)
    member = access.own_member(request.user)
    context = {"meeting": meeting, "can_manage": can_manage}
    if member is not None:
        context["invitation"] = meeting.invitations.filter(member=member).first()
    if can_manage:
        invitations = meeting.invitations.select_related("member__person").order_by(
            "member__person__sort_key"
        )
        context["invitations"] = invitations
        context["counts"] = {
            "invited": len(invitations),
            "confirmed": sum(1 for i in invitations if i.response == Invitation.Response.CONFIRMED),
            "excused": sum(1 for i in invitations if i.response == Invitation.Response.EXCUSED),
            "pending": sum(1 for i in invitations if not i.response),
            "in_person": sum(1 for i in invitations if not i.member.has_smartphone),
            "present": sum(1 for i in invitations if i.attendance == Invitation.Attendance.PRESENT),
        }
    context["documents"] = meeting.documents.all()
    return render(request, "party/meeting_detail.html", context)


@login_required
@require_POST
def meeting_respond(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk)
    member = access.own_member(request.user)
    invitation = meeting.invitations.filter(member=member).first() if member else None
    if invitation is None:
        raise Http404
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            actions.respond_to_invitation(
                invitation,
                acting_user=request.user,
                response=form.cleaned_data["response"],
                excuse=form.cleaned_data["excuse"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if invitation.response == Invitation.Response.CONFIRMED:
                messages.success(request, _("Thank you: your attendance is confirmed."))
            else:
                messages.success(request, _("Your reason for absence was sent to the secretary."))
    else:
        messages.error(request, _("Choose whether you will attend."))
    return redirect(meeting)


@login_required
def meeting_record(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    invitations = list(
        meeting.invitations.select_related("member__person").order_by("member__person__sort_key")
    )
    form = RecordMeetingForm(
        request.POST or None,
        request.FILES or None,
        invitations=invitations,
        initial={"held_on": meeting.held_on or timezone.localdate(), "minutes": meeting.minutes},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_meeting(
                meeting,
                acting_user=request.user,
                held_on=data["held_on"],
                attendance=form.attendance(),
                minutes=data["minutes"],
                minutes_file=data["minutes_file"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The meeting was recorded."))
            return redirect(meeting)
    return render(request, "party/meeting_record.html", {"meeting": meeting, "form": form})


@login_required
@require_POST
def meeting_cancel(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    try:
        actions.cancel_meeting(meeting, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The meeting was cancelled."))
    return redirect(meeting)


@login_required
def meeting_inform(request, pk):
    """The printable list of members without a smartphone, to be told in person."""
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    invitations = (
        meeting.invitations.filter(member__has_smartphone=False)
        .select_related("member__person__household")
        .order_by("member__person__sort_key")
    )
    return render(
        request, "party/meeting_inform.html", {"meeting": meeting, "invitations": invitations}
    )


@login_required
@require_POST
def invitation_informed(request, pk):
    invitation = access.get_invitation_for_manager(request.user, pk)
    actions.mark_informed(
        invitation, acting_user=request.user, informed=request.POST.get("informed") == "1"
    )
    if request.htmx:
        return render(request, "party/_informed.html", {"invitation": invitation})
    return redirect("party:meeting-inform", invitation.meeting_id)


# Documents and study ----------------------------------------------------------


@login_required
def document_list(request):
    _party_user(request)
    documents = access.documents_for_user(request.user)
    kind = request.GET.get("kind", "")
    tag = request.GET.get("tag", "").strip()
    query = request.GET.get("q", "").strip()
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
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        initial=initial,
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
            _form_errors(form, error)
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
    return FileResponse(
        document.file.open("rb"),
        as_attachment=False,
        filename=f"{document.number or document.pk}.{extension}".replace("/", "-"),
    )


@login_required
@require_POST
def document_answer(request, pk):
    document = access.get_document_for_user(request.user, pk)
    member = access.own_member(request.user)
    if member is None:
        raise Http404
    answered = Answer.objects.filter(member=member, question__document=document).values(
        "question_id"
    )
    questions = list(document.questions.exclude(pk__in=answered))
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
            _form_errors(form, error)
        else:
            messages.success(request, _("The question was added."))
            return redirect(document)
    return render(request, "party/question_form.html", {"document": document, "form": form})


# Admission, ratings, fees, statistics -----------------------------------------


@login_required
def admission(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk)
    candidates = (
        Candidate.objects.filter(organisation__path__within=organisation.path)
        .select_related("person", "organisation")
        .order_by("stage", "person__sort_key")
    )
    query, people = (
        _people_search(request, organisation)
        if organisation.kind == Organisation.Kind.CELL
        else ("", None)
    )
    return render(
        request,
        "party/admission.html",
        {
            "organisation": organisation,
            "targets": [(t, t.admitted()) for t in organisation.admission_targets.all()],
            "candidates": candidates,
            "target_form": TargetForm(),
            "candidate_form": CandidateForm(people=people) if people is not None else None,
            "advance_form": AdvanceCandidateForm(initial={"on": timezone.localdate()}),
            "query": query,
            "people": people,
        },
    )


@login_required
@require_POST
def admission_target(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk)
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            actions.set_admission_target(
                organisation, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The target was saved."))
    else:
        messages.error(request, _("Check the term, its dates and the number."))
    return redirect("party:admission", organisation.pk)


@login_required
@require_POST
def candidate_create(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk)
    form = CandidateForm(
        request.POST, people=access.people_for_admission(request.user, organisation)
    )
    if form.is_valid():
        try:
            actions.add_candidate(
                form.cleaned_data["person"],
                acting_user=request.user,
                organisation=organisation,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The candidate was added."))
    else:
        messages.error(request, _("Choose a person."))
    return redirect("party:admission", organisation.pk)


@login_required
@require_POST
def candidate_advance(request, pk):
    candidate = access.get_candidate_for_user(request.user, pk)
    form = AdvanceCandidateForm(request.POST)
    if form.is_valid():
        try:
            actions.advance_candidate(
                candidate,
                acting_user=request.user,
                stage=form.cleaned_data["stage"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The candidate's stage was saved."))
    else:
        messages.error(request, _("Choose a stage and a date."))
    return redirect("party:admission", candidate.organisation_id)


@login_required
def ratings(request, pk):
    """A year's ratings of the organisation's members (a cell) or cells (a committee)."""
    organisation = access.get_organisation_for_user(request.user, pk)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", rating_year(today)))
    except ValueError:
        year = rating_year(today)
    if organisation.kind == Organisation.Kind.CELL:
        subjects = list(organisation.current_members().order_by("person__sort_key"))
        found = {r.member_id: r for r in Rating.objects.filter(member__in=subjects, year=year)}
    else:
        subjects = list(organisation.children.order_by("name"))
        found = {
            r.organisation_id: r
            for r in Rating.objects.filter(organisation__in=subjects, year=year)
        }
    levels = {}
    for rating in found.values():
        levels[rating.level] = levels.get(rating.level, 0) + 1
    return render(
        request,
        "party/ratings.html",
        {
            "organisation": organisation,
            "year": year,
            "rows": [(subject, found.get(subject.pk)) for subject in subjects],
            "levels": [(label, levels.get(value, 0)) for value, label in Rating.Level.choices],
            "years": range(today.year, today.year - 6, -1),
            "is_committee": organisation.kind == Organisation.Kind.COMMITTEE,
        },
    )


@login_required
@require_POST
def rating_record(request, pk, kind, subject_pk):
    """The cell's review or the committee's decision for one member or cell."""
    organisation = access.get_organisation_for_user(request.user, pk)
    if kind == "member":
        subject = organisation.members.filter(pk=subject_pk).select_related("person").first()
    else:
        subject = organisation.children.filter(pk=subject_pk).first()
    if subject is None:
        raise Http404
    form = RatingForm(request.POST)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        raise Http404 from None
    step = actions.decide_rating if request.POST.get("step") == "decide" else actions.review_rating
    if form.is_valid():
        try:
            step(
                subject,
                acting_user=request.user,
                year=year,
                score=form.cleaned_data["score"],
                tasks_exceeded=form.cleaned_data["tasks_exceeded"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The rating of %(name)s was saved.") % {"name": subject})
    else:
        messages.error(request, _("A score is a number from 0 to 100."))
    return redirect(f"{organisation.get_absolute_url()}ratings/?year={year}")


@login_required
def fees(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk)
    today = timezone.localdate()
    month = _month_param(request)
    members = Member.objects.filter(organisation__path__within=organisation.path)
    rows = (
        FeeMonth.objects.filter(member__in=members, month=month)
        .select_related("member__person", "member__organisation")
        .order_by("member__organisation__name", "member__person__sort_key")
    )
    warnings = unpaid_warnings(members, month.year, today)
    totals = rows.aggregate(due=Sum("due"), paid=Sum("paid"))
    return render(
        request,
        "party/fees.html",
        {
            "organisation": organisation,
            "month": month,
            "previous": add_months(month, -1),
            "next": add_months(month, 1),
            "rows": rows,
            "totals": totals,
            "warned": members.filter(pk__in=list(warnings)).select_related("person")
            if warnings
            else [],
            "warnings": warnings,
            "payment_form": PaymentForm(initial={"paid_on": today}),
        },
    )


@login_required
@require_POST
def fees_open(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk)
    month = _month_param(request)
    cells = (
        [organisation]
        if organisation.kind == Organisation.Kind.CELL
        else list(Organisation.objects.within(organisation).cells())
    )
    created = sum(
        actions.open_fee_month(cell, acting_user=request.user, month=month) for cell in cells
    )
    messages.success(
        request,
        _("Fees for %(month)s: %(count)s members added.")
        % {
            "month": f"{month:%m/%Y}",
            "count": created,
        },
    )
    return redirect(f"{organisation.get_absolute_url()}fees/?month={month:%m/%Y}")


@login_required
@require_POST
def fee_pay(request, pk):
    fee = access.get_fee_month_for_user(request.user, pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        actions.record_payment(fee, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("The payment of %(name)s was recorded.") % {"name": fee.member})
    else:
        messages.error(request, _("Type the amount in đồng and the date as dd/mm/yyyy."))
    if request.POST.get("excused"):
        actions.excuse_fee_month(fee, acting_user=request.user, excused=True)
    organisation = fee.member.organisation
    return redirect(f"{organisation.get_absolute_url()}fees/?month={fee.month:%m/%Y}")


@login_required
def statistics(request, pk):
    """Meetings held on time and attendance, per cell, for a month."""
    organisation = access.get_organisation_for_user(request.user, pk)
    month = _month_param(request)
    cells = (
        [organisation]
        if organisation.kind == Organisation.Kind.CELL
        else list(Organisation.objects.within(organisation).cells().order_by("name"))
    )
    rows = meeting_statistics(cells, month)
    held_on_time = sum(1 for row in rows if row["on_time"])
    invited = sum(row["invited"] for row in rows)
    present = sum(row["present"] for row in rows)
    return render(
        request,
        "party/statistics.html",
        {
            "organisation": organisation,
            "month": month,
            "previous": add_months(month, -1),
            "next": add_months(month, 1),
            "rows": rows,
            "on_time": held_on_time,
            "rate": round(100 * present / invited) if invited else None,
        },
    )


@login_required
def usage(request, pk):
    """The monthly usage report of an organisation's unit (Regulation 339-QĐ/TW figures)."""
    organisation = access.get_organisation_for_user(request.user, pk)
    month = _month_param(request)
    return render(
        request,
        "party/usage.html",
        {
            "organisation": organisation,
            "month": month,
            "previous": add_months(month, -1),
            "next": add_months(month, 1),
            "rows": usage_report(organisation.unit, month, root=organisation),
        },
    )
