import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cercles.notifications import services
from cercles.notifications.kinds import Delivery
from cercles.notifications.models import Notification, NotificationPreference

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("notifications:list")
SETTINGS_URL = reverse("notifications:settings")


@pytest.fixture
def english_member(member):
    member.language = "en"
    member.save(update_fields=["language"])
    return member


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", LIST_URL),
        ("get", SETTINGS_URL),
        ("post", SETTINGS_URL),
        ("post", reverse("notifications:mark_all_read")),
        ("get", reverse("notifications:open", args=[1])),
        ("post", reverse("notifications:mark_read", args=[1])),
    ],
)
def test_anonymous_is_sent_to_log_in(client, method, url):
    NotificationFactory(pk=1)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert Notification.objects.get(pk=1).read_at is None


def test_list_shows_my_notifications_newest_first_unread_marked(
    member_client, english_member, other_member
):
    old = NotificationFactory(
        recipient=english_member, params={"actor": "Awa", "community": "Ancienne"}
    )
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=2), read_at=timezone.now()
    )
    NotificationFactory(
        recipient=english_member, params={"actor": "Moussa", "community": "Nouvelle"}
    )
    NotificationFactory(recipient=other_member, params={"actor": "X", "community": "Secrète"})
    response = member_client.get(LIST_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Secrète" not in html
    assert html.index("Nouvelle") < html.index("Ancienne")
    # One row per notification; unread ones say so in words as well as in style, with their
    # action in the same row.
    assert html.count('class="notification notification--unread"') == 1
    assert html.count('class="notification notification--read"') == 1
    unread = html.split('class="notification notification--unread"')[1].split("</li>")[0]
    assert "Unread:" in unread and "notification-unread-label" in unread
    assert 'class="notification-action"' in unread and "Mark as read" in unread
    read = html.split('class="notification notification--read"')[1].split("</li>")[0]
    assert "Mark as read" not in read and "Unread" not in read
    assert "Mark all as read" in html


def test_list_is_paginated(member_client, member):
    NotificationFactory.create_batch(30, recipient=member)
    response = member_client.get(LIST_URL)
    assert len(response.context["page"].object_list) == 25
    assert len(member_client.get(LIST_URL, {"page": 2}).context["page"].object_list) == 5


@pytest.mark.parametrize("count", [3, 60])
def test_list_costs_a_bounded_number_of_queries(
    member_client, member, count, django_assert_max_num_queries
):
    NotificationFactory.create_batch(
        count, recipient=member, actor=None, params={"actor": "Awa", "community": "Eau"}
    )
    # Session, user, two permission look-ups of the layout, unread count, page count, page.
    with django_assert_max_num_queries(7):
        response = member_client.get(LIST_URL)
    assert response.status_code == 200


def test_navigation_shows_the_unread_count(member_client, english_member):
    NotificationFactory.create_batch(3, recipient=english_member)
    NotificationFactory(recipient=english_member, read_at=timezone.now())
    NotificationFactory()
    html = member_client.get(reverse("home")).content.decode()
    assert 'Notifications <span aria-hidden="true">(3)</span>' in html
    assert '<span class="visually-hidden">, 3 unread</span>' in html


def test_navigation_without_unread_shows_no_count(member_client, english_member):
    NotificationFactory(recipient=english_member, read_at=timezone.now())
    html = member_client.get(reverse("home")).content.decode()
    assert f'href="{LIST_URL}">Notifications</a>' in html


def test_unread_count_costs_one_query(member_client, member):
    NotificationFactory.create_batch(3, recipient=member)
    with CaptureQueriesContext(connection) as captured:
        member_client.get(reverse("home"))
    sql = [q["sql"] for q in captured.captured_queries if "notifications_notification" in q["sql"]]
    assert len(sql) == 1
    assert "COUNT" in sql[0]


def test_open_marks_read_and_goes_to_the_link(member_client, member):
    notification = NotificationFactory(recipient=member, url="/people/?page=2")
    response = member_client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == "/people/?page=2"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_by_post_works_too(member_client, member):
    notification = NotificationFactory(recipient=member)
    response = member_client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.url == notification.url


@pytest.mark.parametrize(
    "url", ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)"]
)
def test_open_never_leaves_the_site(member_client, member, url):
    # notify() refuses such links; this one was written to the database some other way.
    notification = NotificationFactory(recipient=member, url=url)
    response = member_client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.url == LIST_URL


def test_open_without_link_goes_back_to_the_list(member_client, member):
    notification = NotificationFactory(recipient=member, url="")
    assert member_client.get(reverse("notifications:open", args=[notification.pk])).url == LIST_URL


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "notifications:open"),
        ("post", "notifications:open"),
        ("post", "notifications:mark_read"),
    ],
)
def test_someone_elses_notification_answers_404(member_client, other_member, method, name):
    notification = NotificationFactory(recipient=other_member)
    response = getattr(member_client, method)(reverse(name, args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_read(member_client, member):
    notification = NotificationFactory(recipient=member)
    response = member_client.post(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.url == LIST_URL
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_needs_post(member_client, member):
    notification = NotificationFactory(recipient=member)
    response = member_client.get(reverse("notifications:mark_read", args=[notification.pk]))
    # A GET (a log-in coming back to the address) goes to the page, and marks nothing.
    assert response.status_code == 302 and response.url == LIST_URL
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_touches_only_mine(member_client, member, other_member):
    NotificationFactory.create_batch(3, recipient=member)
    theirs = NotificationFactory(recipient=other_member)
    response = member_client.post(reverse("notifications:mark_all_read"))
    assert response.url == LIST_URL
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_settings_page_lists_every_group_with_current_choice(member_client, english_member):
    services.set_preference(english_member, "membership.invited", Delivery.OFF)
    html = member_client.get(SETTINGS_URL).content.decode()
    assert "Membership" in html
    assert "Requests to join, invitations" in html
    assert '<option value="off" selected>' in html
    # Every other group follows the defaults by role, said in plain words.
    assert "Automatically:" in html
    assert "weekly digest (outer circle, outside communities)" in html


def _all_fields(form, **changes):
    data = {name: field.initial for name, field in form.fields.items()}
    data.update(changes)
    return {name: "" if value is None else value for name, value in data.items()}


def test_settings_page_saves_preferences(member_client, member):
    form = member_client.get(SETTINGS_URL).context["form"]
    data = _all_fields(form, group__reviews="off", group__membership="in_app")
    response = member_client.post(SETTINGS_URL, data)
    assert response.status_code == 302
    assert dict(
        NotificationPreference.objects.filter(user=member).values_list("group", "delivery")
    ) == {"reviews": "off", "membership": "in_app"}


def test_settings_page_keeps_input_on_error_and_saves_nothing(member_client, member):
    form = member_client.get(SETTINGS_URL).context["form"]
    data = _all_fields(form, group__reviews="off", group__membership="hourly")
    response = member_client.post(SETTINGS_URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert '<option value="off" selected>' in html
    assert not NotificationPreference.objects.exists()


def test_settings_page_sets_levels_and_digest_time_in_bounded_queries(
    member_client, member, django_assert_max_num_queries
):
    from cercles.communities.models import Role
    from cercles.communities.tests.factories import CommunityFactory, add_member
    from cercles.notifications.models import CommunityPreference

    communities = [CommunityFactory() for _ in range(6)]
    for community in communities:
        add_member(community, Role.OUTER, user=member)
    with django_assert_max_num_queries(12):
        response = member_client.get(SETTINGS_URL)
    form = response.context["form"]
    changes = {
        f"community__{communities[0].pk}": "mute",
        f"community__{communities[1].pk}": "mine",
        "hour": "18",
        "weekday": "4",
    }
    response = member_client.post(SETTINGS_URL, _all_fields(form, **changes))
    assert response.status_code == 302
    assert dict(
        CommunityPreference.objects.filter(user=member).values_list("community_id", "level")
    ) == {communities[0].pk: "mute", communities[1].pk: "mine"}
    schedule = services.schedule_of(member)
    assert (schedule.hour, schedule.weekday) == (18, 4)


def test_levels_for_a_community_one_is_not_in_are_refused(member):
    from django.core.exceptions import PermissionDenied

    from cercles.communities.tests.factories import CommunityFactory

    elsewhere = CommunityFactory()
    with pytest.raises(PermissionDenied):
        services.set_preferences(member, {}, levels={elsewhere.pk: "mute"})


def test_a_member_of_many_communities_sets_their_levels_page_by_page(member_client, member):
    from cercles.communities.models import Role
    from cercles.communities.tests.factories import CommunityFactory, add_member
    from cercles.notifications.models import CommunityPreference
    from cercles.notifications.views import PLACES_PER_PAGE

    communities = [CommunityFactory(title=f"Cercle {n:03}") for n in range(PLACES_PER_PAGE + 3)]
    for community in communities:
        add_member(community, Role.OUTER, user=member)
    first = member_client.get(SETTINGS_URL)
    assert len(first.context["form"].community_fields()) == PLACES_PER_PAGE
    assert "Page 1 of 2" in first.content.decode() or "Page 1 sur 2" in first.content.decode()
    member_client.post(
        SETTINGS_URL,
        _all_fields(first.context["form"], **{f"community__{communities[0].pk}": "mute"}),
    )
    second = member_client.get(SETTINGS_URL, {"page": 2})
    fields = second.context["form"].community_fields()
    assert [f.label for f in fields] == [c.title for c in communities[PLACES_PER_PAGE:]]
    last = communities[-1]
    response = member_client.post(
        f"{SETTINGS_URL}?page=2",
        _all_fields(second.context["form"], **{f"community__{last.pk}": "mine"}),
    )
    assert response.status_code == 302 and response["Location"].endswith("?page=2")
    # Saving the second page kept what the first one set.
    assert dict(
        CommunityPreference.objects.filter(user=member).values_list("community_id", "level")
    ) == {communities[0].pk: "mute", last.pk: "mine"}
