from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from . import services
from .directory import directory_size
from .forms import DirectoryFilterForm, GrantCoordinatorForm, ProfileForm
from .models import User

PEOPLE_PER_PAGE = 24


@permission_required("accounts.view_directory", raise_exception=True)
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    people = User.objects.for_directory().prefetch_related("themes")
    filters = form.cleaned_data if form.is_valid() else {}
    if q := filters.get("q"):
        people = people.filter(
            Q(display_name__icontains=q)
            | Q(organisation__icontains=q)
            | Q(job_title__icontains=q)
            | Q(region__icontains=q)
            | Q(skills__name__icontains=q)
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
    return render(request, "accounts/user_detail.html", {"person": person})


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
    return render(request, "accounts/profile_form.html", {"form": form})


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


@require_POST
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
