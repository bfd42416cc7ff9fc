"""Every kind of person against communities of every visibility and state (issue 19, deliverable 1).

The table of expectations is `access_matrix.md`, written from DESIGN.md §1–2 and §8, not read
back from rules.py. One world is built once for the module: twelve communities, one of each
visibility (private, network, public) in each state where people have been (active, closed,
dissolved, archived), each with its discussions, meetings, notes, files, surveys, seasons,
milestones, tasks, accompaniment… (every app's `tests/routes.py`), and every piece of text its
members wrote carrying the community's own marker. Each kind of person has the same relation to
all twelve (the lead leads them all, the pending person waits in each…), so that what a
network-wide channel (search, catalogue, directory, API, calendar feed, library, reports) shows
them can be compared with the set of communities they may read.

Five tests, each parametrized over a table of access_matrix.md:
- `test_reading`: per person and community, every route about the community (its pages,
  downloads, .ics, API, exports, PDFs): someone who may not read finds the marker on none;
  someone who may finds it on the discussion thread; no answer is a server error.
- `test_forged_posts`: per person who may not change the community (outsiders, whatever the
  state; every insider when it is archived: "archived = read-only everywhere"), a forged POST to
  every route about it changes no row of any table.
- `test_network_channels`: per person, the network-wide channels show the markers of exactly the
  communities the person may read, and no other.
- `test_pages_that_change`: per insider of a running community and page that changes it, the
  page opens (GET) exactly for those DESIGN.md §1 gives it to.
- `test_posts_in_a_running_community`: per insider of a running community (and a coordinator)
  and route that changes it, a valid form posted: refused with no row of any table changed
  where DESIGN.md §1 denies it, let through with a row changed where it allows it.
"""

import datetime
import hashlib
import logging
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import (
    Community,
    FinalRecord,
    MembershipStatus,
    Role,
    Visibility,
)
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.tests.test_routes import app_route_modules, project_routes
from cercles.taxonomy.models import Theme

MATRIX = Path(__file__).with_name("access_matrix.md")
VISIBILITIES = [Visibility.PRIVATE, Visibility.NETWORK, Visibility.PUBLIC]
STATES = [State.ACTIVE, State.CLOSED, State.DISSOLVED, State.ARCHIVED]
NAMED_TEXT = {"title", "name", "text", "label", "agenda", "place", "body", "subject"}
VOLATILE = {"last_login", "last_seen_at", "last_activity_at", "updated_at"}
# What reading leaves behind: where a person stopped reading, a generated PDF kept as a cache.
READING_TRACES = {"discussions.ThreadRead", "seasons.CelebrationPdf"}
# Reporting a post to the moderators is open to whoever reads it (and is audited).
OPEN_TO_READERS = {"discussions:report_post"}
# The presentation (framing) and the productions of a public community are public on purpose
# (DESIGN.md §1: "catalogue entry and productions public"): they carry no marker there.
PUBLIC_ON_PURPOSE = {"library.Production", "communities.FinalRecord"}
FORGED = {
    "body": "forged", "title": "forged", "text": "forged", "name": "forged",
    "decision": "accept", "status": "done", "answer": "yes", "role": "inner",
    "emails": "forged@example.org", "involvement": "active", "objective": "forged",
    "comment": "forged", "reason": "forged", "state": "active", "visibility": "public",
    "next_steps": "forged", "confirm": "on", "language": "en", "transition": "reopen",
    "starts_at": "2030-01-01T10:00", "due_date": "2030-01-01", "url": "https://example.org",
}  # fmt: skip
# Asking to join is open to every member (DESIGN.md §2.3); leaving is the person's own choice.
OPEN_TO_EVERYONE = {"communities:join", "communities:leave"}
# Bringing an archived community back is the way out of "read-only" (DESIGN.md §2 seasons:
# "an archived one reopened for a new season"), not a change to what it holds.
WAYS_OUT_OF_ARCHIVE = {"communities:change_state", "seasons:reopen"}
# Reading an archived community leaves it as it is: exporting its data, following a thread.
READING_AN_ARCHIVE = {"communities:export", "discussions:follow"}


def expected_matrix():
    """{person: {"private": bool, "network": bool, "public": bool, "posts": str}}"""
    rows = {}
    for line in MATRIX.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] and not cells[0].startswith(("Person", "---", ":")):
            rows[cells[0]] = {
                "private": cells[1] == "yes",
                "network": cells[2] == "yes",
                "public": cells[3] == "yes",
                "posts": cells[4],
            }
    return rows


def marker(visibility, state):
    return f"zqmark{visibility[:3]}{state[:4]}"


def text_fields(model):
    for field in model._meta.get_fields():
        if not getattr(field, "concrete", False) or field.choices:
            continue
        if isinstance(field, models.TextField) or (
            isinstance(field, models.CharField) and field.name in NAMED_TEXT
        ):
            yield field


def snapshot_ids():
    """The ids of every row of the product's models, to mark only what a community added."""
    return {
        model: set(model._default_manager.values_list("pk", flat=True))
        for model in apps.get_models()
        if model.__module__.startswith("cercles.")
        and model._meta.app_label not in ("accounts", "taxonomy", "core", "notifications")
    }


def mark_new_rows(before, word, public):
    for model, old in before.items():
        if model is Community or (public and model._meta.label in PUBLIC_ON_PURPOSE):
            continue
        fields = list(text_fields(model))
        if not fields:
            continue
        for row in model._default_manager.exclude(pk__in=old):
            changes = {}
            for field in fields:
                value = f"{word}zz {word} {getattr(row, field.name) or ''}"
                changes[field.name] = value[: field.max_length or None]
            model._default_manager.filter(pk=row.pk).update(**changes)


def reporting_values(community, member):
    """As reporting/tests/routes.py, in one report shared by the twelve communities."""
    from cercles.reporting.models import Contribution, QuarterlyReport, ReportBlock

    report, _ = QuarterlyReport.objects.get_or_create(year=2025, quarter=2)
    block = ReportBlock.objects.create(report=report, community=community, title=community.title)
    contribution = Contribution.objects.create(block=block, author=member, text="Nos nouvelles")
    return {"report_id": report.pk, "block_id": block.pk, "contribution_id": contribution.pk}


def make_guest(name):
    from cercles.mentoring.services import _guest_for

    return _guest_for(name, f"{name}@guest.example.org")


def accompany(community, mentor):
    from cercles.mentoring.models import MentorKind, Mentorship, SupportNeed

    need = SupportNeed.objects.create(
        community=community, subject="facilitation", description="Animer les réunions"
    )
    kind = MentorKind.THIRD_PARTY if mentor.is_guest else MentorKind.PEER
    Mentorship.objects.create(need=need, community=community, mentor=mentor, kind=kind)


def build_world():
    people = {
        "visitor": None,
        "member of nothing": UserFactory(),
        "pending": UserFactory(),
        "former member": UserFactory(),
        "removed member": UserFactory(),
        "member of another community": UserFactory(),
        "guest of another community": make_guest("guest-elsewhere"),
        "outer circle": UserFactory(),
        "inner circle": UserFactory(),
        "core group": UserFactory(),
        "co-lead": UserFactory(),
        "lead": UserFactory(),
        "mentor": UserFactory(),
        "third-party guest": make_guest("guest-here"),
        "coordinator": CoordinatorFactory(),
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }
    elsewhere = CommunityFactory(visibility=Visibility.NETWORK)
    add_member(elsewhere, user=people["member of another community"])
    accompany(elsewhere, people["guest of another community"])
    modules = app_route_modules()
    communities = {}
    for visibility in VISIBILITIES:
        for state in STATES:
            word = marker(visibility, state)
            public = visibility == Visibility.PUBLIC
            community = CommunityFactory(
                visibility=visibility, lead=people["lead"], title=f"Cercle {visibility} {state}"
            )
            inner = add_member(community, role=Role.INNER, user=people["inner circle"]).user
            for role, person in [
                (Role.OUTER, "outer circle"), (Role.CORE, "core group"), (Role.CO_LEAD, "co-lead"),
            ]:  # fmt: skip
                add_member(community, role=role, user=people[person])
            before = snapshot_ids()
            values = {
                "username": inner.username, "slug": community.slug, "pk": 999999,
                "membership_id": community.memberships.get(user=inner).pk,
                "transition": "activate", "token": "no-such-invitation", "token_id": 999999,
                "export_id": 999999, "import_id": 999999,
            }  # fmt: skip
            for module in modules:
                if module.__name__ == "cercles.reporting.tests.routes":
                    values.update(reporting_values(community, inner))
                elif hasattr(module, "route_values"):
                    values.update(module.route_values(community, inner))
            mark_new_rows(before, word, public)
            if not public:
                Community.objects.filter(pk=community.pk).update(
                    problem_statement=f"{word}zz {word} problème",
                    positioning=f"{word}zz {word} positionnement",
                    next_steps=f"{word}zz {word} prochaines étapes",
                    support_needs=f"{word}zz {word} besoins",
                )  # fmt: skip
            # After the marking: what outsiders wrote themselves (a request, a reason) is theirs.
            for status, person in [
                (MembershipStatus.PENDING, "pending"), (MembershipStatus.LEFT, "former member"),
                (MembershipStatus.REMOVED, "removed member"),
            ]:  # fmt: skip
                add_member(community, status=status, user=people[person])
            accompany(community, people["mentor"])
            accompany(community, people["third-party guest"])
            if state != State.ACTIVE:
                FinalRecord.objects.create(
                    community=community, dissolved=state == State.DISSOLVED,
                    achievements="Un guide publié", author=people["lead"],
                    given_at=timezone.now(),
                )  # fmt: skip
                Community.objects.filter(pk=community.pk).update(
                    state=state, end_date=timezone.localdate() - datetime.timedelta(days=1)
                )
            communities[(visibility, state)] = (community, values, word)
    from cercles.meetings.models import CalendarFeed
    from cercles.search.indexing import reindex
    from cercles.search.kinds import all_kinds

    for kind in all_kinds():  # the marking went round the signals that index
        reindex(kind)
    for user in people.values():
        if user is not None:
            CalendarFeed.objects.create(user=user)
    return people, communities


@pytest.fixture(autouse=True)
def _quiet_refusals():
    """Thousands of 403 and 404 answers are expected here: not each logged with its traceback
    (server errors still are, and fail the test)."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its end; each test
    runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def community_urls(values):
    """(name, url) of every route about the community (its address in the URL: its pages,
    items, downloads, .ics, API, exports, PDFs); the other routes are network-wide."""
    theme = Theme.objects.get(sdg_number=1)
    for name, pattern in project_routes():
        converters = pattern.pattern.converters
        if "slug" not in converters or name.startswith("coordination:"):
            continue
        route_values = (
            {**values, "slug": theme.slug} if name.startswith("coordination:") else values
        )
        yield name, reverse(name, kwargs={k: route_values[k] for k in converters})


def content(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode(errors="replace")


def may_read(person, visibility):
    return expected_matrix()[person][visibility]


ENDED = [State.CLOSED, State.DISSOLVED, State.ARCHIVED]


def cases():
    """Whoever may read: every visibility and state (one request each). Visitors: every
    visibility and state. Every other person who may not read (each route, the costly cases):
    the running community of each visibility they may not read, and one ended state in turn
    (closed, dissolved, archived), so that each ended state meets several kinds of outsider."""
    turn = 0
    for person in expected_matrix():
        for visibility in VISIBILITIES:
            for state in STATES:
                if may_read(person, visibility) or person == "visitor" or state == State.ACTIVE:
                    yield pytest.param(
                        person, visibility, state, id=f"{person}-{visibility}-{state}"
                    )
            if not may_read(person, visibility) and person != "visitor":
                state = ENDED[turn % len(ENDED)]
                turn += 1
                yield pytest.param(person, visibility, state, id=f"{person}-{visibility}-{state}")


@pytest.mark.django_db
@override_settings(RATE_LIMITS={})
@pytest.mark.parametrize("person,visibility,state", list(cases()))
def test_reading(client, world, person, visibility, state):
    people, communities = world
    community, values, word = communities[(visibility, state)]
    user = people[person]
    if user is not None:
        client.force_login(user)
    thread = reverse("discussions:thread", args=[community.slug, values["thread_id"]])
    if may_read(person, visibility):
        response = client.get(thread)
        assert response.status_code == 200 and word in content(response), (
            f"{person} should read the discussions of a {visibility} {state} community"
        )
        return
    read, errors = [], []
    for name, url in community_urls(values):
        response = client.get(url)
        if response.status_code >= 500:
            errors.append(name)
        elif word in content(response):
            read.append(name)
    assert errors == []
    assert read == [], f"{person} reads a {visibility} {state} community's text on {read}"


def fingerprint():
    tables = {}
    for model in apps.get_models():
        if model._meta.app_label in ("sessions", "usersessions", "admin"):
            continue
        if model._meta.label in READING_TRACES:
            continue
        names = [f.attname for f in model._meta.concrete_fields if f.name not in VOLATILE]
        digest = hashlib.sha256()
        for row in model._default_manager.order_by("pk").values_list(*names):
            digest.update(repr(row).encode())
        tables[model._meta.label] = digest.hexdigest()
    return tables


def post_cases():
    """Outsiders against a running community (where writing is open at all): each of them
    against the private one and, in turn, the network or the public one (the visitor against
    all three); every insider against an archived private community (read-only everywhere).
    test_network_channels adds the routes that are not about one community."""
    turn = 0
    for person, row in expected_matrix().items():
        if row["posts"] == "nothing":
            if person == "visitor":
                shared = [Visibility.NETWORK, Visibility.PUBLIC]
            else:
                shared = [[Visibility.NETWORK, Visibility.PUBLIC][turn % 2]]
                turn += 1
            for visibility in [Visibility.PRIVATE, *shared]:
                yield pytest.param(person, visibility, State.ACTIVE, id=f"{person}-{visibility}")
        elif row["posts"] == "nothing when archived":
            yield pytest.param(person, Visibility.PRIVATE, State.ARCHIVED, id=f"{person}-archived")


@pytest.mark.django_db
@override_settings(RATE_LIMITS={})
@pytest.mark.parametrize("person,visibility,state", list(post_cases()))
def test_forged_posts(client, world, person, visibility, state):
    people, communities = world
    community, values, word = communities[(visibility, state)]
    user = people[person]
    skip = OPEN_TO_EVERYONE
    if state == State.ARCHIVED:
        skip |= WAYS_OUT_OF_ARCHIVE | READING_AN_ARCHIVE
    if may_read(person, visibility):
        skip |= OPEN_TO_READERS
    before = fingerprint()
    errors = []
    if user is not None:
        client.force_login(user)  # no route about a community ends a session
    for name, url in community_urls(values):
        if name in skip:
            continue
        if client.post(url, FORGED).status_code >= 500:
            errors.append(name)
    changed = sorted(table for table, digest in fingerprint().items() if before[table] != digest)
    assert errors == []
    assert changed == [], (
        f"a forged POST by {person} to a {visibility} {state} community changed {changed}"
    )


def network_urls(values, user):
    """(name, url, about_something) of every route that is not about one community: the
    network's pages and channels, the person's own pages, people, tokens, the reports;
    `about_something` when the URL names something (a person, a report, a token…)."""
    for name, pattern in project_routes():
        converters = pattern.pattern.converters
        if "slug" in converters and not name.startswith("coordination:"):
            continue
        route_values = values
        if name.startswith("coordination:"):
            route_values = {**values, "slug": Theme.objects.get(sdg_number=1).slug}
        if name == "meetings:feed" and user is not None:
            route_values = {**values, "token": user.calendar_feeds.get().token}
        url = reverse(name, kwargs={k: route_values[k] for k in converters})
        yield name, url, bool(converters) and name != "meetings:feed"


# Each marker is searched on the search page; the other channels that take words are searched
# for one marker of each visibility (the state turning), to keep the matrix fast.
SEARCHES = [("search:search", "q")]
OTHER_SEARCHES = [
    ("search:suggest", "q"), ("communities:catalogue", "q"), ("people:directory", "q"),
    ("library:network_library", "q"), ("api:list_communities", "q"),
]  # fmt: skip


@pytest.mark.django_db
@override_settings(RATE_LIMITS={})
@pytest.mark.parametrize("person", list(expected_matrix()))
def test_network_channels(client, world, person):
    """Search, catalogue, directory, library, API, calendar (page and .ics feed), notifications,
    reports and their PDF, newsletters, the person's data: only the markers of the communities
    the person may read."""
    people, communities = world
    user = people[person]
    allowed = {
        word
        for (visibility, _), (_, _, word) in communities.items()
        if may_read(person, visibility)
    }
    words = {word for _, _, word in communities.values()}
    values = communities[(Visibility.PRIVATE, State.ACTIVE)][1]
    if user is not None:
        client.force_login(user)
    routes = list(network_urls(values, user))
    requests = [(name, url) for name, url, _ in routes]
    for word in sorted(words):
        requests += [
            (f"{name}?{key}={word}", f"{reverse(name)}?{key}={word}") for name, key in SEARCHES
        ]
    for index, visibility in enumerate(VISIBILITIES):
        word = communities[(visibility, STATES[index])][2]
        requests += [
            (f"{name}?{key}={word}", f"{reverse(name)}?{key}={word}")
            for name, key in OTHER_SEARCHES
        ]
    seen, errors, found_by_search = {}, [], set()
    for name, url in requests:
        response = client.get(url)
        if response.status_code >= 500:
            errors.append(name)
            continue
        body = content(response)
        # A search page repeats its query: what leaks is the text around it ("<word>zz").
        for word in {w for w in words if f"{w}zz" in body}:
            seen.setdefault(word, []).append(name)
            if name.startswith("search:search"):
                found_by_search.add(word)
    changed = []
    if expected_matrix()[person]["posts"] == "nothing":
        # A forged POST to every route about something (a person, a report, a token…).
        before = fingerprint()
        for name, url, about_something in routes:
            if about_something:
                if user is not None:
                    client.force_login(user)  # a forged deletion may have ended the session
                if client.post(url, FORGED).status_code >= 500:
                    errors.append(f"POST {name}")
        changed = sorted(t for t, digest in fingerprint().items() if before[t] != digest)
    print(f"{person}: {len(requests)} requests, markers seen {sorted(seen)}")
    assert changed == [], f"a forged POST by {person} changed {changed}"
    assert errors == []
    leaks = {word: names for word, names in seen.items() if word not in allowed}
    assert leaks == {}, f"{person} reads, outside what they may read: {leaks}"
    if user is not None and allowed:
        # The control: the search really finds what the person may read.
        assert found_by_search, f"{person} finds nothing they may read"


def role_table(heading, differences, undecided=False):
    """(route, person, may) from the table under `heading` in access_matrix.md (up to the next
    heading); `may` is None for "—" (DESIGN.md does not say) when `undecided` is asked for."""
    section = MATRIX.read_text().split(heading)[1].split("\n## ")[0]
    header = None
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0].startswith("---"):
            continue
        if header is None:
            header = cells[1:]
            continue
        for person, may in zip(header, cells[1:], strict=True):
            if may in ("yes", "no") or (undecided and may == "—"):
                yield pytest.param(
                    cells[0], person, {"yes": True, "no": False}.get(may),
                    id=f"{cells[0]}-{person}", marks=differences.get((cells[0], person), ()),
                )  # fmt: skip


def role_pages():
    """(page, person, may) from the second table of access_matrix.md."""
    return role_table("## Who opens the pages", DIFFERENCES)


# Where the product differs from DESIGN.md, said and left to the project to decide (a strict
# xfail: the day the product follows DESIGN.md, the mark must go).
DIFFERENCES = {
    ("communities:milestone_add", "core group"): pytest.mark.xfail(
        strict=True,
        reason="rules.py lets the core group plan milestones (is_core_or_leading); DESIGN.md §1 "
        "gives planning milestones to the lead and co-lead, the core group plans meetings",
    ),
}


@pytest.mark.django_db
@override_settings(RATE_LIMITS={})
@pytest.mark.parametrize("page,person,may", list(role_pages()))
def test_pages_that_change(client, world, page, person, may):
    """Each circle, the co-lead, the lead, the mentor and the guest of a running community
    open the pages that change it as DESIGN.md §1 says (the forged POSTs above prove that the
    others change nothing where nobody may)."""
    people, communities = world
    community, values, _word = communities[(Visibility.NETWORK, State.ACTIVE)]
    client.force_login(people[person])
    url = dict(community_urls(values))[page]
    status = client.get(url).status_code
    assert (status == 200) == may, f"{person} on {page}: {status}"


def running_posts(people, community, values):
    """{route: (url, body)}: a valid form for each route that changes a running community, so
    that a POST by someone who may really changes a row (the forms of each app's tests)."""
    from cercles.communities.tests.test_views_framing import framing_data
    from cercles.mentoring.models import Mentorship
    from cercles.seasons.tests.factories import health_post

    slug = community.slug
    day = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    later = (timezone.localdate() + datetime.timedelta(days=17)).isoformat()
    pending = community.memberships.get(user=people["pending"])
    mentorship = Mentorship.objects.get(community=community, mentor=people["mentor"])
    s = f"s{mentorship.pk}-"

    def url(name, *args):
        return reverse(name, args=[slug, *args])

    return {
        "communities:framing": (url("communities:framing"), framing_data(community)),
        "communities:next_steps": (url("communities:next_steps"), {"next_steps": "Relancer"}),
        "communities:invite": (
            url("communities:invite"),
            {"email": "nouvelle@example.org", "purpose": "member"},
        ),
        "communities:answer_request": (
            url("communities:answer_request", pending.pk),
            {"decision": "approve"},
        ),
        "communities:change_role": (
            url("communities:change_role", values["membership_id"]),
            {"role": "core"},
        ),
        "communities:remove_member": (
            url("communities:remove_member", values["membership_id"]),
            {"reason": "Absent"},
        ),
        "communities:set_relay": (
            url("communities:set_relay", values["membership_id"]),
            {"relay": "1"},
        ),
        "communities:hand_over": (
            url("communities:hand_over"),
            {"new_lead": people["core group"].pk},
        ),
        "communities:milestone_add": (
            url("communities:milestone_add"),
            {"title": "Forum régional", "due_date": day},
        ),
        "communities:task_add": (
            url("communities:task_add", values["milestone_id"]),
            {"title": "Réserver la salle", "status": "todo"},
        ),
        "updates:new": (url("updates:new"), {"done": "Un atelier tenu"}),
        "meetings:create": (
            url("meetings:create"),
            {
                "kind": "regular",
                "title": "Rencontre",
                "starts_at": f"{day}T10:00",
                "ends_at": f"{day}T12:00",
                "time_zone": "Africa/Niamey",
                "place": "Niamey",
                "online_url": "",
                "agenda": "Tour de table",
            },
        ),  # fmt: skip
        "meetings:cancel": (
            url("meetings:cancel", values["meeting_id"]),
            {"reason": "Salle indisponible"},
        ),
        "meetings:rsvp": (url("meetings:rsvp", values["meeting_id"]), {"answer": "yes"}),
        "surveys:create": (
            url("surveys:create"),
            {
                "title": "Date de la rencontre",
                "opens_on": day,
                "closes_on": later,
                "results_audience": "members",
                "questions-TOTAL_FORMS": "1",
                "questions-INITIAL_FORMS": "0",
                "questions-0-text": "Quel samedi ?",
                "questions-0-kind": "text",
            },
        ),  # fmt: skip
        "surveys:close": (url("surveys:close", values["survey_id"]), {}),
        "surveys:answer": (
            url("surveys:answer", values["survey_id"]),
            {f"q{values['question_id']}": "Oui"},
        ),
        "seasons:health_new": (url("seasons:health_new"), health_post()),
        "seasons:closing": (
            url("seasons:closing"),
            {"achievements": "Un guide", "outcome": "close"},
        ),
        "discussions:thread_create": (
            url("discussions:thread_create"),
            {"title": "Forages", "body": "Bonjour"},
        ),
        "discussions:reply": (url("discussions:reply", values["thread_id"]), {"body": "Merci"}),
        "discussions:hide_post": (
            url("discussions:hide_post", values["post_id"]),
            {"reason": "Hors sujet"},
        ),
        "discussions:lock": (url("discussions:lock", values["thread_id"]), {"locked": "1"}),
        "library:add_note": (
            url("library:add_note"),
            {"title": "Carnet", "body": "Ce que nous avons appris"},
        ),
        "library:delete_item": (url("library:delete_item", values["note_id"]), {}),
        "mentoring:need_new": (
            url("mentoring:need_new"),
            {
                "subject": "funding",
                "scope": "collective",
                "urgency": "high",
                "description": "Fonds",
            },
        ),
        "mentoring:assign": (
            url("mentoring:assign", mentorship.need_id),
            {"email": "tierce@example.org", "name": "Marie Tierce"},
        ),
        "mentoring:log_session": (
            url("mentoring:log_session", mentorship.pk),
            {
                f"{s}held_on": timezone.localdate().isoformat(),
                f"{s}format": "remote",
                f"{s}notes": "Ordre du jour",
                f"{s}next_steps": "Tester jeudi",
            },
        ),  # fmt: skip
    }


# Where the product differs from DESIGN.md about a POST (a strict xfail, as above).
POST_DIFFERENCES = {
    ("communities:milestone_add", "core group"): DIFFERENCES[
        ("communities:milestone_add", "core group")
    ],
    ("communities:task_add", "core group"): pytest.mark.xfail(
        strict=True,
        reason="rules.py lets the core group add tasks to the action plan (is_core_or_leading); "
        "DESIGN.md §1 gives planning milestones to the lead and co-lead",
    ),
}


# What a change also writes (its audit line, the search index): not a change by itself.
BOOKKEEPING = {"core.AuditEvent", "search.SearchEntry"}


@pytest.fixture(scope="module")
def running_baseline(world):
    """Every table of the world as built: each case starts from it (its savepoint is rolled
    back), so that one hashing per case tells what its POST changed."""
    return fingerprint()


@pytest.mark.django_db
@override_settings(RATE_LIMITS={})
@pytest.mark.parametrize(
    "route,person,may",
    list(role_table("## Whose POSTs change a running community", POST_DIFFERENCES, True)),
)
def test_posts_in_a_running_community(client, world, running_baseline, route, person, may):
    """Each insider of a running community (and a coordinator) posts a valid form to each route
    that changes it: where DESIGN.md §1 denies it, a refusal (403 or 404) and no row of any
    table changed; where it allows it, no refusal and a row changed (third table of
    access_matrix.md). Where DESIGN.md does not say ("—"), only: no server error, and a
    refusal changes nothing."""
    people, communities = world
    community, values, _word = communities[(Visibility.NETWORK, State.ACTIVE)]
    url, body = running_posts(people, community, values)[route]
    client.force_login(people[person])
    response = client.post(url, body)
    status = response.status_code
    changed = sorted(t for t, digest in fingerprint().items() if running_baseline[t] != digest)
    assert status < 500, f"{person} on {route}: {status}"
    refused = status in (403, 404)
    if refused or may is False:
        assert refused, f"{person} on {route}: {status}, changed {changed}"
        assert changed == [], f"{person} refused on {route} changed {changed}"
    elif may:
        assert set(changed) - BOOKKEEPING, f"{person} on {route}: {status}, changed {changed}"
