import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import translation

from cercles.accounts.tests.factories import UserFactory
from cercles.notifications import services
from cercles.notifications.kinds import KINDS, Delivery, get_kind
from cercles.notifications.models import Notification, NotificationPreference

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

COMMUNITY = "Eau et assainissement en milieu rural au Sahel"


def notify_submitted(recipients, actor, url="/communities/eau/", **extra):
    return services.notify(
        recipients, "community.submitted", actor=actor, url=url, community=COMMUNITY, **extra
    )


def test_notify_stores_one_notification_per_recipient(member, other_member, coordinator):
    notifications = notify_submitted([coordinator, other_member], member)
    assert {n.recipient for n in notifications} == {coordinator, other_member}
    stored = Notification.objects.get(recipient=coordinator)
    assert stored.kind == "community.submitted"
    assert stored.actor == member
    assert stored.url == "/communities/eau/"
    assert stored.params == {"community": COMMUNITY, "actor": member.name}
    assert stored.read_at is None


def test_notify_skips_the_actor_inactive_people_and_duplicates(member, other_member):
    inactive = UserFactory(is_active=False)
    notify_submitted([member, other_member, other_member, inactive], member)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [other_member.pk]


def test_notify_accepts_one_person_or_a_queryset(member, other_member, coordinator):
    notify_submitted(other_member, member)
    notify_submitted(type(member).objects.filter(is_coordinator=True), member)
    assert Notification.objects.filter(recipient=other_member).count() == 1
    assert Notification.objects.filter(recipient=coordinator).count() == 1


def test_notify_respects_each_persons_delivery(member, django_capture_on_commit_callbacks):
    immediate, in_app, off = UserFactory(), UserFactory(), UserFactory()
    services.set_preference(in_app, "community.submitted", Delivery.IN_APP)
    services.set_preference(off, "community.submitted", Delivery.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        notify_submitted([immediate, in_app, off], member)
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        immediate.pk, in_app.pk,
    }  # fmt: skip
    assert [m.to for m in mail.outbox] == [[immediate.email]]


def test_a_preference_for_another_kind_changes_nothing(
    member, other_member, django_capture_on_commit_callbacks
):
    services.set_preference(other_member, "membership.requested", Delivery.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        notify_submitted([other_member], member)
    assert Notification.objects.filter(recipient=other_member).exists()
    assert len(mail.outbox) == 1


def test_email_is_sent_only_after_the_transaction_commits(
    member, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify_submitted([other_member], member)
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_email_is_written_in_each_recipients_language(
    member, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://cercles.example.org"
    english = UserFactory(language="en")
    french = UserFactory(language="fr")
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        [n_en, n_fr] = sorted(
            notify_submitted([english, french], member, note="Merci de relire."),
            key=lambda n: n.recipient == french,
        )
    emails = {m.to[0]: m for m in mail.outbox}
    sent_en, sent_fr = emails[english.email], emails[french.email]

    expected_en = f"{member.name} submitted the framing of “{COMMUNITY}” for review"
    assert sent_en.subject == f"[Cercles] {expected_en}"
    assert expected_en in sent_en.body
    assert "Merci de relire." in sent_en.body
    link = f"https://cercles.example.org/notifications/{n_en.pk}/open"
    assert link in sent_en.body
    html = sent_en.alternatives[0][0]
    assert f'href="{link}"' in html
    assert '<html lang="en">' in html

    with translation.override("fr"):
        expected_fr = n_fr.message
    assert sent_fr.subject == f"[Cercles] {expected_fr}"
    assert expected_fr in sent_fr.body
    assert '<html lang="fr">' in sent_fr.alternatives[0][0]
    assert f"https://cercles.example.org/notifications/{n_fr.pk}/open" in sent_fr.body


def test_email_escapes_names_in_html(django_capture_on_commit_callbacks):
    actor = UserFactory(display_name="<b>Awa</b>")
    recipient = UserFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notify_submitted([recipient], actor)
    html = mail.outbox[0].alternatives[0][0]
    assert "&lt;b&gt;Awa&lt;/b&gt;" in html
    assert "<b>Awa</b>" not in html


def test_notify_costs_the_same_queries_for_many_recipients(member, django_assert_max_num_queries):
    few = [UserFactory() for _ in range(2)]
    many = [UserFactory() for _ in range(30)]
    with django_assert_max_num_queries(2):
        notify_submitted(few, member)
    with django_assert_max_num_queries(2):
        notify_submitted(many, member)
    assert Notification.objects.count() == 32


def test_message_is_rendered_in_the_readers_language(member, other_member):
    [notification] = notify_submitted([other_member], member)
    with translation.override("en"):
        assert notification.message == (
            f"{member.name} submitted the framing of “{COMMUNITY}” for review"
        )
    with translation.override("fr"):
        assert COMMUNITY in notification.message
        assert member.name in notification.message


def test_variants_pick_the_message_by_decision(member, other_member):
    [notification] = services.notify(
        [other_member], "community.reviewed", actor=member, community="Eau", decision="validated"
    )
    with translation.override("en"):
        assert notification.message == f"{member.name} validated “Eau”: it is now open to members"


def test_notify_refuses_unknown_kinds_missing_params_and_bad_variants(member, other_member):
    with pytest.raises(LookupError):
        services.notify([other_member], "community.unknown", actor=member)
    with pytest.raises(KeyError):
        services.notify([other_member], "community.submitted", actor=member)
    with pytest.raises(ValueError):
        services.notify(
            [other_member], "community.reviewed", actor=member, community="Eau", decision="maybe"
        )
    assert not Notification.objects.exists()


@pytest.mark.parametrize("url", ["https://evil.example", "//evil.example/x", "javascript:x()"])
def test_notify_refuses_links_outside_the_site(member, other_member, url):
    with pytest.raises(ValueError):
        notify_submitted([other_member], member, url=url)


def test_a_notification_without_actor_names_the_platform(other_member):
    [notification] = services.notify(
        [other_member], "community.state_changed", community="Eau", state="active"
    )
    assert notification.params["actor"] == "Cercles"
    with translation.override("en"):
        assert notification.message == "“Eau” is now active"


def test_a_message_whose_params_no_longer_fit_falls_back_to_the_label():
    notification = NotificationFactory(params={})
    with translation.override("en"):
        assert notification.message == str(get_kind("community.submitted").label)


def test_mark_read_and_mark_all_read(member):
    first, second = NotificationFactory(recipient=member), NotificationFactory(recipient=member)
    someone_elses = NotificationFactory()
    services.mark_read(member, first)
    first.refresh_from_db()
    assert first.read_at is not None
    assert services.mark_all_read(member) == 1
    second.refresh_from_db()
    someone_elses.refresh_from_db()
    assert second.read_at is not None
    assert someone_elses.read_at is None


def test_mark_read_refuses_someone_elses_notification(member):
    with pytest.raises(PermissionDenied):
        services.mark_read(member, NotificationFactory())


def test_set_preference_creates_then_updates_one_row(member):
    services.set_preference(member, "membership.invited", Delivery.OFF)
    services.set_preference(member, "membership.invited", Delivery.IN_APP)
    assert NotificationPreference.objects.get(user=member).delivery == "in_app"
    assert services.delivery_for(member, "membership.invited") == "in_app"
    # A kind of the same group shares the choice; another group keeps its default.
    assert services.delivery_for(member, "membership.removed") == "in_app"
    assert services.delivery_for(member, "community.submitted") == Delivery.IMMEDIATE


def test_set_preference_refuses_unknown_values(member):
    with pytest.raises(LookupError):
        services.set_preference(member, "nothing.here", Delivery.OFF)
    with pytest.raises(Exception, match="unknown delivery"):
        services.set_preference(member, "membership.invited", "hourly")


def test_every_kind_renders_in_both_languages():
    for kind in KINDS.values():
        # The values every message may use, plus the ones its English source names ("thread").
        source = " ".join(str(m) for m in [kind.message, *kind.variants.values()])
        params = {name: name for name in re.findall(r"%\((\w+)\)s", source)}
        params.update(actor="Awa", community="Eau")
        values = list(kind.variants) or [None]
        for value in values:
            if kind.variant_param:
                params[kind.variant_param] = value
            kind.check_params(params)
            for language in ("fr", "en"):
                with translation.override(language):
                    rendered = kind.render(params)
                    # Kinds about a community name it (a person's own archive names none).
                    assert "Eau" in rendered or "%(community)s" not in source
                    assert str(kind.label)
