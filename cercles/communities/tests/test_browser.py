"""The life of a community in a real browser: proposed, reviewed twice, validated, joined.

Run in French and in English: each person's interface language comes from their account.
Selectors rely on names, values and structure so that the scenario does not depend on wording.
"""

import datetime

import pytest
from django.utils import timezone

from cercles.accounts.tests.factories import PASSWORD, CoordinatorFactory, UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import Community, Involvement, MembershipStatus, Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.tests.browser import (
    assert_no_horizontal_scroll,
    log_in,
    navigates,
    screenshot,
    visit,
)
from cercles.taxonomy.models import Territory, Theme
from cercles.taxonomy.services import SDG_THEMES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["fr", "en"]
TITLE = "Eau et assainissement en milieu rural au Sahel"
FIRST_PURPOSE = "Échanger entre comités de gestion de l'eau."
REVISED_PURPOSE = (
    "Produire ensemble un guide de gestion communautaire des forages, testé dans trois villages."
)
PURPOSE_COMMENT = "Précisez ce que le groupe produira, et pour qui."
REQUEST_COMMENT = "Le cadrage est prometteur ; merci de préciser la finalité."
CHECKLIST_COMMENT = "La finalité est trop vague pour que des membres s'engagent."
MEMBER_OBJECTIVE = "Apprendre des autres comités et partager notre règlement de forage."

# A few words per language that do not depend on the translation catalogue being complete.
HTML_LANG = {"fr": "fr", "en": "en"}


def html_lang(page):
    return page.locator("html").get_attribute("lang")


def as_person(page, person):
    """Forget whoever was logged in, then log in as `person` through the form."""
    page.context.clear_cookies()
    log_in(page, person.email, PASSWORD)
    assert html_lang(page) == HTML_LANG[person.language]


def shot(page, language, number, name):
    return screenshot(page, f"communities-{language}-{number:02d}-{name}")


@pytest.fixture(autouse=True)
def sdg_themes(db):
    """The 17 SDG themes of the data migration, which a transactional test's flush removes."""
    for number, name_fr, name_en in SDG_THEMES:
        Theme.objects.get_or_create(
            slug=f"odd-{number}",
            defaults={
                "sdg_number": number,
                "name_fr": name_fr,
                "name_en": name_en,
                "position": number,
            },
        )


@pytest.fixture
def territories(db):
    return [
        Territory.objects.create(
            slug="sahel", name_fr="Sahel", name_en="Sahel", countries=["SN", "ML", "BF", "NE"]
        ),
        Territory.objects.create(
            slug="madagascar", name_fr="Madagascar", name_en="Madagascar", countries=["MG"]
        ),
    ]


@pytest.fixture
def people(db):
    def person(name, language, factory=UserFactory):
        return factory(display_name=name, language=language)

    return person


@pytest.mark.parametrize("language", LANGUAGES)
def test_propose_review_revise_validate_and_join(page, language, territories, people):
    lead = people("Awa Diallo", language)
    coordinator = people("Jean Kaboré", language, CoordinatorFactory)
    member = people("Fatou Sow", language)
    water = Theme.objects.get(slug="odd-6")
    member.themes.add(water)
    today = timezone.localdate()

    # 1. The lead proposes a community: a title is enough to open the framing editor.
    as_person(page, lead)
    visit(page, "/communities/")
    shot(page, language, 1, "catalogue-empty")
    with navigates(page):
        page.locator("main a[href='/communities/propose/']").click()
    assert html_lang(page) == language
    page.locator("input[name=title]").fill(TITLE)
    page.locator("textarea[name=purpose]").fill(FIRST_PURPOSE)
    shot(page, language, 2, "propose")
    with navigates(page):
        page.locator("main form[method=post] button[type=submit]").click()

    community = Community.objects.get(title=TITLE)
    assert community.state == State.DRAFT
    assert community.lead == lead
    assert page.url.endswith(f"/communities/{community.slug}/framing/")
    framing_url = f"/communities/{community.slug}/framing/"
    shot(page, language, 3, "framing-editor-new")

    # 2. The lead fills the framing completely, with a milestone ahead, and submits.
    page.locator("textarea[name=problem_statement]").fill(
        "Les forages ruraux tombent en panne faute d'entretien et de caisse commune."
    )
    page.locator("textarea[name=positioning]").fill(
        "Complète le programme régional en réunissant les comités villageois eux-mêmes."
    )
    page.locator("input[name=kind][value=territorial]").check()
    page.locator(f"input[name=themes][value='{water.pk}']").check()
    page.locator(f"input[name=territories][value='{territories[0].pk}']").check()
    page.locator("input[name=objective_types][value=solutions]").check()
    page.locator("input[name=expected_production_kinds][value=publication]").check()
    page.locator("textarea[name=expected_productions]").fill(
        "Un guide illustré pour les comités de gestion."
    )
    page.locator("input[name=target_size_min]").fill("6")
    page.locator("input[name=target_size_max]").fill("15")
    page.locator("input[name=start_date]").fill((today + datetime.timedelta(days=7)).isoformat())
    page.locator("input[name=end_date]").fill((today + datetime.timedelta(days=300)).isoformat())
    page.locator("input[name=visibility][value=network]").check()
    page.locator("input[name='milestones-0-title']").fill("Atelier de lancement à Kaffrine")
    page.locator("input[name='milestones-0-due_date']").fill(
        (today + datetime.timedelta(days=30)).isoformat()
    )
    page.locator("textarea[name='milestones-0-description']").fill(
        "Chaque comité présente son forage."
    )
    shot(page, language, 4, "framing-editor-filled")
    with navigates(page):
        page.locator(f"button[formaction$='/communities/{community.slug}/framing/submit']").click()

    community.refresh_from_db()
    assert community.state == State.IN_REVIEW, page.locator("main").inner_text()[:2000]
    assert community.framing_versions.count() == 1
    assert page.url.endswith(f"/communities/{community.slug}/")
    assert page.locator("main .state-badge--in_review").is_visible()
    shot(page, language, 5, "home-submitted")

    # 3. A coordinator finds it in the review queue and requests changes.
    as_person(page, coordinator)
    visit(page, "/review/")
    queue_row = page.locator("main table tbody tr", has_text=TITLE)
    assert queue_row.count() == 1
    shot(page, language, 6, "review-queue")
    with navigates(page):
        queue_row.locator(f"a[href='/communities/{community.slug}/review/']").click()
    shot(page, language, 7, "review-version-1")

    for item in ("not_too_tight", "lead", "milestones", "size", "end"):
        page.locator(f"input[name=check_{item}][value=yes]").check()
    for item in ("sufficient", "co_lead"):
        page.locator(f"input[name=check_{item}][value=no]").check()
    page.locator("textarea[name=check_sufficient_comment]").fill(CHECKLIST_COMMENT)
    page.locator("textarea[name=check_co_lead_comment]").fill("Pensez à inviter un copilote.")
    field_comments = page.locator("textarea[name=field_purpose]")
    if not field_comments.is_visible():
        field_comments.locator("xpath=ancestor::details/summary").click()
    field_comments.fill(PURPOSE_COMMENT)
    page.locator("input[name=decision][value=request_changes]").check()
    page.locator("textarea[name=comment]").fill(REQUEST_COMMENT)
    shot(page, language, 8, "review-request-changes")
    with navigates(page):
        page.locator("main form[method=post] button[type=submit]").last.click()

    community.refresh_from_db()
    assert community.state == State.CHANGES_REQUESTED
    assert page.url.endswith("/review/")
    assert page.locator("#waiting-for-lead").locator("xpath=..").get_by_text(TITLE).is_visible()
    shot(page, language, 9, "review-queue-after-request")

    # 4. The lead sees the comments beside the fields, revises the purpose, resubmits.
    as_person(page, lead)
    visit(page, f"/communities/{community.slug}/")
    assert REQUEST_COMMENT in page.locator("main .review-comment").inner_text()
    shot(page, language, 10, "home-changes-requested")
    with navigates(page):
        page.locator(f"main .review-comment a[href='{framing_url}']").click()
    purpose_entry = page.locator("#entry-purpose")
    assert PURPOSE_COMMENT in purpose_entry.locator(".review-comment--field").inner_text()
    # Screen readers announce the comment with the field.
    described_by = purpose_entry.locator("textarea[name=purpose]").get_attribute("aria-describedby")
    assert "comment-purpose" in described_by.split()
    requested = page.locator("main section.review-comment").inner_text()
    assert REQUEST_COMMENT in requested
    assert CHECKLIST_COMMENT in requested
    # Only the commented field carries a comment.
    assert page.locator(".review-comment--field").count() == 1
    purpose_entry.locator("textarea[name=purpose]").fill(REVISED_PURPOSE)
    shot(page, language, 11, "framing-editor-with-comments")
    with navigates(page):
        page.locator(f"button[formaction$='/communities/{community.slug}/framing/submit']").click()

    community.refresh_from_db()
    assert community.state == State.IN_REVIEW
    assert community.purpose == REVISED_PURPOSE
    assert community.framing_versions.count() == 2
    shot(page, language, 12, "home-resubmitted")

    # 5. The coordinator sees version 2 with the diff against version 1, and validates.
    as_person(page, coordinator)
    visit(page, "/review/")
    assert page.locator("main table tbody tr", has_text=TITLE).count() == 1
    with navigates(page):
        page.locator(f"main a[href='/communities/{community.slug}/review/']").first.click()
    changes = page.locator("section[aria-labelledby=changes-heading]")
    assert changes.is_visible()
    assert changes.locator("article").count() == 1
    assert changes.locator(".diff ins").count() >= 1
    assert changes.locator(".diff del").count() >= 1
    assert PURPOSE_COMMENT in changes.inner_text()
    shot(page, language, 13, "review-version-2-diff")
    for item in ("not_too_tight", "sufficient", "lead", "milestones", "size", "end"):
        page.locator(f"input[name=check_{item}][value=yes]").check()
    page.locator("input[name=check_co_lead][value=no]").check()
    page.locator("input[name=decision][value=validate]").check()
    page.locator("textarea[name=comment]").fill("Merci pour ces précisions. Bonne route !")
    shot(page, language, 14, "review-validate")
    with navigates(page):
        page.locator("main form[method=post] button[type=submit]").last.click()

    community.refresh_from_db()
    assert community.state == State.OPEN
    assert community.framing_versions.get(number=2).review.decision == "validate"
    shot(page, language, 15, "review-queue-after-validation")

    # 6. Another member finds it in the catalogue and joins as an active contributor.
    as_person(page, member)
    visit(page, "/communities/")
    recommended = page.locator("section[aria-labelledby=recommended-heading]")
    assert recommended.locator("h3", has_text=TITLE).is_visible()
    page.locator("main input[name=q]").fill("assainissement")
    with navigates(page):
        page.locator("form.filters button[type=submit]").click()
    card = page.locator(
        "section[aria-labelledby=catalogue-heading] .community-card", has_text=TITLE
    )
    assert card.count() == 1
    shot(page, language, 16, "catalogue-search")
    with navigates(page):
        card.locator("h3 a").click()
    assert page.url.endswith(f"/communities/{community.slug}/")
    assert REVISED_PURPOSE in page.locator("main").inner_text()
    shot(page, language, 17, "home-before-joining")
    with navigates(page):
        page.locator(f"main a[href='/communities/{community.slug}/join/']").click()
    page.locator("textarea[name=objective]").fill(MEMBER_OBJECTIVE)
    page.locator(f"input[name=involvement][value={Involvement.ACTIVE}]").check()
    shot(page, language, 18, "join")
    with navigates(page):
        page.locator("main form[method=post] button[type=submit]").click()

    membership = community.memberships.get(user=member)
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.involvement == Involvement.ACTIVE
    assert membership.role == Role.INNER
    assert membership.objective == MEMBER_OBJECTIVE
    assert MEMBER_OBJECTIVE in page.locator("main .my-membership").inner_text()
    shot(page, language, 19, "home-member")

    # 7. The lead sees the new member, and their objective, on the members page.
    as_person(page, lead)
    visit(page, f"/communities/{community.slug}/members/")
    member_card = page.locator("main .member-card", has_text="Fatou Sow")
    assert member_card.is_visible()
    assert MEMBER_OBJECTIVE[:40] in member_card.inner_text()
    shot(page, language, 20, "members")


LONG_TITLE = (
    "Gestion intégrée et communautaire des ressources en eau et de l'assainissement "
    "dans les communes rurales sahéliennes"
)


def test_community_pages_fit_a_phone_screen(page, territories):
    lead = UserFactory(display_name="Marie-Françoise Ouédraogo-Kaboré", language="fr")
    coordinator = CoordinatorFactory(display_name="Jean-Baptiste Kaboré", language="fr")
    community = CommunityFactory(
        title=LONG_TITLE,
        slug="gestion-integree-eau",
        lead=lead,
        state=State.OPEN,
        purpose="Une finalité assez longue, avec une adresse https://exemple-d-adresse-tres-longue.example/chemin/vers/une/page",
    )
    community.territories.add(territories[0])
    for _ in range(3):
        add_member(community)
    in_review = CommunityFactory(
        title="Éducation à la citoyenneté mondiale dans les établissements scolaires",
        slug="citoyennete-mondiale",
        state=State.DRAFT,
    )
    page.set_viewport_size({"width": 360, "height": 740})

    # The lead's pages.
    as_person(page, lead)
    for number, (name, url) in enumerate(
        [
            ("catalogue", "/communities/"),
            ("home", f"/communities/{community.slug}/"),
            ("members", f"/communities/{community.slug}/members/"),
        ],
        start=1,
    ):
        visit(page, url)
        assert_no_horizontal_scroll(page)
        screenshot(page, f"communities-narrow-{number:02d}-{name}")

    # The framing editor of a draft, then its review once submitted.
    as_person(page, in_review.lead)
    visit(page, f"/communities/{in_review.slug}/framing/")
    assert_no_horizontal_scroll(page)
    screenshot(page, "communities-narrow-04-framing-editor")
    with navigates(page):
        page.locator(f"button[formaction$='/communities/{in_review.slug}/framing/submit']").click()
    in_review.refresh_from_db()
    assert in_review.state == State.IN_REVIEW, page.locator("main").inner_text()[:2000]

    as_person(page, coordinator)
    visit(page, "/review/")
    assert_no_horizontal_scroll(page)
    screenshot(page, "communities-narrow-05-review-queue")
    visit(page, f"/communities/{in_review.slug}/review/")
    assert_no_horizontal_scroll(page)
    screenshot(page, "communities-narrow-06-review")
