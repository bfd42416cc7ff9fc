"""Permission matrix of discussions: every role × community state × action, from one table."""

import itertools

import pytest

from cercles.communities.lifecycle import State
from cercles.communities.models import Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.communities.tests.test_rules import ROLES, person_with_role
from cercles.discussions import services

pytestmark = pytest.mark.django_db

MEMBERS = {"outer", "inner", "core", "co_lead", "lead"}
MODERATORS = {"core", "co_lead", "lead"}
READERS_OF_NETWORK = MEMBERS | {"coordinator", "outsider", "pending", "ex_member"}
READERS_OF_PRIVATE = MEMBERS | {"coordinator"}
RUNNING = [State.ACTIVE, State.OPEN]
READ_ONLY = [State.CLOSED, State.ARCHIVED]

# permission → (object: community | thread | post (by another member) | own post | suggestion,
#               {visibility or "*": roles allowed in a running community},
#               roles allowed once the community is closed or archived)
MATRIX = {
    "discussions.view_discussions": ("community", {
        Visibility.PRIVATE: READERS_OF_PRIVATE, Visibility.NETWORK: READERS_OF_NETWORK,
        Visibility.PUBLIC: READERS_OF_NETWORK,
    }, "same"),
    "discussions.download_attachment": ("community", {
        Visibility.PRIVATE: READERS_OF_PRIVATE, Visibility.NETWORK: READERS_OF_NETWORK,
        Visibility.PUBLIC: READERS_OF_NETWORK,
    }, "same"),
    "discussions.start_thread": ("community", {"*": MEMBERS}, set()),
    "discussions.reply": ("thread", {"*": MEMBERS}, set()),
    "discussions.pin_thread": ("thread", {"*": MODERATORS}, set()),
    "discussions.lock_thread": ("thread", {"*": MODERATORS}, set()),
    "discussions.edit_post": ("own_post", {"*": MEMBERS}, set()),
    "discussions.delete_post": ("own_post", {"*": MEMBERS}, set()),
    "discussions.hide_post": ("post", {"*": MODERATORS}, MODERATORS),
    "discussions.report_post": ("post", {
        Visibility.PRIVATE: READERS_OF_PRIVATE, Visibility.NETWORK: READERS_OF_NETWORK,
        Visibility.PUBLIC: READERS_OF_NETWORK,
    }, "same"),
    "discussions.mark_helpful": ("suggestion", {"*": set()}, set()),
}  # fmt: skip
VISIBILITIES = [Visibility.PRIVATE, Visibility.NETWORK, Visibility.PUBLIC]


def allowed_roles(permission, visibility, state):
    _, running, read_only = MATRIX[permission]
    roles = running.get(visibility, running.get("*"))
    if state in READ_ONLY:
        roles = roles if read_only == "same" else read_only
    return roles


def target(kind, community, person):
    writer = add_member(community).user
    if kind == "community":
        return community
    if kind == "own_post":
        if not person.is_authenticated:
            return services.start_thread(writer, community, title="T", body="B").last_post
        # Written while the person was an active member (an ex-member wrote before leaving).
        thread = services.start_thread(writer, community, title="T", body="B")
        from cercles.discussions.models import Post

        return Post.objects.create(thread=thread, author=person, body="Le mien")
    thread = services.start_thread(writer, community, title="T", body="B")
    if kind == "thread":
        return thread
    if kind == "suggestion":
        codev = services.start_codev(writer, community, title="P", context="C", question="Q")
        return services.reply(add_member(community).user, codev, body="Essayez ceci")
    return thread.last_post


@pytest.mark.parametrize(
    ("permission", "role", "visibility", "state"),
    list(itertools.product(MATRIX, ROLES, VISIBILITIES, [State.ACTIVE, State.CLOSED])),
)
def test_permission_matrix(permission, role, visibility, state):
    community = CommunityFactory(state=State.ACTIVE, visibility=visibility)
    person = person_with_role(role, community)
    obj = target(MATRIX[permission][0], community, person)
    if state != State.ACTIVE:
        type(community).objects.filter(pk=community.pk).update(state=state)
        community.state = state
        if hasattr(obj, "thread"):
            obj.thread.community.state = state
        elif hasattr(obj, "community"):
            obj.community.state = state
    expected = role in allowed_roles(permission, visibility, state)
    assert person.has_perm(permission, obj) is expected


def test_open_communities_take_posts_too():
    community = CommunityFactory(state=State.OPEN)
    outer = add_member(community, "outer").user
    assert outer.has_perm("discussions.start_thread", community)


def test_a_locked_thread_takes_no_reply_even_from_moderators():
    community = CommunityFactory()
    thread = services.start_thread(community.lead, community, title="T", body="B")
    services.set_locked(community.lead, thread, True)
    assert not community.lead.has_perm("discussions.reply", thread)


def test_only_the_presenter_marks_helpful_and_posts_the_follow_up():
    community = CommunityFactory()
    presenter = add_member(community, "outer").user
    peer = add_member(community).user
    thread = services.start_codev(presenter, community, title="P", context="C", question="Q")
    suggestion = services.reply(peer, thread, body="Essayez")
    assert presenter.has_perm("discussions.mark_helpful", suggestion)
    assert not peer.has_perm("discussions.mark_helpful", suggestion)
    assert not community.lead.has_perm("discussions.mark_helpful", suggestion)
    assert presenter.has_perm("discussions.post_follow_up", thread)
    assert not peer.has_perm("discussions.post_follow_up", thread)
    services.post_follow_up(presenter, thread, body="J'ai fait ceci.")
    assert not presenter.has_perm("discussions.post_follow_up", thread)
    assert not presenter.has_perm("discussions.mark_helpful", suggestion)


def test_reports_page_for_coordinators_and_moderators_only(coordinator):
    community = CommunityFactory()
    core = add_member(community, "core").user
    inner = add_member(community, "inner").user
    assert coordinator.has_perm("discussions.view_reports")
    assert core.has_perm("discussions.view_reports")
    assert community.lead.has_perm("discussions.view_reports")
    assert not inner.has_perm("discussions.view_reports")
