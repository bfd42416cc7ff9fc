from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from rules.contrib.views import permission_required

from cercles.core.archives import archive_response
from cercles.core.audit import SENSITIVE_ACTIONS, action_label
from cercles.core.decorators import post_only
from cercles.core.models import AuditEvent

from . import services
from .directory import directory_size
from .forms import (
    ApiTokenForm,
    AuditFilterForm,
    DeleteAccountForm,
    DeleteMyAccountForm,
    DirectoryFilterForm,
    GrantCoordinatorForm,
    ProfileForm,
)
from .models import ApiToken, PersonalDataExport, User
from .personal_data import deletion_blockers, deletion_warnings, parts

PEOPLE_PER_PAGE = 24


@permission_required("accounts.view_directory", raise_exception=True)
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    people = User.objects.for_directory().prefetch_related("themes")
    filters = form.cleaned_data if form.is_valid() else {}
    if q := filters.get("q"):
        people = people.filter(
            Q(display_name__unaccent_icontains=q)
            | Q(organisation__unaccent_icontains=q)
            | Q(job_title__unaccent_icontains=q)
            | Q(region__unaccent_icontains=q)
            | Q(skills__name__unaccent_icontains=q)
        ).distinct()
    if theme := filters.get("theme"):
        people = people.filter(themes=theme)
    if country := filters.get("country"):
        people = people.filter(country=country)
    paginator = Paginator(people, PEOPLE_PER_PAGE)
    if not any(filters.values()):
        paginator.count = directory_size()  # the whole directory: counted once, kept
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"form": form, "page": page})


@permission_required("accounts.view_profile", raise_exception=True)
def profile(request, username):
    person = get_object_or_404(
        User.objects.filter(is_active=True).prefetch_related("themes", "skills"),
        username=username,
    )
    context = {
        "person": person,
        "can_delete": request.user.has_perm("accounts.delete_account", person),
        "can_edit": request.user.has_perm("accounts.change_profile", person),
    }
    return render(request, "accounts/user_detail.html", context)


@permission_required("accounts.view_profile", raise_exception=True)
def avatar(request, username):
    person = get_object_or_404(User.objects.filter(is_active=True), username=username)
    if not person.avatar:
        raise Http404
    try:
        with person.avatar.open("rb") as file:
            # Avatars are re-encoded to a few kilobytes: no need to stream them.
            content = file.read()
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(content, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def profile_edit(request):
    person = request.user
    form = ProfileForm(request.POST or None, request.FILES or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.update_profile(request.user, person, **form.service_arguments())
        messages.success(request, _("Your profile has been saved."))
        return redirect("people:profile", person.username)
    if request.method == "POST":
        # The form keeps what was typed, but the instance must not show unsaved changes elsewhere.
        person.refresh_from_db()
    return render(
        request, "accounts/profile_form.html", {"form": form, **profile_data_context(person)}
    )


@permission_required("accounts.manage_coordinators", raise_exception=True)
def coordinators(request):
    form = GrantCoordinatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_coordinator_role(request.user, form.person)
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request, _("%(name)s is now a coordinator.") % {"name": form.person.name}
            )
            return redirect("coordination:coordinators")
    return render(
        request,
        "accounts/coordinators.html",
        {"form": form, "coordinators": User.objects.coordinators().order_by("display_name")},
    )


@post_only
@permission_required("accounts.manage_coordinators", raise_exception=True)
def change_coordinator_role(request, username):
    person = get_object_or_404(User.objects.filter(is_active=True), username=username)
    grant = request.POST.get("role") == "coordinator"
    try:
        if grant:
            services.grant_coordinator_role(request.user, person)
        else:
            services.revoke_coordinator_role(request.user, person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if grant:
            messages.success(request, _("%(name)s is now a coordinator.") % {"name": person.name})
        else:
            messages.success(
                request, _("%(name)s is no longer a coordinator.") % {"name": person.name}
            )
    next_url = request.POST.get("next")
    if next_url == "profile":
        return redirect(person)
    return redirect("coordination:coordinators")


# --- API tokens, the person's data, deletion --------------------------------------------------


def profile_data_context(person, token_form=None):
    """What the profile page shows under "My data and my API tokens"."""
    return {
        "api_tokens": list(person.api_tokens.all()[:50]),
        "token_form": token_form or ApiTokenForm(),
    }


@post_only
@never_cache
@permission_required("accounts.manage_api_tokens", raise_exception=True)
def api_token_create(request):
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, raw = services.create_api_token(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(
                request, "accounts/api_token_created.html", {"token": token, "raw_token": raw}
            )
    context = {
        "form": ProfileForm(instance=request.user),
        **profile_data_context(request.user, form),
    }
    return render(request, "accounts/profile_form.html", context, status=400)


@post_only
def api_token_revoke(request, token_id):
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=token_id)
    services.revoke_api_token(request.user, token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect(reverse("profile_edit") + "#api-tokens")


@permission_required("accounts.download_own_data", raise_exception=True)
def my_data(request):
    if request.method == "POST":
        try:
            services.request_personal_data(request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Your archive is being prepared: you will be notified when it is ready."),
            )
        return redirect("my_data")
    exports = PersonalDataExport.objects.filter(user=request.user)[:5]
    return render(request, "accounts/my_data.html", {"exports": exports, "parts": parts()})


def my_data_download(request, export_id):
    export = get_object_or_404(PersonalDataExport.objects.filter(user=request.user), pk=export_id)
    if not request.user.has_perm("accounts.download_data_export", export):
        raise Http404
    if not export.is_ready:
        return render(
            request,
            "accounts/archive_gone.html",
            {"export": export, "back_url": reverse("my_data")},
            status=410,
        )
    return archive_response(export, filename=export.file.name.rsplit("/", 1)[-1])


def delete_my_account(request):
    person = request.user
    blockers = deletion_blockers(person)
    form = DeleteMyAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not blockers:
        try:
            services.delete_account(person, person, password=form.cleaned_data["password"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted. Goodbye, and thank you."))
            return redirect("home")
    return render(
        request,
        "accounts/delete_my_account.html",
        {"form": form, "blockers": blockers, "my_data_url": reverse("my_data")},
        status=400 if request.method == "POST" else 200,
    )


def delete_account(request, username):
    person = get_object_or_404(User.objects.filter(is_active=True), username=username)
    if not request.user.has_perm("accounts.delete_account", person):
        raise PermissionDenied
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = person.name
        try:
            services.delete_account(request.user, person, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The account of %(name)s has been deleted; the reason is kept in the audit log.")
                % {"name": name},
            )
            return redirect("people:directory")
    return render(
        request,
        "accounts/delete_account.html",
        {"person": person, "form": form, "warnings": deletion_warnings(person)},
        status=400 if request.method == "POST" else 200,
    )


@login_not_required
def privacy(request):
    return render(request, "accounts/privacy.html", {"parts": parts()})


# --- The coordinators' audit log --------------------------------------------------------------

AUDIT_EVENTS_PER_PAGE = 50


@permission_required("accounts.view_audit_log", raise_exception=True)
def audit_log(request):
    actions = sorted(
        ((code, str(label)) for code, label in SENSITIVE_ACTIONS.items()), key=lambda a: a[1]
    )
    form = AuditFilterForm(request.GET or None, actions=actions)
    events = AuditEvent.objects.filter(action__in=list(SENSITIVE_ACTIONS))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if action := filters.get("action"):
        events = events.filter(action=action)
    if person := filters.get("person"):
        events = events.filter(
            Q(actor__display_name__icontains=person) | Q(actor__email__icontains=person)
        )
    if since := filters.get("since"):
        events = events.filter(created_at__date__gte=since)
    if until := filters.get("until"):
        events = events.filter(created_at__date__lte=until)
    if address := filters.get("address"):
        events = events.filter(ip_address=address)
    page = Paginator(
        events.select_related("actor", "target_type").order_by("-created_at", "-id"),
        AUDIT_EVENTS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    describe_targets(page.object_list)
    return render(
        request,
        "accounts/audit_log.html",
        {"form": form, "page": page, "filtered": bool(filters)},
    )


def describe_targets(events):
    """Read every event's target with one query per kind of target, and label the action."""
    events = list(events)
    wanted = {}
    for event in events:
        if event.target_type_id:
            wanted.setdefault(event.target_type, set()).add(event.target_id)
    found = {}
    for content_type, ids in wanted.items():
        model = content_type.model_class()
        if model is None:
            continue
        valid_ids = [pk for pk in ids if pk.isdigit()]
        for obj in model._base_manager.filter(pk__in=valid_ids):
            found[(content_type.pk, str(obj.pk))] = obj
    # The person a membership event is about (a role changed, a member removed).
    people_ids = {
        value
        for event in events
        for key in ("member", "new_lead")
        if isinstance(value := (event.details or {}).get(key), int)
    }
    people = User.objects.in_bulk(people_ids) if people_ids else {}
    for event in events:
        details = event.details or {}
        event.label = action_label(event.action)
        event.target_object = found.get((event.target_type_id, event.target_id))
        event.reason = details.get("reason", "")
        event.person = people.get(details.get("member") or details.get("new_lead"))
    return events
