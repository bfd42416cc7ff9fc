"""Outsiders of a private community, on every route (issue 19, deliverable 1).

Generated from the URL resolver (the routes of core/tests/test_routes.py, with the values each
app's `tests/routes.py` creates) against one *private*, active community whose every piece of
private text carries a marker. The expectations come from DESIGN.md §1, not from rules.py:

  "Visibility of a community: private (members only: the protected space of seed 001)…
   Coordinators can always read what they need for follow-up."

so, for each kind of person who is not an active member (see permission_matrix.md):
- no answer to any GET on any route carries a piece of the community's private text;
- a forged POST to any route about something (a community, an item, a person, a token: every
  route with URL arguments; the requester's own pages — profile, settings, proposing a
  community, asking to join — are theirs to change) changes nothing in the database, every
  table compared before and after;
and, as controls that the markers are really there, an inner-circle member and a coordinator
read them. Each app's own tests cover the finer rules inside a community (each circle, co-lead,
lead, mentor), and core/tests/test_routes.py each route's status for three kinds of person.
"""

import hashlib
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.test import override_settings
from django.urls import reverse

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.models import Community, MembershipStatus, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.tests.test_routes import app_route_modules, project_routes
from cercles.taxonomy.models import Theme

SECRET = "zq-secret-cercle-protege"
MATRIX = Path(__file__).with_name("permission_matrix.md")
# Text fields that hold what members write; titles of private items too.
NAMED_TEXT = {"title", "name", "text", "label", "agenda", "place", "body", "subject"}
# Columns that a mere request may touch without changing anything that matters.
VOLATILE = {"last_login", "last_seen_at", "last_activity_at", "updated_at"}
FORGED = {
    "body": "forged", "title": "forged", "text": "forged", "name": "forged",
    "decision": "accept", "status": "done", "answer": "yes", "role": "inner",
    "emails": "forged@example.org", "involvement": "active", "objective": "forged",
    "comment": "forged", "reason": "forged", "state": "active", "visibility": "public",
    "next_steps": "forged", "confirm": "on", "language": "en",
}  # fmt: skip


def expected_matrix():
    """The person kinds and their expectations, from the readable table file."""
    rows = {}
    for line in MATRIX.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] and not cells[0].startswith(("Person", "---", ":")):
            rows[cells[0]] = {"reads_private_text": cells[1] == "yes", "post_changes": cells[2]}
    return rows


def private_text_fields(model):
    for field in model._meta.get_fields():
        if not getattr(field, "concrete", False) or field.choices:
            continue
        if isinstance(field, models.TextField) or (
            isinstance(field, models.CharField) and field.name in NAMED_TEXT
        ):
            yield field


def mark_private_text(community):
    """Put the marker into every piece of written text of the community (not its title and
    purpose, which the presentation shows to the network)."""
    Community.objects.filter(pk=community.pk).update(
        problem_statement=f"{SECRET} problème", positioning=f"{SECRET} positionnement",
        next_steps=f"{SECRET} prochaines étapes",
    )  # fmt: skip
    for model in apps.get_models():
        if model is Community or not model.__module__.startswith("cercles."):
            continue
        if model._meta.app_label in ("accounts", "taxonomy", "core", "notifications"):
            continue
        fields = [f.name for f in private_text_fields(model)]
        if not fields:
            continue
        for row in model._default_manager.all():
            for name in fields:
                current = getattr(row, name) or ""
                setattr(
                    row,
                    name,
                    f"{SECRET} {current}"[: model._meta.get_field(name).max_length or None],
                )
            model._default_manager.filter(pk=row.pk).update(**{n: getattr(row, n) for n in fields})


def world():
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    inner = add_member(community).user
    values = {
        "username": inner.username, "slug": community.slug, "pk": 999999,
        "membership_id": community.memberships.get(user=inner).pk, "transition": "activate",
        "token": "no-such-invitation", "token_id": 999999, "export_id": 999999,
        "import_id": 999999,
    }  # fmt: skip
    for module in app_route_modules():
        if hasattr(module, "route_values"):
            values.update(module.route_values(community, inner))
    mark_private_text(community)
    other = CommunityFactory(visibility=Visibility.NETWORK)
    people = {
        "visitor": None,
        "member of nothing": UserFactory(),
        "pending": add_member(community, status=MembershipStatus.PENDING).user,
        "former member": add_member(community, status=MembershipStatus.LEFT).user,
        "removed member": add_member(community, status=MembershipStatus.REMOVED).user,
        "member of another community": add_member(other).user,
        "inner circle": inner,
        "coordinator": CoordinatorFactory(),
    }
    return community, values, people


# Asking to join is open to every member, private communities included (DESIGN.md §2.3).
OPEN_TO_EVERY_MEMBER = {"communities:join"}


def urls(values):
    """(name, url, about_something) of every route; `about_something` when the URL names an
    object (a community, a person, a token…) rather than the requester's own pages."""
    theme = Theme.objects.get(sdg_number=1)
    for name, pattern in project_routes():
        route_values = (
            {**values, "slug": theme.slug} if name.startswith("coordination:") else values
        )
        converters = pattern.pattern.converters
        url = reverse(name, kwargs={k: route_values[k] for k in converters})
        yield name, url, bool(converters) and name not in OPEN_TO_EVERY_MEMBER


def fingerprint():
    """Every row of every table the product writes, hashed per table."""
    tables = {}
    for model in apps.get_models():
        if model._meta.app_label in ("sessions", "usersessions", "admin"):
            continue
        names = [f.attname for f in model._meta.concrete_fields if f.name not in VOLATILE]
        digest = hashlib.sha256()
        for row in model._default_manager.order_by("pk").values_list(*names):
            digest.update(repr(row).encode())
        tables[model._meta.label] = digest.hexdigest()
    return tables


def content(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode(errors="replace")


@pytest.mark.django_db
@override_settings(RATE_LIMITS={})
@pytest.mark.parametrize("person", list(expected_matrix()))
def test_private_community_on_every_route(client, person):
    expected = expected_matrix()[person]
    community, values, people = world()
    user = people[person]
    routes = list(urls(values))
    if user is not None:
        client.force_login(user)
    before = fingerprint()
    read = []
    for name, url, about_something in routes:
        response = client.get(url)
        if SECRET in content(response):
            read.append(name)
        if about_something and expected["post_changes"] == "nothing":
            client.post(url, FORGED)
        if user is not None:
            client.force_login(user)  # a forged log-out or deletion may have ended the session
    changed = sorted(table for table, digest in fingerprint().items() if before[table] != digest)
    print(f"{person}: {len(routes)} routes, GET and POST; reads private text on {len(read)}")
    if expected["reads_private_text"]:
        assert len(read) >= 10, read  # the control: the markers are really on the pages
    else:
        assert read == [], f"{person} reads private text on {read}"
    if expected["post_changes"] == "nothing":
        assert changed == [], f"a forged POST by {person} changed {changed}"
