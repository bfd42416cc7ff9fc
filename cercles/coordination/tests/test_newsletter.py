import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities import services as community_services
from cercles.communities.models import Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.coordination import services
from cercles.coordination.models import Newsletter, SegmentRole
from cercles.coordination.newsletter import IMAGE_MAX_BYTES, compile_draft, recipients
from cercles.library.models import ProductionStatus
from cercles.library.tests.factories import make_production
from cercles.meetings.tests.factories import MeetingFactory
from cercles.notifications import services as notification_services
from cercles.notifications.kinds import Delivery, Level
from cercles.notifications.models import EmailDelivery
from cercles.taxonomy.models import Theme

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 15)


def draft(coordinator, **fields):
    newsletter = services.create_newsletter(
        coordinator,
        period_start=timezone.localdate() - datetime.timedelta(days=30),
        period_end=timezone.localdate(),
    )
    if fields:
        Newsletter.objects.filter(pk=newsletter.pk).update(**fields)
        newsletter.refresh_from_db()
    return newsletter


def test_the_draft_is_compiled_from_the_period(coordinator):
    recruiting = CommunityFactory(title="Eau au Sahel", target_size_max=20)
    MeetingFactory(community=recruiting, title="Rencontre ouverte")
    production = make_production(recruiting.lead, recruiting, title="Guide des forages")
    production.status = ProductionStatus.DELIVERED
    production.delivered_at = timezone.now() - datetime.timedelta(days=2)
    production.summary = "Un guide pour les comités de gestion."
    production.save()
    CommunityFactory(title="Cercle privé", visibility="private")
    body = compile_draft(timezone.localdate() - datetime.timedelta(days=30), timezone.localdate())
    assert "Eau au Sahel" in body
    assert "Rencontre ouverte" in body
    assert "Guide des forages" in body
    assert "Un guide pour les comités de gestion." in body  # the featured story
    assert "Cercle privé" not in body
    assert "http://" in body or "https://" in body  # absolute links, for emails


def test_script_and_remote_images_are_refused(coordinator):
    newsletter = draft(coordinator)
    for body in (
        "Bonjour <script>alert(1)</script>",
        "![pixel](https://tracker.example.com/p.gif?u=1)",
    ):
        with pytest.raises(Exception) as error:
            services.update_newsletter(coordinator, newsletter, subject="Nouvelles", body=body)
        assert "body" in str(error.value) or "allowed" in str(error.value)
    newsletter.refresh_from_db()
    assert "script" not in newsletter.body


def test_the_edit_form_keeps_the_input_and_says_what_is_wrong(coordinator_client, coordinator):
    newsletter = draft(coordinator)
    url = reverse("newsletter:edit", args=[newsletter.pk])
    body = "Voir ![pixel](https://tracker.example.com/p.gif)"
    response = coordinator_client.post(url, {"subject": "Nouvelles", "body": body})
    assert response.status_code == 200
    html = response.content.decode()
    assert "tracker.example.com/p.gif" in html  # kept in the field and named in the error
    assert 'aria-invalid="true"' in html
    newsletter.refresh_from_db()
    assert "tracker" not in newsletter.body


def _png(width=2400, height=1600):
    image = Image.effect_noise((width, height), 80).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def test_images_are_made_light_and_served_in_the_email(coordinator_client, coordinator, settings):
    settings.SITE_URL = "https://cercles.example.org"
    newsletter = draft(coordinator)
    response = coordinator_client.post(
        reverse("newsletter:add_image", args=[newsletter.pk]),
        {"image": _png(), "alt": "Un forage au Sénégal"},
    )
    assert response.status_code == 302
    picture = newsletter.images.get()
    assert picture.size <= IMAGE_MAX_BYTES and picture.width <= 1200
    services.update_newsletter(
        coordinator,
        newsletter,
        subject="Nouvelles",
        body=f"![Un forage]({picture.get_absolute_url()})",
    )
    coordinator_client.get(reverse("newsletter:preview", args=[newsletter.pk]))
    html = coordinator_client.get(reverse("newsletter:preview_email", args=[newsletter.pk]))
    assert f'src="https://cercles.example.org{picture.get_absolute_url()}"' in html.content.decode()
    # Drafts' images stay with the coordinators; sent ones load anywhere.
    assert Client().get(picture.get_absolute_url()).status_code == 404


def test_a_file_that_is_not_an_image_is_refused(coordinator_client, coordinator):
    newsletter = draft(coordinator)
    response = coordinator_client.post(
        reverse("newsletter:add_image", args=[newsletter.pk]),
        {"image": SimpleUploadedFile("x.png", b"not an image"), "alt": "x"},
    )
    assert response.status_code == 200
    assert "not an image" in response.content.decode() or "image" in response.content.decode()
    assert not newsletter.images.exists()


def test_a_segment_that_matches_nobody_is_said_before_sending(coordinator_client, coordinator):
    newsletter = draft(coordinator)
    nobody = Theme.objects.get(sdg_number=1)
    newsletter.segment_themes.set([nobody])
    response = coordinator_client.get(reverse("newsletter:send", args=[newsletter.pk]))
    assert "Nobody would receive" in response.content.decode() or "Personne" in (
        response.content.decode()
    )
    response = coordinator_client.post(reverse("newsletter:send", args=[newsletter.pk]))
    assert response.status_code == 200
    newsletter.refresh_from_db()
    assert newsletter.is_draft
    assert mail.outbox == []


def test_each_copy_has_its_own_part_and_goes_out_once(
    coordinator_client, coordinator, django_capture_on_commit_callbacks
):
    water = CommunityFactory(title="Eau au Sahel")
    schools = CommunityFactory(title="Écoles rurales")
    community_services.update_next_steps(water.lead, water, "Visiter les forages de Thiès.")
    community_services.update_next_steps(schools.lead, schools, "Écrire le guide des cantines.")
    awa, binta = UserFactory(language="fr"), UserFactory(language="en")
    add_member(water, Role.INNER, user=awa)
    add_member(schools, Role.OUTER, user=binta)
    unconfirmed = UserFactory(verified_email=False)
    newsletter = draft(coordinator)
    services.update_newsletter(coordinator, newsletter, subject="Nouvelles de mars", body="Bonjour")

    url = reverse("newsletter:send", args=[newsletter.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = coordinator_client.post(url)
        second = coordinator_client.post(url)  # a double click
    assert first.status_code == second.status_code == 302
    copies = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == len(copies)  # one copy per person
    assert unconfirmed.email not in copies
    assert "Visiter les forages de Thiès." in copies[awa.email].body
    assert "Écrire le guide des cantines." not in copies[awa.email].body
    assert "Écrire le guide des cantines." in copies[binta.email].body
    assert "For you" in copies[binta.email].body  # in each reader's own language
    assert copies[awa.email].extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENT
    assert newsletter.skipped_count >= 1
    assert EmailDelivery.objects.filter(key=newsletter.mailing_key, user=unconfirmed).get().reason
    report = coordinator_client.get(reverse("newsletter:report", args=[newsletter.pk]))
    assert unconfirmed.email in report.content.decode()


def test_muted_communities_stay_out_of_the_personal_part(coordinator):
    from cercles.coordination.newsletter import personal_parts

    water = CommunityFactory(title="Eau au Sahel")
    community_services.update_next_steps(water.lead, water, "Visiter les forages.")
    awa = UserFactory()
    add_member(water, Role.INNER, user=awa)
    assert personal_parts([awa])[awa.pk]
    notification_services.set_community_level(awa, water.pk, Level.MUTE)
    parts = personal_parts([awa])[awa.pk]
    assert not any(section.key == "communities.next_steps" for section, _i, _m in parts)


def test_the_segment_narrows_by_theme_territory_and_role(coordinator):
    water = CommunityFactory()
    lead = water.lead
    outer = UserFactory()
    add_member(water, Role.OUTER, user=outer)
    unsubscribed = UserFactory()
    notification_services.set_preference(unsubscribed, "newsletter", Delivery.OFF)
    newsletter = draft(coordinator)
    everyone = set(recipients(newsletter))
    assert {lead, outer, coordinator} <= everyone and unsubscribed not in everyone
    newsletter.segment_roles = [SegmentRole.LEADS]
    assert set(recipients(newsletter)) == {lead}
    newsletter.segment_roles = [SegmentRole.OUTER, SegmentRole.COORDINATORS]
    assert set(recipients(newsletter)) == {outer, coordinator}
    newsletter.segment_roles = []
    newsletter.segment_themes.set(water.themes.all())
    assert {lead, outer} <= set(recipients(newsletter))
    assert coordinator not in set(recipients(newsletter))


def test_the_archive_shows_sent_newsletters_to_members(member_client, coordinator):
    sent = draft(coordinator, status="sent", sent_at=timezone.now(), subject="Nouvelles de janvier")
    waiting = draft(coordinator, subject="Brouillon secret")
    html = member_client.get(reverse("newsletter:archive")).content.decode()
    assert "Nouvelles de janvier" in html and "Brouillon secret" not in html
    assert (
        member_client.get(reverse("newsletter:archive_detail", args=[sent.pk])).status_code == 200
    )
    assert (
        member_client.get(reverse("newsletter:archive_detail", args=[waiting.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    "name", ["newsletter:edit", "newsletter:preview", "newsletter:send", "newsletter:preview_email"]
)
def test_members_cannot_compose(member_client, coordinator, name):
    newsletter = draft(coordinator)
    assert member_client.get(reverse(name, args=[newsletter.pk])).status_code == 404
    assert member_client.post(reverse("newsletter:send", args=[newsletter.pk])).status_code == 404
    newsletter.refresh_from_db()
    assert newsletter.is_draft


def test_the_sending_report_lists_failures_and_allows_an_address_again(coordinator_client):
    from cercles.notifications.models import SuppressedAddress

    person = UserFactory()
    EmailDelivery.objects.create(
        key="x:1", user=person, address=person.email, status="bounced", error="550 User unknown"
    )
    SuppressedAddress.objects.create(address=person.email.lower(), reason="550")
    html = coordinator_client.get(reverse("newsletter:sending")).content.decode()
    assert person.email in html and "550 User unknown" in html
    coordinator_client.post(reverse("newsletter:sending"), {"address": person.email})
    assert not SuppressedAddress.objects.exists()


def test_list_and_compose_pages(coordinator_client, django_assert_max_num_queries):
    CoordinatorFactory()
    response = coordinator_client.post(
        reverse("newsletter:list"),
        {"period_start": "2026-02-01", "period_end": "2026-01-01"},
    )
    assert response.status_code == 200
    assert "after its start" in response.content.decode() or "aria-invalid" in (
        response.content.decode()
    )
    response = coordinator_client.post(
        reverse("newsletter:list"),
        {"period_start": "2026-01-01", "period_end": "2026-02-01"},
    )
    newsletter = Newsletter.objects.get()
    assert response.url == reverse("newsletter:edit", args=[newsletter.pk])
    for _ in range(15):
        Newsletter.objects.create(
            subject="Ancienne", period_start=TODAY, period_end=TODAY, status="sent",
            sent_at=timezone.now(),
        )  # fmt: skip
    with django_assert_max_num_queries(12):
        assert coordinator_client.get(reverse("newsletter:list")).status_code == 200
