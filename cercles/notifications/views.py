from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from rules.contrib.views import permission_required

from . import services
from .forms import PreferencesForm
from .models import Notification

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


@require_POST
def mark_read(request, pk):
    services.mark_read(request.user, _own_notification(request, pk))
    return redirect("notifications:list")


@require_POST
@permission_required("notifications.view_notifications", raise_exception=True)
def mark_all_read(request):
    if services.mark_all_read(request.user):
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:list")


@permission_required("notifications.change_preferences", raise_exception=True)
def notification_settings(request):
    form = PreferencesForm(request.POST or None, current=services.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.set_preferences(request.user, form.deliveries())
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/preferences_form.html", {"form": form})
