"""The data pages in a real browser: a lead imports a list and confirms it, exports the
community; a member creates an API token (shown once), asks for their data and deletes their
account; a coordinator reads the audit log. Each page passes axe and fits 360 px."""

import pytest

from cercles.accounts.models import ApiToken
from cercles.accounts.tests.factories import PASSWORD, CoordinatorFactory, UserFactory
from cercles.communities.models import Invitation
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.tests.browser import (
    assert_no_horizontal_scroll,
    log_in,
    navigates,
    screenshot,
    visit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "email;nom;organisation;objectif;implication\n"
    "mariama.ba@exemple.org;Mariama Ba;Comité de Thiès;Comparer nos tarifs;actif\n"
    "cheikh.diop@exemple.org;Cheikh Diop;Mairie de Mbour;;observateur\n"
    "adresse-sans-arobase;Paul Martin;;;\n"
)


def as_person(page, person):
    page.context.clear_cookies()
    log_in(page, person.email, PASSWORD)


def test_lead_imports_members_and_exports_the_community(page, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    community = CommunityFactory(title="Eau au Sahel")
    add_member(community)
    as_person(page, community.lead)
    page.set_viewport_size({"width": 360, "height": 800})
    visit(page, f"/communities/{community.slug}/members/")
    with navigates(page):
        page.get_by_role("link", name="Importer des membres").click()
    csv_file = tmp_path / "membres.csv"
    csv_file.write_text(CSV, encoding="cp1252")
    page.locator("input[name=file]").set_input_files(str(csv_file))
    with navigates(page):
        page.get_by_role("button", name="Lire la liste").click()
    assert "Sera invitée" in page.content() and "L’adresse électronique n’est pas valide" in (
        page.content()
    )
    assert_no_horizontal_scroll(page)
    screenshot(page, "import-preview-360")
    with navigates(page):
        page.get_by_role("button", name="Envoyer 2 invitations").click()
    assert "Invitation envoyée" in page.content()
    assert set(Invitation.objects.values_list("email", flat=True)) == {
        "mariama.ba@exemple.org",
        "cheikh.diop@exemple.org",
    }
    page.set_viewport_size({"width": 1280, "height": 900})
    visit(page, f"/communities/{community.slug}/export/")
    with navigates(page):
        page.get_by_role("button", name="Préparer l’export").click()
    link = page.get_by_role("link", name="Télécharger")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith(f"cercles-{community.slug}-")
    screenshot(page, "export-1280")


def test_member_token_data_and_deletion(page, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    person = UserFactory(display_name="Awa Diallo")
    add_member(CommunityFactory())
    as_person(page, person)
    page.set_viewport_size({"width": 360, "height": 800})
    visit(page, "/accounts/profile/")
    page.locator("#api-tokens summary").click()
    page.locator("input[name=name]").fill("Site de notre ONG")
    with navigates(page):
        page.get_by_role("button", name="Créer le jeton").click()
    raw = page.locator("#raw-token").input_value()
    assert raw.startswith("cer_") and ApiToken.objects.get().key_hash == ApiToken.hash_of(raw)
    assert_no_horizontal_scroll(page)
    visit(page, "/accounts/profile/")
    assert raw not in page.content() and "Site de notre ONG" in page.content()
    screenshot(page, "profile-tokens-360")
    visit(page, "/accounts/profile/data/")
    with navigates(page):
        page.get_by_role("button", name="Préparer mon archive").click()
    assert page.get_by_role("link", name="Télécharger").count() == 1
    assert_no_horizontal_scroll(page)
    visit(page, "/privacy/")
    visit(page, "/accounts/profile/delete/")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=confirm]").check()
    with navigates(page):
        page.get_by_role("button", name="Supprimer mon compte définitivement").click()
    assert "Votre compte a été supprimé" in page.content()
    person.refresh_from_db()
    assert person.is_deleted


def test_coordinator_reads_the_audit_log(page):
    coordinator = CoordinatorFactory()
    community = CommunityFactory()
    membership = add_member(community)
    from cercles.communities import services

    services.change_role(community.lead, membership, "core")
    as_person(page, coordinator)
    visit(page, "/coordination/audit/")
    assert "Rôle modifié" in page.content()
    page.locator("select[name=action]").select_option("membership.role_changed")
    with navigates(page):
        page.get_by_role("button", name="Filtrer").click()
    assert page.locator("tbody tr").count() == 1
    page.set_viewport_size({"width": 360, "height": 800})
    assert_no_horizontal_scroll(page)
    screenshot(page, "audit-log-360")
