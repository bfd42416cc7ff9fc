"""Seasons and endings in a real browser, in French and in English: a lead runs a season to its
end and publishes its review, members see the celebration (phone and desktop, and its PDF); a
health review ends in "evolve" and the framing goes back to the coordinators' review; a
community closes with its final record and legacy, is archived, and its legacy is in /library/,
while its pages refuse every write. Screenshots in test-artifacts/."""

import datetime
import shutil
import subprocess

import pytest
from django.utils import timezone

from cercles.accounts.tests.factories import PASSWORD, CoordinatorFactory, UserFactory
from cercles.communities import services as community_services
from cercles.communities.lifecycle import State
from cercles.communities.models import Community, Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.tests.browser import (
    ARTIFACTS_DIR,
    assert_no_horizontal_scroll,
    log_in,
    navigates,
    screenshot,
    visit,
)
from cercles.discussions.models import Post
from cercles.discussions.tests.factories import start_thread
from cercles.library.models import Item, NoteRevision, Production, ProductionStatus
from cercles.library.tests.factories import make_note, make_production
from cercles.meetings.models import Attendance
from cercles.meetings.tests.factories import MeetingFactory
from cercles.seasons.models import CelebrationPdf, Season

from .factories import ObjectiveFactory, SeasonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


def as_person(page, person):
    page.context.clear_cookies()
    log_in(page, person.email, PASSWORD)


def shot(page, language, number, name):
    return screenshot(page, f"seasons-{language}-{number:02d}-{name}")


def _lived_season(language):
    """An active community whose season ended yesterday, with a life to celebrate."""
    lead = UserFactory(language=language, display_name="Awa Diallo")
    community = CommunityFactory(lead=lead, title="Eau et assainissement au Sahel")
    members = [
        add_member(community, Role.INNER, user=UserFactory(language=language, display_name=name))
        .user for name in ("Moussa Traoré", "Fatou Sow", "Jean Kaboré")
    ]  # fmt: skip
    today = timezone.localdate()
    season = SeasonFactory(
        community=community, name="Saison 1 — Comprendre les pannes",
        starts_on=today - datetime.timedelta(days=120), ends_on=today - datetime.timedelta(days=1),
    )  # fmt: skip
    for title, status in [("Recenser les artisans réparateurs", "under_way"),
                          ("Publier la fiche sur les cotisations", "under_way"),
                          ("Écrire le guide", "under_way")]:  # fmt: skip
        ObjectiveFactory(season=season, title=title, status=status)
    thread = start_thread(community, members[0], title="Nos pannes", body="Trois semaines !")
    from cercles.discussions import services as discussions

    for person in members[1:]:
        discussions.reply(person, thread, body="Chez nous aussi.")
    note = make_note(members[1], community, title="Carnet de la visite de Dosso")
    production = make_production(lead, community, title="Fiche « Une cotisation qui dure »",
                                 status=ProductionStatus.DELIVERED)  # fmt: skip
    # Written and delivered during the season, which ended yesterday.
    earlier = timezone.now() - datetime.timedelta(days=10)
    Item.objects.filter(pk=note.pk).update(created_at=earlier)
    NoteRevision.objects.filter(note=note).update(created_at=earlier)
    Production.objects.filter(pk=production.pk).update(delivered_at=earlier)
    Post.objects.filter(thread=thread).update(created_at=earlier)
    meeting = MeetingFactory(community=community, title="Rencontre de démarrage",
                             starts_at=timezone.now() - datetime.timedelta(days=60))  # fmt: skip
    for person in [lead, *members]:
        Attendance.objects.create(meeting=meeting, user=person, present=True)
    return community, season, members


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_season_is_reviewed_and_celebrated(page, language):
    community, season, members = _lived_season(language)
    lead = community.lead
    as_person(page, lead)
    visit(page, community.get_absolute_url())
    assert page.locator("#season").count() == 1
    visit(page, f"/communities/{community.slug}/seasons/")
    with navigates(page):
        page.locator(f"a[href$='/seasons/{season.pk}/review/']").click()
    # Bad input first: publishing without saying what we are proud of.
    page.locator("[name=learnt]").fill("Partir des pannes vécues.")
    objectives = list(season.objectives.order_by("position"))
    for objective in objectives[:2]:
        page.locator(f"[name=objective_{objective.pk}]").select_option("reached")
    with navigates(page):
        page.locator("button[name=publish]").click()
    assert page.locator(".field-errors").count() >= 1
    assert page.locator("[name=learnt]").input_value() == "Partir des pannes vécues."
    page.locator("[name=achievements]").fill(
        "Les comités se parlent d'un village à l'autre, et la fiche circule dans le réseau."
    )
    page.locator("[name=keep_doing]").fill("Les comptes rendus envoyés le lendemain.")
    shot(page, language, 1, "review-form")
    with navigates(page):
        page.locator("button[name=publish]").click()
    season.refresh_from_db()
    assert season.is_published
    assert page.locator(".celebration-hero").count() == 1

    # A member sees the celebration, on a phone then on a desktop.
    member = members[0]
    as_person(page, member)
    page.set_viewport_size(PHONE)
    visit(page, "/notifications/")
    assert (
        season.name in page.locator("main").inner_text()
        or community.title in page.locator("main").inner_text()
    )
    visit(page, f"/communities/{community.slug}/seasons/{season.pk}/celebration/")
    assert_no_horizontal_scroll(page)
    figures = page.locator(".celebration-figures strong").all_inner_texts()
    assert figures[:4] == ["2", "1", "1", "1"]  # objectives, productions, meetings, notes
    assert page.locator(".contributors .who").count() == 4
    assert "Moussa Traoré" in page.locator(".contributors").inner_text()
    shot(page, language, 2, "celebration-360")
    page.set_viewport_size(DESKTOP)
    visit(page, f"/communities/{community.slug}/seasons/{season.pk}/celebration/")
    shot(page, language, 3, "celebration-1280")

    # Its printable version, made by the job.
    pdf = CelebrationPdf.objects.get(season=season, language=language)
    assert pdf.file.read(5) == b"%PDF-"
    if shutil.which("pdftoppm"):
        target = ARTIFACTS_DIR / f"seasons-{language}-04-celebration-pdf"
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", pdf.file.path,
                        str(target)], check=True)  # fmt: skip
    with page.expect_download() as download:
        page.locator(f"a[href$='/seasons/{season.pk}/celebration.pdf']").click()
    assert download.value.suggested_filename.endswith(".pdf")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_health_review_that_evolves_sends_the_framing_back_to_review(page, language):
    lead = UserFactory(language=language)
    community = CommunityFactory(lead=lead, title="Agroécologie à Madagascar")
    core = add_member(community, Role.CORE, user=UserFactory(language=language)).user
    coordinator = CoordinatorFactory(language=language)
    as_person(page, core)
    visit(page, community.get_absolute_url())
    with navigates(page):
        page.locator(f"a[href='/communities/{community.slug}/health/new/']").click()
    assert page.locator(".health-criterion .fact").count() == 8
    # Bad input: "evolve" without saying why.
    page.locator("input[name=decision][value=evolve]").check()
    page.locator("input[name=support_rating][value=problem]").check()
    page.locator("[name=support_comment]").fill("Les organisations ne libèrent plus de temps.")
    with navigates(page):
        page.locator("form [type=submit]").last.click()
    assert page.locator(".field-errors").count() >= 1
    assert page.locator("[name=support_comment]").input_value().startswith("Les organisations")
    for criterion in ("objectives", "critical_mass", "moderation", "meetings", "value",
                      "productions", "roles"):  # fmt: skip
        page.locator(f"input[name={criterion}_rating][value=watch]").check()
    page.locator("[name=comment]").fill("Recentrer la communauté sur les semences paysannes.")
    page.set_viewport_size(PHONE)
    assert_no_horizontal_scroll(page)
    shot(page, language, 5, "health-review-360")
    page.set_viewport_size(DESKTOP)
    with navigates(page):
        page.locator("form [type=submit]").last.click()
    community.refresh_from_db()
    assert community.state == State.REFRAMING
    assert page.url.endswith(f"/communities/{community.slug}/framing/")
    # The lead revises and submits the framing; it is in the coordinators' queue.
    as_person(page, lead)
    visit(page, community.get_absolute_url())
    with navigates(page):
        page.locator(f"form[action='/communities/{community.slug}/framing/submit'] button").click()
    community.refresh_from_db()
    assert community.state == State.IN_REVIEW
    as_person(page, coordinator)
    visit(page, "/review/")
    assert page.locator(f"a[href='/communities/{community.slug}/review/']").count() >= 1
    visit(page, "/coordination/health-reviews/")
    assert community.title in page.locator("main").inner_text()
    shot(page, language, 6, "network-health-reviews")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_community_closes_with_its_legacy_is_archived_and_refuses_every_write(page, language):
    lead = UserFactory(language=language)
    community = CommunityFactory(lead=lead, title="Énergie solaire pour les centres de santé")
    member = add_member(community, Role.INNER, user=UserFactory(language=language)).user
    kept = make_note(lead, community, title="Retours des installations")
    make_note(lead, community, title="Brouillon interne")
    production = make_production(lead, community, title="Outil de dimensionnement")
    thread = start_thread(community, member, title="Conversation entre membres")
    coordinator = CoordinatorFactory(language=language)

    as_person(page, lead)
    visit(page, f"/communities/{community.slug}/settings/")  # closing is among the settings
    with navigates(page):
        page.locator(f"a[href='/communities/{community.slug}/closing/']").click()
    # Bad input: closing without a final record.
    page.locator("[name=thanks]").fill("Merci aux infirmières chefs de poste.")
    with navigates(page):
        page.locator("button[name=outcome][value=close]").click()
    assert page.locator(".field-errors").count() >= 1
    assert page.locator("[name=thanks]").input_value().startswith("Merci")
    page.locator("[name=achievements]").fill("Un outil de dimensionnement testé dans dix centres.")
    page.locator("[name=lessons]").fill("Les pannes viennent des batteries.")
    page.locator(f"input[name=legacy_items][value='{kept.pk}']").check()
    page.locator(f"input[name=legacy_productions][value='{production.pk}']").check()
    shot(page, language, 7, "closing-page")
    with navigates(page):
        page.locator("button[name=outcome][value=close]").click()
    community.refresh_from_db()
    assert community.state == State.CLOSED
    assert "Retours des installations" in page.locator("main").inner_text()
    assert "Brouillon interne" not in page.locator("main").inner_text()

    # A coordinator archives it at once (grace period 0), through the job.
    as_person(page, coordinator)
    visit(page, f"/communities/{community.slug}/closing/")
    page.locator("[name=archive_grace_days]").fill("0")
    with navigates(page):
        page.locator(f"form[action='/communities/{community.slug}/closing/grace'] button").click()
    community_services.archive_due_communities()
    assert Community.objects.get(pk=community.pk).state == State.ARCHIVED

    # Its legacy is in the network library, for any member of the network.
    as_person(page, UserFactory(language=language))
    visit(page, "/library/")
    with navigates(page):
        page.locator(f"a[href='/library/legacy/{community.slug}/']").first.click()
    assert "Retours des installations" in page.locator("main").inner_text()
    assert "Conversation entre membres" not in page.locator("main").inner_text()
    page.set_viewport_size(PHONE)
    assert_no_horizontal_scroll(page)
    shot(page, language, 8, "legacy-360")
    page.set_viewport_size(DESKTOP)

    # Its member finds it read-only: a banner, no form, and a forged post is refused.
    as_person(page, member)
    visit(page, f"/communities/{community.slug}/discussions/{thread.pk}/")
    assert page.locator(".end-banner--archived").count() == 1
    assert page.locator("textarea").count() == 0
    shot(page, language, 9, "archived-thread")
    token = page.context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    response = page.request.post(
        f"/communities/{community.slug}/discussions/{thread.pk}/reply",
        form={"body": "Encore un message"}, headers={"X-CSRFToken": csrf},
    )  # fmt: skip
    assert response.status == 403
    assert thread.posts.count() == 1
    assert Season.objects.filter(community=community).count() == 0
