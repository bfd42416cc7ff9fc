"""One private, active community whose every piece of written text carries a marker, and the
values of every route of the project for it: the world of test_xss.py (every page read with the
payloads in every text field). It was the first permission matrix of issue 19; the matrix is
now test_access_matrix.py, which covers every kind of person against communities of every
visibility and state."""

from django.apps import apps
from django.db import models
from django.urls import reverse

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.models import Community, MembershipStatus, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.tests.test_routes import app_route_modules, project_routes
from cercles.taxonomy.models import Theme

SECRET = "zq-secret-cercle-protege"
# Text fields that hold what members write; titles of private items too.
NAMED_TEXT = {"title", "name", "text", "label", "agenda", "place", "body", "subject"}


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
