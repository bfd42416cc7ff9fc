"""What discussions add to a community's home: the latest threads, with the person's unread marks
(see cercles.communities.panels). One query."""

from .models import Thread

THREADS_SHOWN = 5


def latest_threads_panel(request, community, can):
    user = request.user
    threads = list(
        Thread.objects.filter(community=community)
        .for_list(user)
        .order_by("-last_activity_at", "-id")[:THREADS_SHOWN]
    )
    for thread in threads:
        thread.community = community
    return {
        "threads": threads,
        "can_start": user.has_perm("discussions.start_thread", community),
        "shown": THREADS_SHOWN,
    }
