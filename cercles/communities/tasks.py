"""Periodic jobs of the communities app."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_periodic_task(crontab(hour="7", minute="0"))
def remind_due_milestones():
    """Every morning: milestones and tasks due within three days, each reminded once."""
    from .planning import send_due_reminders

    return send_due_reminders()


@db_periodic_task(crontab(hour="9", minute="0"))
def remind_next_steps():
    """Every morning: leads whose next steps have not moved for a month get a nudge (once a
    month per community)."""
    from .notifying import remind_next_steps as remind

    return remind()


@db_task()
def build_community_export(export_id):
    """Write a community's export, then tell the person who asked for it."""
    from django.urls import reverse
    from django.utils import translation

    from cercles.core.archives import build_archive
    from cercles.notifications.services import notify

    from .exports import export_filename, write_community_export
    from .models import CommunityExport

    export = (
        CommunityExport.objects.select_related("community", "requested_by")
        .filter(pk=export_id)
        .first()
    )
    if export is None or not export.is_pending:
        return
    community, requester = export.community, export.requested_by
    if not requester.has_perm("communities.export_community", community):
        export.delete()
        return
    with translation.override(requester.language):
        build_archive(
            export,
            lambda writer: write_community_export(community, requester, writer),
            filename=export_filename(community),
        )
    notify(
        requester,
        "community.export_ready",
        url=reverse("communities:export", args=[community.slug]),
        community=community.title,
    )


@db_task()
def send_imported_invitations(import_id, actor_id):
    from cercles.accounts.models import User

    from .models import ImportStatus, MemberImport
    from .services import send_imported_invitations as send

    member_import = MemberImport.objects.select_related("community").filter(pk=import_id).first()
    actor = User.objects.filter(pk=actor_id, is_active=True).first()
    if member_import is None or actor is None or member_import.status != ImportStatus.SENDING:
        return
    send(member_import, actor)


@db_periodic_task(crontab(hour="2", minute="40"))
def archive_closed_communities():
    """Every night: archive the closed communities whose grace period is over."""
    from .services import archive_due_communities

    return archive_due_communities()
