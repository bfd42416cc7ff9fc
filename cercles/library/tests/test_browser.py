"""The library and productions in a real browser: a note and its history, a file, a production
delivered by the lead that then shows in the network library, read by a visitor."""

import pytest

from cercles.accounts.tests.factories import PASSWORD, UserFactory
from cercles.communities.models import Role, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.communities.tests.test_browser import sdg_themes  # noqa: F401  (fixture)
from cercles.core.tests.browser import (
    assert_no_horizontal_scroll,
    log_in,
    navigates,
    screenshot,
    visit,
)

from ..models import Item, Production
from .factories import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, number, name):
    return screenshot(page, f"library-{number:02d}-{name}")


def as_person(page, person):
    page.context.clear_cookies()
    log_in(page, person.email, PASSWORD)


def test_notes_files_and_a_delivered_production(page, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    community = CommunityFactory(
        title="Éducation à la citoyenneté mondiale",
        slug="citoyennete-mondiale",
        visibility=Visibility.PUBLIC,
        lead=UserFactory(display_name="Geneviève Tremblay", language="fr"),
    )
    writer = add_member(community, Role.INNER, user=UserFactory(display_name="Awa Cissé")).user
    library = f"/communities/{community.slug}/library/"

    # A member of the inner circle writes a note, then completes it.
    as_person(page, writer)
    visit(page, library)
    with navigates(page):
        page.locator(f"a[href='{library}notes/new/']").click()
    page.locator("input[name=title]").fill("Idées d'activités pour la mallette")
    page.locator("textarea[name=body]").fill("- Le jeu des 17 objectifs\n- Photolangage")
    page.locator("input[name=tags]").fill("mallette, activités")
    with navigates(page):
        page.locator("main form [type=submit]").click()
    note = Item.objects.get()
    assert page.url.endswith(note.get_absolute_url())
    assert page.locator("main li", has_text="Photolangage").count() == 1
    with navigates(page):
        page.locator(f"a[href='{library}{note.pk}/edit/']").click()
    page.locator("textarea[name=body]").fill(
        "- Le jeu des 17 objectifs\n- Photolangage\n- Enquête dans le quartier"
    )
    page.locator("input[name=comment]").fill("Ajout de l'enquête")
    with navigates(page):
        page.locator("main form [type=submit]").click()
    with navigates(page):
        page.locator(f"a[href='{library}notes/{note.pk}/history/']").click()
    assert page.locator("main", has_text="Ajout de l'enquête").count() == 1
    shot(page, 1, "note-history")
    with navigates(page):
        page.locator(f"a[href='{library}notes/{note.pk}/history/2/']").click()
    assert page.locator(".diff ins", has_text="Enquête").count() == 1
    shot(page, 2, "note-revision")

    # A file whose content lies about its name is refused, a real one is kept.
    visit(page, f"{library}files/new/")
    page.locator("input[name=title]").fill("Mallette")
    lying = tmp_path / "mallette.png"
    lying.write_bytes(PDF_BYTES)
    page.locator("input[name=file]").set_input_files(str(lying))
    with navigates(page):
        page.locator("main form [type=submit]").click()
    assert page.locator("[aria-invalid=true][name=file]").count() == 1
    good = tmp_path / "mallette.pdf"
    good.write_bytes(PDF_BYTES)
    page.locator("input[name=file]").set_input_files(str(good))
    with navigates(page):
        page.locator("main form [type=submit]").click()
    assert Item.objects.filter(kind="file", filename="mallette.pdf").exists()
    visit(page, library)
    shot(page, 3, "library")

    # The lead publishes a production, then delivers it.
    as_person(page, community.lead)
    productions = f"/communities/{community.slug}/productions/"
    visit(page, f"{productions}new/")
    page.locator("input[name=title]").fill("Mallette pédagogique « Les ODD en jeu »")
    page.locator("select[name=kind]").select_option("tool")
    page.locator("select[name=audience]").select_option("public")
    page.locator("select[name=status]").select_option("in_progress")
    page.locator("textarea[name=summary]").fill("Douze activités testées dans six structures.")
    page.locator("input[name=file]").set_input_files(str(good))
    with navigates(page):
        page.locator("main form [type=submit]").click()
    production = Production.objects.get()
    shot(page, 4, "production")
    with navigates(page):
        page.locator(f"form[action='{productions}{production.pk}/deliver/'] button").click()
    production.refresh_from_db()
    assert production.is_delivered

    # A visitor finds it in the network library and downloads it; the library stays closed.
    page.context.clear_cookies()
    visit(page, "/library/")
    card = page.locator(".production-card", has_text="Les ODD en jeu")
    assert card.count() == 1
    shot(page, 5, "network-library")
    with navigates(page):
        card.locator("h2 a").click()
    with page.expect_download() as download:
        page.locator(f"a[href='{productions}{production.pk}/download/']").click()
    assert download.value.suggested_filename == "mallette.pdf"
    visit(page, library, status=200)  # the login page, after a redirect
    assert "/accounts/login/" in page.url

    # Small screens.
    page.set_viewport_size({"width": 360, "height": 740})
    visit(page, "/library/")
    assert_no_horizontal_scroll(page)
    as_person(page, writer)
    for address in (library, note.get_absolute_url(), f"{library}notes/{note.pk}/history/2/",
                    productions, production.get_absolute_url()):  # fmt: skip
        visit(page, address)
        assert_no_horizontal_scroll(page)
    shot(page, 6, "library-360")
