"""Every view has a permission test: each named route's answer to each kind of visitor.

A new view fails `test_every_route_is_listed` until it is added to EXPECTED, so that the status a
visitor, a member outside the community and a coordinator get is written down and checked. The
apps' own tests go further (roles inside a community, POST requests, bad input).

Apps built on communities list their routes in `cercles/<app>/tests/routes.py`: an `EXPECTED`
dict like the one below and, when their URLs need more than the community's slug, a
`route_values(community, member)` function that creates what they need and returns the extra
URL arguments. `member` is an active member of `community` (not the person requesting).
"""

import importlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cercles.accounts.avatars import reencode_avatar
from cercles.accounts.tests.factories import UserFactory
from cercles.accounts.tests.test_views import png_bytes
from cercles.communities.models import Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.taxonomy.models import Theme

A, M, C = "anonymous", "member", "coordinator"


def statuses(anonymous, member, coordinator):
    return {A: anonymous, M: member, C: coordinator}


# GET on each route; "member" is a signed-in member who is not part of the community used
# (an active community whose content the network may read).
EXPECTED = {
    "home": statuses(200, 200, 200),
    "healthz": statuses(200, 200, 200),
    "set_language": statuses(405, 405, 405),
    "profile_edit": statuses(302, 200, 200),
    "people:directory": statuses(302, 200, 200),
    "people:profile": statuses(302, 200, 200),
    "people:avatar": statuses(302, 200, 200),
    # Every /coordination/ address is 404 to anyone signed in who is not a coordinator.
    "coordination:coordinators": statuses(302, 404, 200),
    "coordination:change_coordinator_role": statuses(302, 404, 405),
    "coordination:themes": statuses(302, 404, 200),
    "coordination:theme_edit": statuses(302, 404, 200),
    "notifications:list": statuses(302, 200, 200),
    "notifications:settings": statuses(302, 200, 200),
    "notifications:mark_all_read": statuses(302, 405, 405),
    "notifications:mark_read": statuses(302, 405, 405),
    "notifications:open": statuses(302, 404, 404),
    # Signed links that work without logging in; "no-such-invitation" is no valid token.
    "notifications:unsubscribe": statuses(400, 400, 400),
    "communities:answer_request": statuses(302, 405, 405),
    "communities:catalogue": statuses(200, 200, 200),
    "communities:change_role": statuses(302, 405, 405),
    "communities:change_state": statuses(302, 405, 405),
    "communities:detail": statuses(404, 200, 200),
    "communities:framing": statuses(302, 403, 403),
    "communities:hand_over": statuses(302, 403, 403),
    "communities:invitation": statuses(404, 404, 404),
    "communities:invite": statuses(302, 403, 403),
    "communities:involvement": statuses(302, 403, 403),
    "communities:join": statuses(302, 200, 200),
    "communities:leave": statuses(302, 302, 302),
    "communities:members": statuses(302, 200, 200),
    "communities:next_steps": statuses(302, 405, 405),
    "communities:propose": statuses(302, 200, 200),
    "communities:remove_member": statuses(302, 403, 403),
    "communities:review": statuses(302, 403, 200),
    "communities:review_queue": statuses(302, 403, 200),
    "communities:submit": statuses(302, 405, 405),
    "api_token_create": statuses(302, 405, 405),
    "api_token_revoke": statuses(302, 405, 405),
    "my_data": statuses(302, 200, 200),
    "my_data_download": statuses(302, 404, 404),
    "delete_my_account": statuses(302, 200, 200),
    "people:delete": statuses(302, 403, 200),
    "privacy": statuses(200, 200, 200),
    "coordination:audit_log": statuses(302, 404, 200),
}


def app_route_modules():
    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("cercles."):
            try:
                modules.append(importlib.import_module(f"{config.name}.tests.routes"))
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.tests.routes":
                    raise
    return modules


def all_expected():
    expected = dict(EXPECTED)
    for module in app_route_modules():
        expected.update(module.EXPECTED)
    return expected


def project_routes(resolver=None, namespace=""):
    """(name, pattern) of every named route, leaving out the Django admin and allauth's views."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            module = getattr(entry.urlconf_name, "__name__", entry.urlconf_name)
            if entry.app_name == "admin" or module == "allauth.urls":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from project_routes(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def test_every_route_is_listed():
    names = [name for name, _ in project_routes()]
    assert "people:directory" in names and "communities:catalogue" in names
    assert not any(name.startswith(("account_", "admin:")) for name in names)
    expected = all_expected()
    unlisted = sorted(set(names) - set(expected))
    assert not unlisted, f"add these routes to EXPECTED with their status per role: {unlisted}"
    assert sorted(set(expected) - set(names)) == [], "EXPECTED lists routes that no longer exist"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [A, M, C])
def test_every_route_answers_as_listed(client, role):
    person = UserFactory()
    person.avatar.save(
        "x.jpg", reencode_avatar(SimpleUploadedFile("p.png", png_bytes(), "image/png"))
    )
    community = CommunityFactory(visibility=Visibility.NETWORK)
    membership = add_member(community)
    theme = Theme.objects.get(sdg_number=1)
    if role != A:
        client.force_login(UserFactory(is_coordinator=role == C))
    values = {
        "username": person.username,
        "slug": community.slug,
        "pk": 999999,
        "membership_id": membership.pk,
        "transition": "activate",
        "token": "no-such-invitation",
        "token_id": 999999,
        "export_id": 999999,
        "import_id": 999999,
    }
    for module in app_route_modules():
        if hasattr(module, "route_values"):
            values.update(module.route_values(community, membership.user))
    expected = all_expected()
    actual = {}
    for name, pattern in project_routes():
        if name not in expected:
            continue  # test_every_route_is_listed reports it
        in_taxonomy = name.startswith("coordination:")
        route_values = {**values, "slug": theme.slug} if in_taxonomy else values
        url = reverse(name, kwargs={key: route_values[key] for key in pattern.pattern.converters})
        response = client.get(url)
        actual[name] = response.status_code
        if response.status_code == 302 and role == A:
            # Pages that need an account send visitors to the login page, never elsewhere.
            assert response["Location"].startswith(reverse("account_login")), url
    assert actual == {name: statuses[role] for name, statuses in expected.items()}
