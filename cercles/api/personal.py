"""The person calling: who they are, their notifications."""

from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import paginate

from cercles.notifications import services as notifications
from cercles.notifications.models import Notification

from .pagination import CursorPagination
from .schemas import MeOut, NotificationOut, ReadAllOut
from .security import people, writers

router = Router(tags=["me"])


@router.get("/me", response=MeOut, auth=people(), summary="Who I am")
def me(request):
    user = request.user
    token = getattr(request, "api_token", None)
    return {
        "username": user.username,
        "name": user.name,
        "email": user.email,
        "organisation": user.organisation,
        "language": user.language,
        "is_coordinator": user.is_coordinator,
        "authenticated_by": "token" if token else "session",
        "token_scope": token.scope if token else None,
    }


@router.get(
    "/notifications",
    response=list[NotificationOut],
    auth=people(),
    summary="My notifications",
)
@paginate(CursorPagination, ordering=("-created_at", "-pk"))
def list_notifications(request, unread: bool = False):
    """The person's own notifications, newest first; `unread=true` for the unread ones only."""
    mine = Notification.objects.for_recipient(request.user)
    return mine.unread() if unread else mine


@router.post(
    "/notifications/read-all",
    response=ReadAllOut,
    auth=writers(),
    summary="Mark all my notifications read",
)
def read_all(request):
    return {"marked_read": notifications.mark_all_read(request.user)}


@router.post(
    "/notifications/{notification_id}/read",
    response=NotificationOut,
    auth=writers(),
    summary="Mark one of my notifications read",
)
def read_one(request, notification_id: int):
    """Another person's notification answers 404, like a missing one."""
    notification = get_object_or_404(
        Notification.objects.for_recipient(request.user), pk=notification_id
    )
    return notifications.mark_read(request.user, notification)
