"""A community's progress updates: the list, newest first, and the form of the lead."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cercles.communities.lookups import community_for, require

from . import services
from .forms import ProgressUpdateForm

UPDATES_PER_PAGE = 10


def update_list(request, slug):
    community = community_for(request, slug, content=True)
    updates = community.progress_updates.select_related("author")
    page = Paginator(updates, UPDATES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "community": community,
        "page": page,
        "updates": page.object_list,
        "can": {"post": request.user.has_perm("coordination.post_update", community)},
    }
    return render(request, "coordination/update_list.html", context)


def update_new(request, slug):
    community = community_for(request, slug, content=True)
    require(request, "coordination.post_update", community)
    form = ProgressUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            update = services.post_update(request.user, community, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if update.asks_for_help:
                messages.success(
                    request,
                    _("Your update is posted; the coordinators have been told you need help."),
                )
            else:
                messages.success(request, _("Your update is posted."))
            return redirect(reverse("updates:list", args=[community.slug]))
    return render(request, "coordination/update_form.html", {"community": community, "form": form})
