from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from cercles.core.decorators import post_only

from . import audience, services
from .forms import SettingsForm
from .kinds import Level
from .models import DigestSchedule, Notification
from .unsubscribe import describe, read_token

NOTIFICATIONS_PER_PAGE = 25


def _own_notification(request, pk):
    # Someone else's notification answers 404, like one that does not exist.
    return get_object_or_404(Notification.objects.for_recipient(request.user), pk=pk)


@permission_required("notifications.view_notifications", raise_exception=True)
def notification_list(request):
    notifications = Notification.objects.for_recipient(request.user)
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def open_notification(request, pk):
    """Mark the notification read and go where it points (emails link here too)."""
    notification = _own_notification(request, pk)
    services.mark_read(request.user, notification)
    if notification.url and services.is_site_path(notification.url):
        return redirect(notification.url)
    return redirect("notifications:list")


@post_only
def mark_read(request, pk):
    services.mark_read(request.user, _own_notification(request, pk))
    return redirect("notifications:list")


@post_only
@permission_required("notifications.view_notifications", raise_exception=True)
def mark_all_read(request):
    if services.mark_all_read(request.user):
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:list")


PLACES_PER_PAGE = 50


@permission_required("notifications.change_preferences", raise_exception=True)
def notification_settings(request):
    user = request.user
    places = sorted(
        audience.places_of([user.pk]).get(user.pk, {}).values(), key=lambda p: p.title.lower()
    )
    # A level per community, 50 communities a page: a person in hundreds of communities does not
    # get hundreds of selectors; saving a page changes the communities it shows, no other.
    page = Paginator(places, PLACES_PER_PAGE).get_page(request.GET.get("page"))
    schedule = DigestSchedule.objects.filter(user=user).first() or services.new_schedule(user)
    form = SettingsForm(
        request.POST or None,
        current=services.preferences_of(user),
        places=page.object_list,
        levels=services.levels_of(user),
        schedule=schedule,
    )
    if request.method == "POST" and form.is_valid():
        services.set_preferences(
            user,
            form.deliveries(),
            levels=form.levels(),
            hour=form.cleaned_data["hour"],
            weekday=form.cleaned_data["weekday"],
        )
        messages.success(request, _("Your notification settings have been saved."))
        if page.number > 1:
            return redirect(f"{reverse('notifications:settings')}?page={page.number}")
        return redirect("notifications:settings")
    return render(
        request,
        "notifications/preferences_form.html",
        {"form": form, "time_zone": user.timezone, "level_choices": Level.choices, "page": page},
    )


@login_not_required
@csrf_exempt  # RFC 8058: mail programs post without cookies; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One-click unsubscribe: GET asks first; POST (the page's button, a mail program) does it."""
    try:
        user_id, scope = read_token(token)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    person = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    if request.user.is_authenticated and request.user.pk != person.pk:
        return render(request, "notifications/unsubscribe_other.html", status=403)
    context = {"what": describe(scope), "token": token, "person": person}
    if request.method == "POST":
        services.unsubscribe(person, scope)
        return render(request, "notifications/unsubscribe_done.html", context)
    return render(request, "notifications/unsubscribe_confirm.html", context)
