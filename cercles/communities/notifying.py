"""What the communities tell the notifications: who is where, what changed, what to recommend.

Registered from the app's ready(): the membership provider used to apply defaults by role and
per-community settings, the digest section "next steps changed", and the personal sections of
the newsletter "next steps of my communities" and "communities recommended for me". Each reads a
whole batch of people in a fixed number of queries.
"""

import datetime

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from cercles.notifications.audience import Place, register_provider
from cercles.notifications.sections import (
    Item,
    register_digest_section,
    register_personal_section,
)

from .lifecycle import JOINABLE_STATES
from .models import Community, Membership, MembershipStatus

NEXT_STEPS_CHARS = 280
# A lead hears about the next steps once a month, unless they updated them recently.
REMINDER_EVERY = datetime.timedelta(days=30)


class MembershipProvider:
    def places_of(self, user_ids):
        rows = Membership.objects.filter(
            user_id__in=user_ids, status=MembershipStatus.ACTIVE
        ).values_list("user_id", "community_id", "role", "community__title", "community__slug")
        urls = {}
        places = {}
        for user_id, community_id, role, title, slug in rows:
            if slug not in urls:
                urls[slug] = reverse("communities:detail", args=[slug])
            places.setdefault(user_id, {})[community_id] = Place(
                community_id, title, urls[slug], role
            )
        return places

    def roles_in(self, community_id, user_ids):
        return dict(
            Membership.objects.filter(
                community_id=community_id, user_id__in=user_ids, status=MembershipStatus.ACTIVE
            ).values_list("user_id", "role")
        )


def _community_url(slug, cache={}):  # noqa: B006 - a per-process cache of a pure function
    if slug not in cache:
        cache[slug] = reverse("communities:detail", args=[slug])
    return cache[slug]


def next_steps_changed(batch):
    """Digest: the communities whose next steps changed during each reader's period."""
    since = batch.since
    rows = (
        Community.objects.filter(
            pk__in=batch.community_ids,
            next_steps_updated_at__gt=since,
            next_steps_updated_at__lte=batch.until,
        )
        .exclude(next_steps="")
        .values("pk", "title", "slug", "next_steps", "next_steps_updated_at")
    )
    rows = list(rows)
    found = {}
    for reader in batch.readers:
        for row in rows:
            if row["pk"] in reader.community_ids and row["next_steps_updated_at"] > reader.since:
                found.setdefault(reader.user.pk, []).append(_next_steps_item(row))
    return found


def _next_steps_item(row):
    return Item(
        title=row["title"],
        url=_community_url(row["slug"]),
        detail=Truncator(" ".join(row["next_steps"].split())).chars(NEXT_STEPS_CHARS),
        when=row["next_steps_updated_at"],
    )


def my_next_steps(batch):
    """Personal part: the next steps of each of my running communities."""
    rows = list(
        Community.objects.filter(pk__in=batch.community_ids, state__in=JOINABLE_STATES)
        .exclude(next_steps="")
        .order_by("-next_steps_updated_at", "title")
        .values("pk", "title", "slug", "next_steps", "next_steps_updated_at")
    )
    return {
        reader.user.pk: [_next_steps_item(r) for r in rows if r["pk"] in reader.community_ids]
        for reader in batch.readers
    }


def recommended_for_me(batch, limit=3):
    """Personal part: recruiting communities matching each reader's themes and country.

    Four queries for the whole batch: the candidates, their themes and territories, the
    readers' themes, their pending requests.
    """
    from cercles.accounts.models import User
    from cercles.taxonomy.models import Territory

    candidates = list(
        Community.objects.filter(
            state__in=JOINABLE_STATES,
            member_count__lt=F("target_size_max"),
        )
        .prefetch_related("themes", "territories")
        .only("pk", "title", "slug", "purpose", "objective_types")
    )
    if not candidates:
        return {}
    user_ids = [r.user.pk for r in batch.readers]
    themes = {}
    for user_id, theme_id in User.themes.through.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "theme_id"
    ):
        themes.setdefault(user_id, set()).add(theme_id)
    pending = set(
        Membership.objects.filter(
            user_id__in=user_ids, status=MembershipStatus.PENDING
        ).values_list("user_id", "community_id")
    )
    territories_of_country = {}
    for territory in Territory.objects.all():
        for country in territory.countries or []:
            territories_of_country.setdefault(country, set()).add(territory.pk)
    found = {}
    for reader in batch.readers:
        user = reader.user
        mine = themes.get(user.pk, set())
        local = territories_of_country.get(str(user.country or ""), set())
        sought = set(user.sought_objectives or [])
        scored = []
        for community in candidates:
            if community.pk in reader.places or (user.pk, community.pk) in pending:
                continue
            shared = sum(1 for t in community.themes.all() if t.pk in mine)
            near = any(t.pk in local for t in community.territories.all())
            objectives = len(sought & set(community.objective_types or []))
            score = shared + objectives + (1 if near else 0)
            if score:
                scored.append((-score, community.title, community))
        scored.sort(key=lambda s: (s[0], s[1]))
        found[user.pk] = [
            Item(
                title=community.title,
                url=_community_url(community.slug),
                detail=Truncator(" ".join(community.purpose.split())).chars(160),
            )
            for _score, _title, community in scored[:limit]
        ]
    return found


def register():
    register_provider(MembershipProvider())
    register_digest_section(
        "communities.next_steps", _("Next steps changed"), next_steps_changed, group="plan",
        order=50,
    )  # fmt: skip
    register_personal_section(
        "communities.next_steps", _("Next steps of my communities"), my_next_steps, order=10
    )
    register_personal_section(
        "communities.recommended",
        _("Communities recommended for me"),
        recommended_for_me,
        order=30,
        limit=3,
    )


# --- Reminders to leads --------------------------------------------------------------------------


def remind_next_steps(now=None):
    """Remind the lead and co-lead of each running community whose next steps have not changed
    for a month to update them; at most once a month per community. Returns how many."""
    from cercles.notifications.models import Notification
    from cercles.notifications.services import notify

    from .models import LEADING_ROLES

    now = now or timezone.now()
    stale = Q(next_steps_updated_at__isnull=True) | Q(
        next_steps_updated_at__lt=now - REMINDER_EVERY
    )
    communities = list(
        Community.objects.filter(
            stale, state__in=JOINABLE_STATES, created_at__lt=now - REMINDER_EVERY
        ).only("pk", "title", "slug")
    )
    reminded = set(
        Notification.objects.filter(
            kind="communities.next_steps_reminder",
            community_id__in=[c.pk for c in communities],
            created_at__gte=now - REMINDER_EVERY,
        ).values_list("community_id", flat=True)
    )
    leaders = {}
    for membership in Membership.objects.filter(
        community__in=[c for c in communities if c.pk not in reminded],
        status=MembershipStatus.ACTIVE,
        role__in=LEADING_ROLES,
    ).select_related("user"):
        leaders.setdefault(membership.community_id, []).append(membership.user)
    count = 0
    for community in communities:
        if community.pk in reminded or not leaders.get(community.pk):
            continue
        notify(
            leaders[community.pk],
            "communities.next_steps_reminder",
            url=reverse("communities:detail", args=[community.slug]) + "#next-steps",
            community=community.title,
            community_id=community.pk,
        )
        count += 1
    return count
