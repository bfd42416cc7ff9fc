"""A synthetic network for benchmarks: deterministic (fixed seed), bulk-inserted, French-looking.

Each part of the product adds its rows through a function registered in PARTS, in order; a part
whose app is not installed yet is skipped. Counters that services keep (member counts, post
counts, last activity) are set directly, as the services would have left them.
"""

import datetime
import random
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

BATCH = 2000
PASSWORD = "cercles-bench"


@dataclass(frozen=True)
class Scale:
    people: int
    communities: int
    threads: int
    posts: int
    meetings: int
    library_items: int
    big_thread_posts: int
    big_community_members: int
    memberships_per_person: int
    # Closed surveys of the busiest communities, each with this many answers to 10 questions.
    surveys: int = 0
    survey_answers: int = 0


# S has fewer people and communities than M, but the same content per community (threads,
# meetings, library items): the M/S time ratio then measures the effect of the network's size.
SCALES = {
    "S": Scale(300, 20, 200, 10_000, 200, 500, 1_000, 200, 3, surveys=12, survey_answers=100),
    "M": Scale(10_000, 200, 2_000, 100_000, 2_000, 5_000, 1_000, 5_000, 3, 50, 400),
    "L": Scale(50_000, 1_000, 20_000, 1_000_000, 10_000, 50_000, 1_000, 20_000, 3, 200, 400),
}

WORDS = (
    "communauté pratique eau assainissement forage comité gestion village commune atelier "
    "guide partage expérience réseau acteurs territoire solution projet formation jeunes "
    "femmes coopérative budget participatif citoyenneté éducation santé climat agroécologie "
    "déchets énergie solaire mobilisation plaidoyer suivi évaluation rencontre échanges "
    "méthode outil accompagnement animation capitalisation production publication saison "
    "objectif attentes besoins difficultés réussites leçons apprises prochaines étapes"
).split()


def sentence(rng, words=14):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng, chars=800):
    parts = []
    while sum(len(p) + 1 for p in parts) < chars:
        parts.append(sentence(rng, rng.randint(8, 18)))
    return " ".join(parts)[:chars]


@dataclass
class Context:
    rng: random.Random
    scale: Scale
    now: datetime.datetime
    people: list
    communities: list
    big_community: object = None
    busy_member: object = None
    big_thread: object = None


def _bulk(model, rows):
    return model.objects.bulk_create(rows, batch_size=BATCH)


def seed_people(ctx):
    from allauth.account.models import EmailAddress

    from cercles.accounts.models import User

    password = make_password(PASSWORD)
    countries = ["SN", "BF", "BJ", "CI", "MG", "HT", "CA", "BE", "FR"]
    users = _bulk(
        User,
        [
            User(
                username=f"bench-{i}",
                email=f"bench{i}@bench.test",
                password=password,
                display_name=f"Praticien·ne {i}",
                organisation=f"Organisation {i % 400}",
                country=countries[i % len(countries)],
                is_coordinator=i < 5,
            )
            for i in range(ctx.scale.people)
        ],
    )
    if connection.features.can_return_rows_from_bulk_insert is False:
        users = list(User.objects.filter(username__startswith="bench-").order_by("pk"))
    _bulk(
        EmailAddress,
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
    )
    ctx.people = users
    ctx.busy_member = users[5]


def seed_communities(ctx):
    from cercles.communities.lifecycle import State
    from cercles.communities.models import Community, Membership, Milestone, Role
    from cercles.taxonomy.models import Theme
    from cercles.taxonomy.services import ensure_sdg_themes

    rng = ctx.rng
    ensure_sdg_themes()  # a flushed database has lost the migrations' themes
    themes = list(Theme.objects.all())
    states = [State.ACTIVE] * 6 + [State.OPEN] * 2 + [State.IN_REVIEW, State.CLOSED]
    visibilities = ["network", "network", "public", "private"]
    leads = ctx.people[10 : 10 + ctx.scale.communities]
    communities = _bulk(
        Community,
        [
            Community(
                title=f"Communauté {i} — {sentence(rng, 4)[:-1]}",
                slug=f"communaute-{i}",
                state=states[i % len(states)],
                visibility=visibilities[i % len(visibilities)],
                # Public communities have room: the visitors' home page lists them.
                target_size_max=400 if i % len(visibilities) == 2 else 40,
                lead=leads[i],
                kind="thematic" if i % 3 else "territorial",
                problem_statement=paragraph(rng, 400),
                positioning=paragraph(rng, 200),
                purpose=paragraph(rng, 300),
                objective_types=["exchange", "solutions"],
                expected_production_kinds=["publication"],
                start_date=ctx.now.date() - datetime.timedelta(days=120),
                end_date=ctx.now.date() + datetime.timedelta(days=240),
                submitted_at=ctx.now - datetime.timedelta(days=i % 30),
            )
            for i in range(ctx.scale.communities)
        ],
    )
    communities = list(Community.objects.order_by("pk"))
    ctx.communities = communities
    ctx.big_community = communities[0]
    through = Community.themes.through
    _bulk(
        through,
        [through(community=c, theme=theme) for c in communities for theme in rng.sample(themes, 2)],
    )
    _bulk(
        Milestone,
        [
            Milestone(
                community=c,
                title=sentence(rng, 4),
                due_date=ctx.now.date() + datetime.timedelta(days=30 * k - 45),
                owner=c.lead,
            )
            for c in communities
            for k in range(3)
        ],
    )

    members = {}  # (community id, user id) → role
    for c in communities:
        members[(c.pk, c.lead_id)] = Role.LEAD
    for index, c in enumerate(communities):  # by position, not by id: ids vary between runs
        members.setdefault((c.pk, ctx.people[(index * 7 + 1) % len(ctx.people)].pk), Role.CO_LEAD)
    for person in ctx.people:
        for c in rng.sample(communities, min(ctx.scale.memberships_per_person, len(communities))):
            members.setdefault((c.pk, person.pk), rng.choice([Role.INNER, Role.OUTER, Role.OUTER]))
    for c in communities:  # the member of every community
        members.setdefault((c.pk, ctx.busy_member.pk), Role.INNER)
    for person in ctx.people[: ctx.scale.big_community_members]:  # the very large community
        members.setdefault((ctx.big_community.pk, person.pk), Role.OUTER)
    _bulk(
        Membership,
        [
            Membership(
                community_id=cid,
                user_id=uid,
                role=role,
                joined_at=ctx.now,
                objective=sentence(rng, 10),
                involvement="occasional",
            )
            for (cid, uid), role in members.items()
        ],
    )
    # The counters the membership services keep: in all and per circle.
    per_circle = {}
    for (cid, _), role in members.items():
        circles = per_circle.setdefault(cid, {})
        circles[role] = circles.get(role, 0) + 1
    for c in communities:
        c.members_per_circle = per_circle.get(c.pk, {})
        c.member_count = sum(c.members_per_circle.values())
    Community.objects.bulk_update(
        communities, ["member_count", "members_per_circle"], batch_size=BATCH
    )


PARTS = [
    ("accounts", seed_people),
    ("communities", seed_communities),
]


def register_part(app_label, function):
    """Later parts of the product add their bench rows here (threads, meetings, library…)."""
    PARTS.append((app_label, function))


def generate(scale_name, stdout=None, seed=2026):
    scale = SCALES[scale_name]
    ctx = Context(
        rng=random.Random(seed), scale=scale, now=timezone.now(), people=[], communities=[]
    )
    for app_label, function in PARTS:
        if not apps.is_installed(f"cercles.{app_label}"):
            continue
        started = timezone.now()
        with transaction.atomic():
            function(ctx)
        if stdout:
            seconds = (timezone.now() - started).total_seconds()
            stdout.write(f"  {function.__name__}: {seconds:.1f} s")
    return ctx
