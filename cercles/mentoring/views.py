"""A community's accompaniment: its support needs, their mentors and the log of sessions; and a
person's offer to mentor."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cercles.communities.lookups import community_for, require
from cercles.core.decorators import post_only

from . import services
from .forms import AssignMentorForm, EndForm, MentorProfileForm, NeedForm, SessionForm
from .models import MentoringSession, MentorProfile, Mentorship, SupportNeed


def _accompaniment(request, slug):
    community = community_for(request, slug, content=True)
    if not request.user.has_perm("mentoring.view_accompaniment", community):
        raise Http404
    return community


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def need_list(request, slug, need_form=None):
    community = _accompaniment(request, slug)
    needs = list(
        SupportNeed.objects.filter(community=community).prefetch_related("mentorships__mentor")
    )
    can_add = request.user.has_perm("mentoring.add_need", community)
    if need_form is None and can_add:
        initial = {}
        if not needs and community.support_needs:
            initial["description"] = community.support_needs  # the framing's support needs
        need_form = NeedForm(initial=initial)
    context = {
        "community": community,
        "needs": needs,
        "need_form": need_form,
        "can": {"add": can_add},
    }
    status = 400 if need_form is not None and need_form.is_bound else 200
    return render(request, "mentoring/need_list.html", context, status=status)


@post_only
def need_new(request, slug):
    community = _accompaniment(request, slug)
    require(request, "mentoring.add_need", community)
    form = NeedForm(request.POST)
    if form.is_valid():
        try:
            need = services.add_need(request.user, community, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your need is recorded; the coordinators are told."))
            return redirect(need.get_absolute_url())
    return need_list(request, slug, need_form=form)


def _need(request, slug, pk):
    community = _accompaniment(request, slug)
    need = get_object_or_404(SupportNeed.objects.filter(community=community), pk=pk)
    need.community = community
    return community, need


def need_detail(request, slug, pk, forms=None):
    community, need = _need(request, slug, pk)
    forms = forms or {}
    mentorships = list(need.mentorships.select_related("mentor").order_by("assigned_at", "pk"))
    sessions = {}
    for session in MentoringSession.objects.filter(mentorship__need=need).select_related("author"):
        sessions.setdefault(session.mentorship_id, []).append(session)
    user = request.user
    items = []
    for mentorship in mentorships:
        mentorship.community = community
        mentorship.need = need
        can_log = user.has_perm("mentoring.log_session", mentorship)
        can_end = user.has_perm("mentoring.end_mentorship", mentorship)
        items.append(
            {
                "mentorship": mentorship,
                "sessions": sessions.get(mentorship.pk, []),
                "session_form": forms.get(("session", mentorship.pk))
                or (SessionForm(prefix=f"s{mentorship.pk}") if can_log else None),
                "end_form": forms.get(("end", mentorship.pk))
                or (EndForm(prefix=f"e{mentorship.pk}") if can_end else None),
            }
        )
    can_assign = user.has_perm("mentoring.assign_mentor", community)
    assign_form = None
    if can_assign:
        assign_form = forms.get("assign") or AssignMentorForm(
            suggestions=services.suggest_mentors(need)
        )
    context = {
        "community": community,
        "need": need,
        "items": items,
        "assign_form": assign_form,
    }
    return render(request, "mentoring/need_detail.html", context, status=400 if forms else 200)


@post_only
def assign(request, slug, pk):
    community, need = _need(request, slug, pk)
    require(request, "mentoring.assign_mentor", community)
    form = AssignMentorForm(request.POST, suggestions=services.suggest_mentors(need))
    if form.is_valid():
        try:
            mentorship = services.assign_mentor(request.user, need, **form.assignment())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s accompanies this need.") % {"name": mentorship.mentor.name}
            )
            return redirect(need.get_absolute_url())
    return need_detail(request, slug, pk, forms={"assign": form})


def _mentorship(request, slug, pk):
    community = _accompaniment(request, slug)
    mentorship = get_object_or_404(
        Mentorship.objects.filter(community=community).select_related("need", "mentor"), pk=pk
    )
    mentorship.community = community
    mentorship.need.community = community
    return community, mentorship


@post_only
def log_session(request, slug, pk):
    community, mentorship = _mentorship(request, slug, pk)
    require(request, "mentoring.log_session", mentorship)
    form = SessionForm(request.POST, prefix=f"s{mentorship.pk}")
    if form.is_valid():
        try:
            services.log_session(request.user, mentorship, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The session is in the log."))
            return redirect(mentorship.need.get_absolute_url())
    return need_detail(request, slug, mentorship.need_id, forms={("session", mentorship.pk): form})


@post_only
def end(request, slug, pk):
    community, mentorship = _mentorship(request, slug, pk)
    require(request, "mentoring.end_mentorship", mentorship)
    form = EndForm(request.POST, prefix=f"e{mentorship.pk}")
    if form.is_valid():
        try:
            services.end_mentorship(request.user, mentorship, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The accompaniment is ended; thank you."))
            return redirect(mentorship.need.get_absolute_url())
    return need_detail(request, slug, mentorship.need_id, forms={("end", mentorship.pk): form})


def mentor_profile_edit(request):
    if not request.user.has_perm("mentoring.edit_mentor_profile"):
        raise Http404
    profile = MentorProfile.objects.filter(user=request.user).first()
    initial = (
        {"available": profile.available, "subjects": profile.subjects, "note": profile.note}
        if profile
        else {}
    )
    form = MentorProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_mentor_profile(request.user, **form.cleaned_data)
        messages.success(request, _("Your offer to mentor is saved."))
        return redirect(request.user.get_absolute_url())
    return render(request, "mentoring/mentor_profile_form.html", {"form": form})
