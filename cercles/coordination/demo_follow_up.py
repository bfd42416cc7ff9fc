"""Demo follow-up: the figures and flags of every community, a coordinator's notes on the
stuck ones and a message to a lead."""

import datetime

from django.utils import timezone

from cercles.accounts.models import User
from cercles.communities.models import Community

from . import services
from .figures import refresh_figures
from .models import FollowUpNote

NOTES = [
    (
        "budget-participatif-communes",
        12,
        "Appel avec la porteuse : l'équipe municipale a changé après les élections, les "
        "rencontres sont suspendues le temps de retrouver des interlocuteurs. À revoir dans un "
        "mois ; proposer un binôme avec un ancien porteur.",
    ),
    (
        "eau-assainissement-sahel",
        4,
        "Demande d'aide sur les contrats d'entretien : voir si quelqu'un de la CdP "
        "« Gestion des services d'eau » (close) peut accompagner.",
    ),
]


def _age_stuck_communities():
    """The demo's stuck communities started long ago and went quiet; one framing waits."""
    now = timezone.now()
    Community.objects.filter(slug="budget-participatif-communes").update(
        created_at=now - datetime.timedelta(days=75),
        next_steps_updated_at=now - datetime.timedelta(days=48),
    )
    Community.objects.filter(slug="dechets-urbains-cotonou", state="in_review").update(
        submitted_at=now - datetime.timedelta(days=13)
    )


def seed(stdout):
    coordinator = User.objects.filter(email="coordination@demo.test").first()
    if coordinator is None:
        return
    if not FollowUpNote.objects.exists():
        _age_stuck_communities()
    refresh_figures()
    added = 0
    for slug, days_ago, body in NOTES:
        community = Community.objects.filter(slug=slug).select_related("lead").first()
        if community is None or community.follow_up_notes.exists():
            continue
        note = services.add_follow_up_note(coordinator, community, body)
        FollowUpNote.objects.filter(pk=note.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
        added += 1
    community = Community.objects.filter(slug="budget-participatif-communes").first()
    if community is not None and not community.follow_up_notes.filter(kind="contact").exists():
        services.contact_lead(
            coordinator,
            community,
            subject="Où en est la communauté ?",
            body="Bonjour, nous voyons que la communauté n'a pas pu se réunir ces dernières "
            "semaines. Pouvons-nous en parler lors d'un court appel la semaine prochaine ?",
        )
        added += 1
    flagged = sum(1 for f in refresh_figures() if f.flags)
    stdout.write(f"Follow-up: {flagged} communities flagged, {added} notes and messages added.")
