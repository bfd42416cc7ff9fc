"""Survey pages: scoped look-up → permission → form → service → redirect.

Surveys belong to the members: anyone else (a network member reading the community's content, a
pending member) gets 404 on every survey address, as for something that does not exist.
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cercles.communities.lookups import community_for, require
from cercles.communities.models import Involvement
from cercles.communities.rules import membership_of
from cercles.core.decorators import post_only

from . import results as survey_results
from . import services
from .forms import (
    AnswerForm,
    ExpectationsDateForm,
    InvolvementForm,
    NeedForm,
    QuestionForm,
    QuestionFormSet,
    SkipForm,
    SurveyForm,
    TemplateWordingForm,
)
from .models import (
    AnswerValue,
    Need,
    NeedStatus,
    Participation,
    QuestionKind,
    Response,
    Role,
    Status,
    Survey,
    SurveyFollowUp,
    TemplateQuestion,
)

PER_PAGE = 20
TEXTS_PER_PAGE = 50


def _community(request, slug):
    community = community_for(request, slug, content=True)
    if not request.user.has_perm("surveys.view_surveys", community):
        raise Http404
    return community


def _survey_for(request, slug, survey_id):
    community = _community(request, slug)
    survey = get_object_or_404(Survey, community=community, pk=survey_id)
    survey.community = community  # keeps the permission cache of the community
    if not request.user.has_perm("surveys.view_survey", survey):
        raise Http404
    return community, survey


def _require(request, permission, obj):
    require(request, permission, obj)  # says so when the community is archived


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def survey_list(request, slug):
    community = _community(request, slug)
    user = request.user
    can_create = user.has_perm("surveys.create_survey", community)
    leading = user.has_perm("surveys.handle_needs", community) or can_create
    answered = Participation.objects.filter(survey=OuterRef("pk"), user=user)
    surveys = community.surveys.annotate(answered=Exists(answered))
    current = list(surveys.filter(status=Status.OPEN).order_by("closes_on", "id")[:PER_PAGE])
    prepared = []
    if leading or user.is_coordinator:
        prepared = list(
            surveys.filter(status__in=[Status.DRAFT, Status.SCHEDULED]).order_by("opens_on", "id")[
                :PER_PAGE
            ]
        )
    past = Paginator(surveys.filter(status__in=[Status.CLOSED, Status.SKIPPED]), PER_PAGE).get_page(
        request.GET.get("page")
    )
    follow_up = None
    if user.is_coordinator or leading:
        follow_up = SurveyFollowUp.objects.filter(community=community).first()
    return render(
        request,
        "surveys/survey_list.html",
        {
            "community": community,
            "current": current,
            "prepared": prepared,
            "page": past,
            "can_create": can_create,
            "follow_up": follow_up,
            "has_trend": community.surveys.expectations()
            .filter(status__in=[Status.OPEN, Status.CLOSED])
            .exists(),
            "today": timezone.localdate(),
        },
    )


def _question_formset(request, survey=None):
    if request.method == "POST":
        return QuestionFormSet(request.POST, prefix="questions")
    initial = []
    if survey is not None:
        initial = [
            QuestionForm.initial_from(q) for q in survey.questions.filter(from_template=False)
        ]
    return QuestionFormSet(prefix="questions", initial=initial)


def survey_create(request, slug):
    community = _community(request, slug)
    _require(request, "surveys.create_survey", community)
    form = SurveyForm(request.POST or None)
    formset = _question_formset(request)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        questions = formset.questions()
        if not questions:
            form.add_error(None, _("A survey needs at least one question."))
        else:
            try:
                survey = services.create_survey(
                    request.user, community, questions=questions, **form.cleaned_data
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request, _("The survey is saved as a draft: check it, then open it.")
                )
                return redirect(survey)
    return render(
        request,
        "surveys/survey_form.html",
        {"community": community, "form": form, "formset": formset},
    )


def survey_edit(request, slug, survey_id):
    community, survey = _survey_for(request, slug, survey_id)
    _require(request, "surveys.edit_survey", survey)
    if survey.is_expectations:
        form = ExpectationsDateForm(request.POST or None, initial={"opens_on": survey.opens_on})
    else:
        fields = ("title", "introduction", "opens_on", "closes_on", "anonymous", "results_audience")
        form = SurveyForm(
            request.POST or None, initial={name: getattr(survey, name) for name in fields}
        )
    formset = _question_formset(request, survey)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.update_survey(
                request.user, survey, questions=formset.questions(), **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The survey has been updated."))
            return redirect(survey)
    return render(
        request,
        "surveys/survey_form.html",
        {
            "community": community,
            "survey": survey,
            "form": form,
            "formset": formset,
            "template_questions": survey.questions.filter(from_template=True)
            if survey.is_expectations
            else [],
        },
    )


def _detail_context(request, community, survey, answer_form=None):
    user = request.user
    questions = list(survey.questions.all())
    can = {
        name: user.has_perm(f"surveys.{name}", survey)
        for name in (
            "edit_survey", "open_survey", "close_survey", "delete_survey", "skip_survey",
            "answer_survey", "view_results", "export_answers",
        )
    }  # fmt: skip
    answered = services.has_answered(user, survey)
    if can["answer_survey"] and answer_form is None and not (survey.anonymous and answered):
        initial = {}
        if answered:
            initial = {
                f"q{pk}": value for pk, value in services.named_answers_of(user, survey).items()
            }
        answer_form = AnswerForm(questions=questions, initial=initial)
    offer = None
    chosen = request.GET.get("involvement")
    membership = membership_of(user, community)
    if (
        chosen in Involvement.values
        and membership is not None
        and membership.involvement != chosen
        and user.has_perm("communities.change_own_involvement", community)
    ):
        offer = {
            "involvement": chosen,
            "label": Involvement(chosen).label,
            "current": membership.get_involvement_display(),
        }
    return {
        "community": community,
        "survey": survey,
        "questions": questions,
        "can": can,
        "answered": answered,
        "answer_form": answer_form if can["answer_survey"] else None,
        "offer": offer,
        "skip_form": SkipForm() if can["skip_survey"] else None,
        "today": timezone.localdate(),
    }


def survey_detail(request, slug, survey_id):
    community, survey = _survey_for(request, slug, survey_id)
    return render(
        request, "surveys/survey_detail.html", _detail_context(request, community, survey)
    )


@post_only
def survey_answer(request, slug, survey_id):
    community, survey = _survey_for(request, slug, survey_id)
    if survey.status != Status.OPEN:
        messages.error(request, _("This survey is closed: answers are no longer taken."))
        return redirect(survey)
    _require(request, "surveys.answer_survey", survey)
    form = AnswerForm(request.POST, questions=list(survey.questions.all()))
    if form.is_valid():
        try:
            cleaned = services.answer_survey(request.user, survey, form.answers())
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_service_errors(error.message_dict)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect(survey)
        else:
            messages.success(request, _("Thank you: your answers are saved."))
            url = survey.get_absolute_url()
            chosen = services.involvement_answer(survey, cleaned)
            membership = membership_of(request.user, community)
            if chosen and membership and membership.involvement != chosen:
                url += f"?involvement={chosen}#involvement"
            return redirect(url)
    context = _detail_context(request, community, survey, answer_form=form)
    return render(request, "surveys/survey_detail.html", context, status=200)


@post_only
def survey_involvement(request, slug, survey_id):
    community, survey = _survey_for(request, slug, survey_id)
    _require(request, "communities.change_own_involvement", community)
    form = InvolvementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This level of involvement is not one of the choices."))
        return redirect(survey)
    membership = services.update_involvement(
        request.user, community, form.cleaned_data["involvement"]
    )
    messages.success(
        request,
        _("Your declared involvement is now “%(involvement)s” (%(role)s).")
        % {
            "involvement": membership.get_involvement_display(),
            "role": membership.get_role_display(),
        },
    )
    return redirect(survey)


def _action(permission, service, success):
    @post_only
    def view(request, slug, survey_id):
        community, survey = _survey_for(request, slug, survey_id)
        _require(request, permission, survey)
        try:
            service(request.user, survey)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, success(survey))
        return redirect(survey)

    return view


survey_open = _action(
    "surveys.open_survey",
    services.open_survey,
    lambda s: (
        _("The survey is open; the members have been told.")
        if s.status == Status.OPEN
        else _("The survey will open on its opening date.")
    ),
)
survey_close = _action(
    "surveys.close_survey", services.close_survey, lambda s: _("The survey is closed.")
)


@post_only
def survey_delete(request, slug, survey_id):
    community, survey = _survey_for(request, slug, survey_id)
    _require(request, "surveys.delete_survey", survey)
    try:
        services.delete_survey(request.user, survey)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(survey)
    messages.success(request, _("The survey has been deleted."))
    return redirect("surveys:list", community.slug)


def survey_skip(request, slug, survey_id):
    community, survey = _survey_for(request, slug, survey_id)
    _require(request, "surveys.skip_survey", survey)
    form = SkipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.skip_survey(request.user, survey, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The survey is skipped; the coordinators have been told why.")
            )
            return redirect("surveys:list", community.slug)
    return render(
        request,
        "surveys/survey_skip.html",
        {"community": community, "survey": survey, "form": form},
    )


def survey_results_view(request, slug, survey_id):
    community, survey = _survey_for(request, slug, survey_id)
    user = request.user
    if not user.has_perm("surveys.view_results", survey):
        if survey.hides_results and survey.status in (Status.OPEN, Status.CLOSED):
            return render(
                request,
                "surveys/survey_results.html",
                {"community": community, "survey": survey, "too_few": True},
            )
        raise PermissionDenied(_("The results of this survey are not shown to you."))
    context = {
        "community": community,
        "survey": survey,
        "results": survey_results.survey_results(survey),
        "can_export": user.has_perm("surveys.export_answers", survey),
    }
    if survey.is_expectations:
        surveys = [
            s
            for s in survey_results.trend_surveys(community, until=survey)
            if user.has_perm("surveys.view_results", s)
        ]
        if len(surveys) > 1:
            points = survey_results.expectations_trend(surveys)
            context["trend"] = points
            context["trend_chart"] = survey_results.trend_chart(points, labelled_by="trend-title")
            context["objective_labels"] = survey_results.objective_labels()
            context["involvement_labels"] = survey_results.involvement_labels()
    return render(request, "surveys/survey_results.html", context)


def question_answers(request, slug, survey_id, question_id):
    community, survey = _survey_for(request, slug, survey_id)
    _require(request, "surveys.view_results", survey)
    question = get_object_or_404(survey.questions, pk=question_id, kind=QuestionKind.TEXT)
    page = Paginator(survey_results.text_answers(question), TEXTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "surveys/question_answers.html",
        {"community": community, "survey": survey, "question": question, "page": page},
    )


def survey_export(request, slug, survey_id):
    community, survey = _survey_for(request, slug, survey_id)
    _require(request, "surveys.export_answers", survey)
    questions = list(survey.questions.all())
    labels = {q.pk: dict(q.labelled_choices()) for q in questions}
    kinds = {q.pk: q.kind for q in questions}
    rows = {}
    names = {}
    if not survey.anonymous:
        names = {
            r.pk: r.user.name if r.user else ""
            for r in Response.objects.filter(survey=survey).select_related("user")
        }
    for value in (
        AnswerValue.objects.filter(response__survey=survey).order_by("response_id", "id").iterator()
    ):
        row = rows.setdefault(value.response_id, {})
        if kinds[value.question_id] == QuestionKind.SCALE:
            cell = (0, str(value.number))
        elif kinds[value.question_id] == QuestionKind.TEXT:
            cell = (0, value.text)
        else:
            choices = labels[value.question_id]
            order = list(choices).index(value.choice) if value.choice in choices else len(choices)
            cell = (order, str(choices.get(value.choice, value.choice)))
        row.setdefault(value.question_id, []).append(cell)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = slugify(f"{community.slug}-{survey.display_title}")[:80] or "survey"
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # spreadsheet programs then read the accents right
    writer = csv.writer(response)
    header = ([] if survey.anonymous else [_("Person")]) + [str(q.wording) for q in questions]
    writer.writerow(header)
    ordered = (
        sorted(rows.items(), key=lambda item: names.get(item[0], "")) if names else rows.items()
    )
    for response_id, row in ordered:
        cells = [
            _safe_cell(" | ".join(cell for _o, cell in sorted(row.get(q.pk, []))))
            for q in questions
        ]
        writer.writerow(([] if survey.anonymous else [names.get(response_id, "")]) + cells)
    return response


def _safe_cell(value):
    """No formula injection: a cell starting like a formula is read as text by spreadsheets."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def trend(request, slug):
    community = _community(request, slug)
    user = request.user
    surveys = [
        s
        for s in survey_results.trend_surveys(community)
        if user.has_perm("surveys.view_results", s)
    ]
    points = survey_results.expectations_trend(surveys)
    return render(
        request,
        "surveys/trend.html",
        {
            "community": community,
            "trend": points,
            "trend_chart": survey_results.trend_chart(points, labelled_by="trend-title")
            if points
            else "",
            "objective_labels": survey_results.objective_labels(),
            "involvement_labels": survey_results.involvement_labels(),
        },
    )


@post_only
def need_decide(request, slug, need_id):
    community = _community(request, slug)
    _require(request, "surveys.handle_needs", community)
    need = get_object_or_404(Need, community=community, pk=need_id, status=NeedStatus.NEW)
    need.community = community
    form = NeedForm(request.POST, prefix=f"need-{need.pk}")
    if form.is_valid():
        try:
            services.decide_need(request.user, need, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Noted: “%(need)s” — %(status)s.")
                % {"need": need.text[:60], "status": need.get_status_display()},
            )
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect(services.needs_url(community))


def template_edit(request):
    _require(request, "surveys.edit_template", None)
    fixed = list(TemplateQuestion.objects.exclude(role=""))
    wording_forms = [
        (
            question,
            TemplateWordingForm(
                request.POST or None,
                prefix=f"fixed-{question.pk}",
                initial={
                    "text": question.text,
                    "help_text": question.help_text,
                    "required": question.required,
                },
            ),
        )
        for question in fixed
    ]
    if request.method == "POST":
        formset = QuestionFormSet(request.POST, prefix="questions")
    else:
        extra = TemplateQuestion.objects.filter(role="")
        formset = QuestionFormSet(
            prefix="questions", initial=[QuestionForm.initial_from(q) for q in extra]
        )
    if (
        request.method == "POST"
        and formset.is_valid()
        and all(f.is_valid() for _q, f in wording_forms)
    ):
        try:
            services.save_template(
                request.user,
                wordings={q.pk: f.cleaned_data for q, f in wording_forms},
                questions=formset.questions(TemplateQuestion),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The template is saved: the next expectations surveys will use it.")
            )
            return redirect("surveys:template")
    for question, form in wording_forms:
        form.fields["text"].widget.attrs["placeholder"] = str(Role(question.role).label)
    return render(
        request, "surveys/template_form.html", {"wording_forms": wording_forms, "formset": formset}
    )
