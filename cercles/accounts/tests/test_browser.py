"""A person's first steps in a real browser: sign up, confirm, fill the profile, pick a language."""

import re

import pytest
from django.core import mail
from PIL import Image

from cercles.accounts.models import User
from cercles.accounts.tests.factories import PASSWORD, UserFactory
from cercles.core.tests.browser import (
    assert_no_horizontal_scroll,
    log_in,
    navigates,
    screenshot,
    visit,
)
from cercles.taxonomy.models import Theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "awa.diallo@eauvive.example"
GOOD_PASSWORD = "Riviere-Niger-2024!"


def html_lang(page):
    return page.locator("html").get_attribute("lang")


def submit(page):
    """Press the main form's submit button and wait for the page that answers."""
    with navigates(page):
        page.locator("main form[method=post] button[type=submit]").first.click()


@pytest.fixture
def themes(db):
    return [
        Theme.objects.create(
            slug="eau", name_fr="Eau et assainissement", name_en="Water and sanitation"
        ),
        Theme.objects.create(
            slug="climat", name_fr="Adaptation au climat", name_en="Climate adaptation"
        ),
        Theme.objects.create(slug="genre", name_fr="Égalité femmes-hommes", name_en="Gender"),
    ]


@pytest.fixture
def avatar_file(tmp_path):
    path = tmp_path / "portrait.png"
    Image.new("RGB", (400, 300), (11, 110, 79)).save(path)
    return path


def test_sign_up_confirm_fill_profile_and_keep_the_chosen_language(page, themes, avatar_file):
    visit(page, "/")
    assert html_lang(page) == "fr"
    screenshot(page, "accounts-01-home-anonymous")

    # Sign up, first with a password the validators refuse.
    visit(page, "/accounts/signup/")
    page.locator("input[name=display_name]").fill("Awa Diallo")
    page.locator("input[name=email]").fill(EMAIL)
    page.locator("input[name=password1]").fill("12345678")
    page.locator("input[name=password2]").fill("12345678")
    submit(page)

    errors = page.locator("#id_password1_errors")
    assert "trop courant" in errors.inner_text()
    describedby = page.locator("input[name=password1]").get_attribute("aria-describedby")
    assert "id_password1_errors" in describedby
    assert page.locator("input[name=display_name]").input_value() == "Awa Diallo"
    assert page.locator("input[name=email]").input_value() == EMAIL
    assert not User.objects.filter(email=EMAIL).exists()
    screenshot(page, "accounts-02-signup-weak-password")

    page.locator("input[name=password1]").fill(GOOD_PASSWORD)
    page.locator("input[name=password2]").fill(GOOD_PASSWORD)
    submit(page)
    assert "/accounts/confirm-email/" in page.url
    screenshot(page, "accounts-03-check-your-email")

    # The confirmation email, sent by the live server in this same process.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    confirm_path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", message.body)[1]
    visit(page, confirm_path)
    screenshot(page, "accounts-04-confirm-email")
    submit(page)

    person = User.objects.get(email=EMAIL)
    assert person.display_name == "Awa Diallo"
    assert person.language == "fr"
    assert page.locator("header details.dropdown summary", has_text="Awa Diallo").is_visible()
    assert html_lang(page) == "fr"
    screenshot(page, "accounts-05-home-signed-in")

    # Fill the profile.
    visit(page, "/accounts/profile/")
    page.locator("input[name=organisation]").fill("Réseau Eau Vive Sahel")
    page.locator("select[name=country]").select_option("SN")
    page.get_by_label("Eau et assainissement").check()
    page.get_by_label("Adaptation au climat").check()
    page.locator("input[name=skills_text]").fill("facilitation, gestion de l'eau")
    page.locator("textarea[name=bio]").fill(
        "Animatrice de **réseaux d'irrigants** depuis dix ans.\n\nVoir [notre site](https://eauvive.example)."
    )
    page.locator("input[name=avatar_upload]").set_input_files(avatar_file)
    screenshot(page, "accounts-06-profile-form")
    submit(page)

    assert page.url.endswith(person.get_absolute_url())
    main = page.locator("main")
    assert "Réseau Eau Vive Sahel" in main.inner_text()
    assert "Sénégal" in main.inner_text()
    assert main.locator(".tags li", has_text="Eau et assainissement").is_visible()
    assert main.locator(".tags li", has_text="Adaptation au climat").is_visible()
    assert not main.locator(".tags li", has_text="Égalité femmes-hommes").count()
    assert main.locator(".tags li", has_text="gestion de l'eau").is_visible()
    assert main.locator("strong", has_text="réseaux d'irrigants").is_visible()
    assert main.locator("a[href='https://eauvive.example']").is_visible()
    avatar = main.locator("img.avatar")
    assert avatar.evaluate("img => img.complete && img.naturalWidth") == 256
    screenshot(page, "accounts-07-profile")

    # Switch the interface to English from the header.
    with navigates(page):
        page.locator("header .language-switcher button[value=en]").click()
    assert html_lang(page) == "en"
    assert page.url.endswith(person.get_absolute_url())
    assert main.locator(".tags li", has_text="Water and sanitation").is_visible()
    person.refresh_from_db()
    assert person.language == "en"
    screenshot(page, "accounts-08-profile-english")

    # Log out, forget the browser's language cookie, and log back in: still English.
    page.locator("header details.dropdown summary", has_text="Awa Diallo").click()
    with navigates(page):
        page.locator("header form[action='/accounts/logout/'] button").click()
    assert not page.locator("header details.dropdown").count()
    page.context.clear_cookies()
    visit(page, "/")
    assert html_lang(page) == "fr"

    log_in(page, EMAIL, GOOD_PASSWORD)
    assert html_lang(page) == "en"
    assert page.locator("header details.dropdown summary", has_text="Awa Diallo").is_visible()
    screenshot(page, "accounts-09-home-english-after-login")


def test_home_and_profile_fit_a_phone_screen(page, themes):
    person = UserFactory(
        display_name="Marie-Françoise Ouédraogo-Kaboré",
        organisation="Association intercommunale pour la gestion intégrée des ressources en eau",
        job_title="Coordinatrice des programmes d'accompagnement des collectivités",
        bio="Une bio **assez longue** avec un lien https://exemple-d-adresse-tres-longue.example/chemin/vers/une/page",
    )
    person.themes.set(themes)
    page.set_viewport_size({"width": 360, "height": 740})

    visit(page, "/")
    assert_no_horizontal_scroll(page)
    screenshot(page, "narrow-01-home-anonymous")

    visit(page, "/accounts/signup/")
    assert_no_horizontal_scroll(page)
    screenshot(page, "narrow-02-signup")

    log_in(page, person.email, PASSWORD)
    assert_no_horizontal_scroll(page)
    screenshot(page, "narrow-03-home-signed-in")

    visit(page, person.get_absolute_url())
    assert_no_horizontal_scroll(page)
    screenshot(page, "narrow-04-profile")

    visit(page, "/accounts/profile/")
    assert_no_horizontal_scroll(page)
    screenshot(page, "narrow-05-profile-form")
