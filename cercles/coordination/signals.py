"""What keeps the follow-up current between two runs of the hourly job: the leads' circle
follows leads and co-leads, the figures follow the accompaniment."""

from django.db import transaction
from django.db.models.signals import post_save


def _sync_circle():
    from .leads_circle import sync_leads_circle

    sync_leads_circle()


def _on_state_changed(sender, community, **kwargs):
    if not community.is_leads_circle:
        transaction.on_commit(_sync_circle)


def _on_membership_saved(sender, instance, **kwargs):
    from cercles.communities.models import LEADING_ROLES

    if instance.role in LEADING_ROLES and not instance.community.is_leads_circle:
        transaction.on_commit(_sync_circle)


def _on_accompaniment_saved(sender, instance, **kwargs):
    community_id = instance.community_id

    def refresh():
        from .figures import followed_communities, refresh_figures

        refresh_figures(followed_communities().filter(pk=community_id))

    transaction.on_commit(refresh)


def connect():
    from cercles.communities.models import Membership
    from cercles.communities.signals import community_state_changed
    from cercles.mentoring.models import Mentorship, SupportNeed

    community_state_changed.connect(_on_state_changed, dispatch_uid="leads_circle_state")
    post_save.connect(_on_membership_saved, sender=Membership, dispatch_uid="leads_circle_roles")
    post_save.connect(_on_accompaniment_saved, sender=SupportNeed, dispatch_uid="figures_needs")
    post_save.connect(_on_accompaniment_saved, sender=Mentorship, dispatch_uid="figures_mentors")
