"""The leads' circle (cercle des porteurs, seed 000): a network-level space for practice-analysis
workshops, whose members are at all times the leads and co-leads of the open and active
communities, and the coordinators. It is a community like the others (`is_leads_circle`), so it
has discussions, meetings and notes without copying them; its membership is kept in sync here,
after every change that moves it (signals) and by the hourly job."""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cercles.accounts.models import User
from cercles.communities.lifecycle import State
from cercles.communities.models import (
    LEADING_ROLES,
    Community,
    Involvement,
    Membership,
    MembershipStatus,
    Role,
    Visibility,
)
from cercles.communities.services import refresh_member_count

RUNNING = (State.OPEN, State.ACTIVE)
SLUG = "cercle-des-porteurs"
# The link appears in a lead's navigation once this many communities run (seed 000: "dès que
# plusieurs CP coexistent").
SHOWN_FROM = 2


def leads_circle():
    return Community.objects.filter(is_leads_circle=True).first()


def ensure_leads_circle():
    """The circle, created with the first coordinator as its lead if it does not exist yet."""
    circle = leads_circle()
    if circle is not None:
        return circle
    lead = User.objects.coordinators().order_by("pk").first()
    if lead is None:
        return None
    circle = Community.objects.create(
        title=_("Leads' circle"),
        slug=SLUG,
        lead=lead,
        state=State.ACTIVE,
        visibility=Visibility.PRIVATE,
        is_leads_circle=True,
        target_size_min=0,
        target_size_max=1000,
        purpose=_(
            "The leads and co-leads of the running communities meet here with the coordinators "
            "for practice-analysis workshops: the successes and the problems of each community, "
            "looked at together."
        ),
    )
    return circle


def desired_members():
    """{user id: role}: coordinators in the core group, leads and co-leads in the inner circle."""
    desired = {}
    for pk in User.objects.coordinators().values_list("pk", flat=True):
        desired[pk] = Role.CORE
    for pk in Membership.objects.filter(
        role__in=LEADING_ROLES,
        status=MembershipStatus.ACTIVE,
        community__state__in=RUNNING,
        community__is_leads_circle=False,
    ).values_list("user_id", flat=True):
        desired.setdefault(pk, Role.INNER)
    return desired


@transaction.atomic
def sync_leads_circle():
    """Bring the circle's membership in line with the running communities. Returns the circle."""
    circle = ensure_leads_circle()
    if circle is None:
        return None
    now = timezone.now()
    desired = desired_members()
    desired[circle.lead_id] = Role.LEAD
    existing = {m.user_id: m for m in Membership.objects.filter(community=circle)}
    created, changed = [], []
    for user_id, role in desired.items():
        membership = existing.get(user_id)
        if membership is None:
            created.append(
                Membership(
                    community=circle,
                    user_id=user_id,
                    role=role,
                    involvement=Involvement.ACTIVE,
                    joined_at=now,
                )
            )
        elif membership.status != MembershipStatus.ACTIVE or membership.role != role:
            membership.status = MembershipStatus.ACTIVE
            membership.role = role
            membership.ended_at = None
            changed.append(membership)
    for user_id, membership in existing.items():
        if user_id not in desired and membership.status == MembershipStatus.ACTIVE:
            membership.status = MembershipStatus.LEFT
            membership.ended_at = now
            changed.append(membership)
    if created:
        Membership.objects.bulk_create(created)
    if changed:
        Membership.objects.bulk_update(changed, ["status", "role", "ended_at"])
    if created or changed:
        refresh_member_count(circle)
    transaction.on_commit(lambda: remember_navigation(circle))
    return circle


NAVIGATION_KEY = "leads-circle:navigation"


def remember_navigation(circle):
    """Keep in the cache who sees the circle in their navigation, so that pages ask no query:
    refreshed by every sync (after the changes that move it, and every hour)."""
    members = list(
        Membership.objects.filter(community=circle, status=MembershipStatus.ACTIVE).values_list(
            "user_id", flat=True
        )
    )
    running = Community.objects.filter(state__in=RUNNING, is_leads_circle=False).count()
    cache.set(
        NAVIGATION_KEY,
        {
            "title": circle.title,
            "url": circle.get_absolute_url(),
            "members": members,
            "running": running,
        },
        timeout=None,
    )


def navigation_link(user):
    """(title, url) of the circle for the navigation of one of its members, once two
    communities run; None otherwise. Read from the cache: no query."""
    if not user.is_authenticated:
        return None
    data = cache.get(NAVIGATION_KEY)
    if not data or data["running"] < SHOWN_FROM or user.pk not in data["members"]:
        return None
    return data["title"], data["url"]


def workshop_agenda(limit=30):
    """[(community, latest update)] of the running communities: the successes (done) and the
    problems (blockers) each brings to a practice-analysis workshop. Two queries."""
    from .models import ProgressUpdate

    communities = list(
        Community.objects.filter(state__in=RUNNING, is_leads_circle=False)
        .select_related("lead")
        .order_by("title")[:limit]
    )
    latest = {}
    since = timezone.now() - timezone.timedelta(days=120)
    for update in ProgressUpdate.objects.filter(
        community__in=communities, created_at__gte=since
    ).order_by("community_id", "-created_at", "-id"):
        latest.setdefault(update.community_id, update)
    return [(c, latest.get(c.pk)) for c in communities]
