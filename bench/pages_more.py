"""Benchmark pages of life inside communities."""

from django.urls import reverse


def more_pages(big):
    from cercles.discussions.models import Thread

    thread = Thread.objects.order_by("-post_count").first()
    busiest = thread.community
    thread_url = reverse("discussions:thread", args=[busiest.slug, thread.pk])
    last_page = (thread.post_count + 29) // 30
    return [
        {"name": "thread list", "path": reverse("discussions:thread_list", args=[busiest.slug]),
         "who": "member of every community"},
        {"name": "thread page (1,000 posts), first", "path": thread_url,
         "who": "member of every community"},
        {"name": "thread page (1,000 posts), last", "path": f"{thread_url}?page={last_page}",
         "who": "member of every community"},
        {"name": "meetings", "path": reverse("meetings:list", args=[busiest.slug]),
         "who": "member of every community"},
        {"name": "community library", "path": reverse("library:item_list", args=[busiest.slug]),
         "who": "member of every community"},
        {"name": "network library", "path": reverse("library:network_library"), "who": "member"},
        # The JSON API's lists, next to the pages that show the same thing (catalogue,
        # notifications, meetings): as many rows per request as the page (12, 25, 20).
        {"name": "API: communities (catalogue)", "path": "/api/communities?limit=12",
         "who": "member"},
        {"name": "API: notifications", "path": "/api/notifications?limit=25", "who": "lead"},
        {"name": "API: meetings", "path": f"/api/communities/{busiest.slug}/meetings?limit=20",
         "who": "member of every community"},
    ]  # fmt: skip
