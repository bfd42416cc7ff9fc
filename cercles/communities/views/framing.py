"""Proposing a community and editing its framing (cadrage), then submitting it for review."""

import copy

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import services
from ..forms_framing import FramingForm, ProposeForm, framing_formsets, validate_framing
from ..forms_review import CHECKLIST
from ..framing import SNAPSHOT_FIELDS, framing_recommendations
from ..lifecycle import State
from ..lookups import community_for
from ..models import Decision, MembershipStatus, Role
from ..rules import is_leading

# Sent by the framing editor, so that "submit" saves the edits on the page before submitting.
EDITOR_MARKER = "framing_editor"

# Sections of the editor: (heading, [(snapshot key, form fields or the prefix of a formset)]).
# Review comments are keyed by snapshot key and shown beside the matching item.
LAYOUT = [
    (gettext_lazy("Presentation"), [
        ("title", ["title"]),
        ("problem_statement", ["problem_statement"]),
        ("positioning", ["positioning"]),
        ("purpose", ["purpose"]),
    ]),
    (gettext_lazy("Scope"), [
        ("kind", ["kind"]),
        ("themes", ["themes"]),
        ("territories", ["territories"]),
        ("objective_types", ["objective_types"]),
        ("expected_productions", ["expected_production_kinds", "expected_productions"]),
    ]),
    (gettext_lazy("Size and calendar"), [
        ("target_size", ["target_size_min", "target_size_max"]),
        ("dates", ["start_date", "end_date"]),
        ("duration", ["duration_months", "open_ended"]),
    ]),
    (gettext_lazy("Visibility and joining"), [("visibility", ["visibility", "requires_approval"])]),
    (gettext_lazy("Co-lead"), [("co_lead", "co_lead")]),
    (gettext_lazy("Milestones"), [("milestones", "milestones")]),
    (gettext_lazy("Action plan and timeline"), [("action_plan", ["action_plan"])]),
    (gettext_lazy("Partnerships"), [("partnerships", "partnerships")]),
    (gettext_lazy("Budget"), [("budget", "budget_lines")]),
    (gettext_lazy("Support needs"), [("support_needs", ["support_needs"])]),
]  # fmt: skip
# Fields shown together under one legend.
GROUPED = {"target_size", "dates"}
# Submission problems that concern a part of the page rather than a form field.
PART_PROBLEMS = {"milestones": "milestones"}


def propose(request):
    if not request.user.has_perm("communities.propose_community"):
        raise PermissionDenied
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            community = services.propose_community(request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your community has been created as a draft. "
                    "Complete its framing, then submit it for review."
                ),
            )
            return redirect("communities:framing", community.slug)
    return render(request, "communities/community_form.html", {"form": form})


def edit_framing(request, slug):
    community = community_for(request, slug)
    refusal = _refuse_unless_allowed(request, community, "communities.edit_framing")
    if refusal:
        return refusal
    extra = 3 if request.GET.get("rows") == "more" else 1
    if request.method == "POST":
        form, formsets = _bound_editor(request, community, extra)
        if validate_framing(form, formsets):
            services.save_framing(request.user, community, form, *formsets.values())
            messages.success(request, _("The framing has been saved."))
            url = reverse("communities:framing", args=[community.slug])
            if part := request.POST.get("add_rows"):
                anchor = part if part in ("milestones", "partnerships", "budget_lines") else ""
                return redirect(f"{url}?rows=more#{anchor}")
            return redirect(url)
        return _render_editor(request, community, form, formsets)
    form = FramingForm(instance=community)
    return _render_editor(request, community, form, framing_formsets(community, extra=extra))


@require_POST
def submit(request, slug):
    community = community_for(request, slug)
    refusal = _refuse_unless_allowed(request, community, "communities.submit_framing")
    if refusal:
        return refusal
    if EDITOR_MARKER in request.POST:
        form, formsets = _bound_editor(request, community, 1)
        if not validate_framing(form, formsets):
            return _render_editor(request, community, form, formsets)
        community = services.save_framing(request.user, community, form, *formsets.values())
    try:
        services.submit_framing(request.user, community)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            messages.error(request, " ".join(error.messages))
            return redirect(community)
        if EDITOR_MARKER in request.POST:
            messages.info(request, _("Your changes have been saved."))
        form = FramingForm(instance=community)
        return _render_editor(
            request, community, form, framing_formsets(community), problems=error.message_dict
        )
    messages.success(
        request,
        _(
            "The framing has been submitted to the coordinators. "
            "You will be notified of their decision."
        ),
    )
    if missing := framing_recommendations(community):
        messages.info(
            request,
            _("The coordinators will weigh the recommended parts still missing: %(parts)s.")
            % {"parts": ", ".join(str(label) for _key, label, _missing, _why in missing)},
        )
    return redirect(community)


def _refuse_unless_allowed(request, community, permission):
    """None when allowed; leads get a message explaining why they cannot edit now, others 403."""
    if request.user.has_perm(permission, community):
        return None
    if not is_leading(request.user, community):
        raise PermissionDenied
    if community.state == State.IN_REVIEW:
        messages.warning(
            request,
            _(
                "The coordinators are reviewing the framing: "
                "it cannot be changed until they decide."
            ),
        )
    elif community.state in (State.OPEN, State.ACTIVE):
        messages.warning(request, _("The framing has already been validated."))
    else:
        messages.warning(
            request,
            _("The framing of a community in the state “%(state)s” can no longer be changed.")
            % {"state": community.get_state_display()},
        )
    return redirect(community)


def _bound_editor(request, community, extra):
    # The form works on a copy, so an invalid input never shows up elsewhere on the page.
    instance = copy.copy(community)
    form = FramingForm(request.POST, instance=instance)
    return form, framing_formsets(instance, request.POST, extra=extra)


def _add_errors(form, error):
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages_ in error.message_dict.items():
        target = field if field in form.fields else None
        if field == NON_FIELD_ERRORS:
            target = None
        form.add_error(target, messages_)


def _requested_changes(community):
    if community.state != State.CHANGES_REQUESTED:
        return None
    review = services.latest_review(community)
    if review and review.decision == Decision.REQUEST_CHANGES:
        return review
    return None


def _checklist_notes(review):
    """The checklist items the coordinators answered "no" or commented on, for the lead."""
    if review is None:
        return []
    notes = []
    for key, (question, _meaning) in CHECKLIST.items():
        answer = review.checklist.get(key) or {}
        if answer and (not answer.get("ok") or answer.get("comment")):
            notes.append((question, answer.get("ok"), answer.get("comment", "")))
    return notes


def _render_editor(request, community, form, formsets, problems=None):
    problems = problems or {}
    part_problems = {}
    summary = []
    if problems:
        # The form is unbound (it shows what is saved): give it the submission's problems.
        form.full_clean()
        form.cleaned_data = {}
        for field, field_messages in problems.items():
            if field in form.fields:
                form.add_error(field, field_messages)
                summary.append((form.fields[field].label, field_messages, f"id_{field}"))
            else:
                part = PART_PROBLEMS.get(field)
                label = SNAPSHOT_FIELDS.get(field, "")
                if part:
                    part_problems.setdefault(part, []).extend(field_messages)
                summary.append((label, field_messages, part or "framing-form"))
    review = _requested_changes(community)
    comments = review.field_comments if review else {}
    sections = []
    for heading, items in LAYOUT:
        entries = []
        for key, source in items:
            comment = comments.get(key, "")
            entry = {
                "key": key,
                "label": SNAPSHOT_FIELDS[key],
                "comment": comment,
                # Read out with the field it is about, not only where it stands on the page.
                "comment_id": f"comment-{key}" if comment else "",
                "problems": part_problems.get(source if isinstance(source, str) else "", []),
            }
            if isinstance(source, list):
                entry["fields"] = [form[name] for name in source]
                entry["grouped"] = key in GROUPED
            elif source == "co_lead":
                entry["co_leads"] = community.memberships.filter(
                    role=Role.CO_LEAD, status=MembershipStatus.ACTIVE
                ).select_related("user")
            else:
                entry["formset"] = formsets[source]
                entry["prefix"] = source
            entries.append(entry)
        sections.append({"heading": heading, "entries": entries})
    return render(
        request,
        "communities/framing_form.html",
        {
            "community": community,
            "form": form,
            "sections": sections,
            "summary": summary,
            "review": review,
            "checklist_notes": _checklist_notes(review),
            "recommendations": framing_recommendations(community),
            "editor_marker": EDITOR_MARKER,
            "can_submit": request.user.has_perm("communities.submit_framing", community),
            "can_invite_co_lead": request.user.has_perm("communities.invite_co_lead", community),
        },
    )
