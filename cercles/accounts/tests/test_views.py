import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from cercles.accounts.models import User
from cercles.core.models import AuditEvent
from cercles.taxonomy.models import Skill, Theme

from .factories import PASSWORD, CoordinatorFactory, UserFactory

STRONG_PASSWORD = "des-cercles-et-des-ponts-2026"


def field_errors(response, name):
    """The error text shown next to a form field, or "" when the field has none."""
    html = response.content.decode()
    match = re.search(rf'<small id="id_{name}_errors"[^>]*>(.*?)</small>', html, re.S)
    return re.sub(r"<[^>]+>", " ", match.group(1)).strip() if match else ""


def message_texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def assert_redirects_to_login(response, path):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert f"next={path}" in response["Location"].replace("%2F", "/")


def png_bytes(size=(400, 300), color=(30, 120, 200)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


# --- Sign-up, confirmation, log in and out, password reset ---------------------------------------


def signup(client, **changes):
    data = {
        "display_name": "Awa Cissé",
        "email": "awa.cisse@example.org",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
        **changes,
    }
    return client.post(reverse("account_signup"), data)


def confirmation_path(message):
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", message.body).group(1)


@pytest.mark.django_db
class TestSignup:
    def test_signup_page_shows_the_fields(self, client):
        response = client.get(reverse("account_signup"))
        assert response.status_code == 200
        for name in ("display_name", "email", "password1", "password2"):
            assert f'name="{name}"' in response.content.decode()

    def test_signup_sends_a_confirmation_email_and_does_not_log_in(self, client):
        response = signup(client)
        assert response.status_code == 302
        assert response["Location"] == reverse("account_email_verification_sent")
        user = User.objects.get(email="awa.cisse@example.org")
        assert user.display_name == "Awa Cissé"
        assert user.language == "fr"
        assert not EmailAddress.objects.get(user=user).verified
        assert logged_in_user_id(client) is None
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["awa.cisse@example.org"]
        assert message.subject.startswith("[Cercles] ")
        assert "/accounts/confirm-email/" in message.body
        # allauth's templates name the site: an empty name would leave "c'est  !" in the email.
        assert "  !" not in message.body

    def test_signup_in_english_remembers_the_language(self, client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        signup(client)
        assert User.objects.get(email="awa.cisse@example.org").language == "en"
        assert "Confirm" in mail.outbox[0].subject
        assert mail.outbox[0].body.startswith("Hello,")
        assert "testserver!" not in mail.outbox[0].body  # the network speaks, not the server

    def test_unconfirmed_person_cannot_log_in(self, client):
        signup(client)
        client.cookies.clear()
        client.session.flush()
        response = client.post(
            reverse("account_login"),
            {"login": "awa.cisse@example.org", "password": STRONG_PASSWORD},
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("account_email_verification_sent")
        assert logged_in_user_id(client) is None
        assert client.get(reverse("people:directory")).status_code == 302

    def test_confirming_through_the_emailed_link_logs_in(self, client):
        signup(client)
        path = confirmation_path(mail.outbox[0])
        page = client.get(path)
        assert page.status_code == 200
        assert logged_in_user_id(client) is None  # confirming needs a POST, not a mere GET
        response = client.post(path)
        assert response.status_code == 302
        user = User.objects.get(email="awa.cisse@example.org")
        assert EmailAddress.objects.get(user=user).verified
        assert logged_in_user_id(client) == str(user.pk)
        assert client.get(reverse("people:directory")).status_code == 200

    def test_email_already_used_answers_as_any_signup_and_tells_the_owner(self, client, member):
        # Enumeration-safe (issue 19): the page says nothing, the email tells the owner.
        response = signup(client, email=member.email.upper())
        assert response.status_code == 302
        assert response["Location"] == reverse("account_email_verification_sent")
        assert User.objects.count() == 1
        assert len(mail.outbox) == 1

    def test_weak_password_is_refused_next_to_the_field(self, client):
        response = signup(client, password1="123456", password2="123456")
        assert response.status_code == 200
        errors = field_errors(response, "password1")
        assert "courant" in errors or "court" in errors
        assert not field_errors(response, "email")
        assert 'value="awa.cisse@example.org"' in response.content.decode()
        assert not User.objects.exists()
        assert mail.outbox == []

    def test_weak_password_error_in_english(self, client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = signup(client, password1="123456", password2="123456")
        assert "too common" in field_errors(response, "password1")
        assert '<html lang="en">' in response.content.decode()

    def test_display_name_is_required(self, client):
        response = signup(client, display_name="")
        assert field_errors(response, "display_name")
        assert not User.objects.exists()


@pytest.mark.django_db
class TestLogin:
    def test_login_by_email(self, client, member):
        response = client.post(
            reverse("account_login"), {"login": member.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        assert logged_in_user_id(client) == str(member.pk)

    def test_wrong_password_is_refused(self, client, member):
        response = client.post(
            reverse("account_login"), {"login": member.email, "password": "pas-le-bon"}
        )
        assert response.status_code == 200
        assert logged_in_user_id(client) is None

    def test_logout_by_post(self, member_client):
        assert member_client.get(reverse("account_logout")).status_code == 200
        assert logged_in_user_id(member_client) is not None  # a GET only asks for confirmation
        response = member_client.post(reverse("account_logout"))
        assert response.status_code == 302
        assert logged_in_user_id(member_client) is None

    def test_password_reset_sends_an_email(self, client, member):
        response = client.post(reverse("account_reset_password"), {"email": member.email})
        assert response.status_code == 302
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == [member.email]
        assert "/accounts/password/reset/key/" in mail.outbox[0].body


# --- Profile -----------------------------------------------------------------------------------


def profile_data(**changes):
    data = {
        "display_name": "Mamadou Sow",
        "organisation": "Réseau Eau Vive Sahel",
        "job_title": "Animateur de réseau",
        "country": "SN",
        "region": "Thiès",
        "themes": [str(Theme.objects.get(sdg_number=6).pk)],
        "skills_text": "Gestion de l'eau, Facilitation",
        "spoken_languages": ["fr", "wo"],
        "bio": "Je travaille sur les **forages**.",
        "looking_for": "Des retours d'expérience.",
        "language": "fr",
        "timezone": "Africa/Dakar",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
class TestProfileEdit:
    url = "/accounts/profile/"

    def test_anonymous_is_sent_to_login(self, client):
        assert_redirects_to_login(client.get(self.url), self.url)

    def test_form_shows_current_values(self, member_client, member):
        response = member_client.get(self.url)
        assert response.status_code == 200
        assert f'value="{member.display_name}"' in response.content.decode()

    def test_saves(self, member_client, member):
        response = member_client.post(self.url, profile_data())
        assert response.status_code == 302
        assert response["Location"] == member.get_absolute_url()
        member.refresh_from_db()
        assert member.display_name == "Mamadou Sow"
        assert member.region == "Thiès"
        assert member.timezone == "Africa/Dakar"
        assert member.spoken_languages == ["fr", "wo"]
        assert [t.sdg_number for t in member.themes.all()] == [6]
        assert sorted(s.name for s in member.skills.all()) == ["Facilitation", "Gestion de l'eau"]
        assert AuditEvent.objects.filter(action="profile.updated").count() == 1

    def test_missing_name_is_an_error(self, member_client, member):
        before = member.display_name
        response = member_client.post(self.url, profile_data(display_name=""))
        assert response.status_code == 200
        assert field_errors(response, "display_name")
        member.refresh_from_db()
        assert member.display_name == before

    def test_file_that_is_not_an_image_is_refused(self, member_client, member):
        before = member.display_name
        upload = SimpleUploadedFile("avatar.png", b"%PDF-1.4 not a picture", "image/png")
        response = member_client.post(self.url, {**profile_data(), "avatar_upload": upload})
        assert response.status_code == 200
        assert "image" in field_errors(response, "avatar_upload")
        member.refresh_from_db()
        assert member.display_name == before
        assert not member.avatar
        assert not Skill.objects.exists()

    def test_too_large_image_is_refused(self, member_client, member):
        payload = b"\x89PNG\r\n\x1a\n" + b"\0" * (20 * 1024 * 1024)
        upload = SimpleUploadedFile("big.png", payload, "image/png")
        response = member_client.post(self.url, {**profile_data(), "avatar_upload": upload})
        assert response.status_code == 200
        errors = field_errors(response, "avatar_upload")
        assert "limite" in errors
        assert "2,0" in errors
        member.refresh_from_db()
        assert not member.avatar

    def test_image_is_reencoded_and_served_to_members_only(self, member_client, member, client):
        upload = SimpleUploadedFile("portrait.png", png_bytes(), "image/png")
        response = member_client.post(self.url, {**profile_data(), "avatar_upload": upload})
        assert response.status_code == 302
        member.refresh_from_db()
        assert member.avatar.name.endswith(".jpg")
        with member.avatar.open("rb") as stored, Image.open(stored) as image:
            assert image.format == "JPEG"
            assert image.size == (256, 256)

        avatar_url = f"/people/{member.username}/avatar"
        served = member_client.get(avatar_url)
        assert served.status_code == 200
        assert served["Content-Type"] == "image/jpeg"
        assert "private" in served["Cache-Control"]
        with Image.open(io.BytesIO(served.content)) as image:
            assert image.size == (256, 256)

        profile_page = member_client.get(member.get_absolute_url()).content.decode()
        assert member.avatar_url in profile_page.replace("&amp;", "&")

        member_client.logout()
        assert_redirects_to_login(member_client.get(avatar_url), avatar_url)

    def test_avatar_of_someone_without_one_is_404(self, member_client, other_member):
        assert member_client.get(f"/people/{other_member.username}/avatar").status_code == 404

    def test_markdown_bio_is_stored_but_rendered_inert(self, member_client, member):
        bio = "<script>alert(1)</script> et [x](javascript:alert(1))"
        member_client.post(self.url, profile_data(bio=bio))
        member.refresh_from_db()
        assert member.bio == bio
        html = member_client.get(member.get_absolute_url()).content.decode()
        assert "<script>alert" not in html
        assert 'href="javascript' not in html.lower()
        assert "&lt;script&gt;" in html

    def test_language_preference_changes_the_interface(self, member_client, member):
        member_client.post(self.url, profile_data(language="en"))
        response = member_client.get(member.get_absolute_url())
        assert '<html lang="en">' in response.content.decode()


# --- Directory and profiles --------------------------------------------------------------------


def names_on(response):
    return {person.display_name for person in response.context["page"]}


@pytest.mark.django_db
class TestDirectory:
    def test_anonymous_is_sent_to_login(self, client, member):
        assert_redirects_to_login(client.get("/people/"), "/people/")
        path = f"/people/{member.username}/"
        assert_redirects_to_login(client.get(path), path)

    def test_members_see_the_directory_and_profiles(self, member_client, other_member):
        response = member_client.get("/people/")
        assert response.status_code == 200
        assert other_member.display_name in names_on(response)
        profile = member_client.get(f"/people/{other_member.username}/")
        assert profile.status_code == 200
        assert other_member.display_name in profile.content.decode()

    def test_inactive_people_and_unknown_usernames_are_404(self, member_client):
        gone = UserFactory(is_active=False)
        assert gone.display_name not in names_on(member_client.get("/people/"))
        assert member_client.get(f"/people/{gone.username}/").status_code == 404
        assert member_client.get("/people/nobody-here/").status_code == 404

    def test_filters(self, member_client, member):
        water = Theme.objects.get(sdg_number=6)
        hydro = UserFactory(display_name="Fatou Fall", country="SN", organisation="Eau Vive")
        hydro.themes.add(water)
        hydro.skills.add(Skill.objects.create(name="Cartographie", slug="cartographie"))
        quebec = UserFactory(display_name="Geneviève Tremblay", country="CA", organisation="Cités")
        member.country = "BF"
        member.save()

        assert names_on(member_client.get("/people/", {"q": "fatou"})) == {"Fatou Fall"}
        assert names_on(member_client.get("/people/", {"q": "cartographie"})) == {"Fatou Fall"}
        assert names_on(member_client.get("/people/", {"theme": water.slug})) == {"Fatou Fall"}
        assert names_on(member_client.get("/people/", {"country": "CA"})) == {quebec.display_name}
        assert names_on(member_client.get("/people/", {"country": "SN", "q": "cités"})) == set()
        everyone = names_on(member_client.get("/people/"))
        assert {"Fatou Fall", "Geneviève Tremblay", member.display_name} <= everyone

    def test_invalid_filter_shows_everyone(self, member_client, other_member):
        response = member_client.get("/people/", {"theme": "no-such-theme"})
        assert response.status_code == 200
        assert other_member.display_name in names_on(response)

    def test_pagination_keeps_filters(self, member_client):
        UserFactory.create_batch(30, country="MG")
        first = member_client.get("/people/", {"country": "MG"})
        assert len(first.context["page"]) == 24
        assert first.context["page"].paginator.count == 30
        assert "country=MG" in first.content.decode() and "page=2" in first.content.decode()
        second = member_client.get("/people/", {"country": "MG", "page": 2})
        assert len(second.context["page"]) == 6
        assert names_on(first).isdisjoint(names_on(second))

    def test_directory_size_is_counted_once_and_recounted_when_people_change(self, member_client):
        UserFactory.create_batch(3)
        size = member_client.get("/people/").context["page"].paginator.count
        with CaptureQueriesContext(connection) as again:
            assert member_client.get("/people/?page=1").context["page"].paginator.count == size
        counts = [q["sql"] for q in again.captured_queries if q["sql"].startswith("SELECT COUNT")]
        assert not any('FROM "accounts_user"' in sql for sql in counts)
        newcomer = UserFactory()
        assert member_client.get("/people/").context["page"].paginator.count == size + 1
        newcomer.is_active = False
        newcomer.save()
        assert member_client.get("/people/").context["page"].paginator.count == size

    def test_queries_do_not_grow_with_people(self, member_client, django_assert_max_num_queries):
        themes = list(Theme.objects.all()[:3])

        def add_people(count):
            for person in UserFactory.create_batch(count):
                person.themes.set(themes)

        add_people(5)
        with CaptureQueriesContext(connection) as few:
            assert member_client.get("/people/").status_code == 200
        add_people(55)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = member_client.get("/people/")
        assert len(response.context["page"]) == 24


# --- Coordinators and themes -------------------------------------------------------------------


@pytest.mark.django_db
class TestCoordinators:
    url = "/coordination/coordinators/"

    def role_url(self, person):
        return f"/coordination/coordinators/{person.username}/role"

    def test_members_are_refused(self, member_client, other_member, coordinator):
        assert member_client.get(self.url).status_code == 404
        assert member_client.post(self.url, {"email": other_member.email}).status_code == 404
        assert (
            member_client.post(self.role_url(other_member), {"role": "coordinator"}).status_code
            == 404
        )
        CoordinatorFactory()
        assert member_client.post(self.role_url(coordinator), {"role": "member"}).status_code == 404
        other_member.refresh_from_db()
        coordinator.refresh_from_db()
        assert not other_member.is_coordinator
        assert coordinator.is_coordinator

    def test_anonymous_is_sent_to_login(self, client, member):
        assert_redirects_to_login(client.get(self.url), self.url)
        assert client.post(self.role_url(member), {"role": "coordinator"}).status_code == 302
        member.refresh_from_db()
        assert not member.is_coordinator

    def test_coordinators_are_listed(self, coordinator_client, coordinator, member):
        response = coordinator_client.get(self.url)
        assert response.status_code == 200
        assert list(response.context["coordinators"]) == [coordinator]

    def test_grant_by_email(self, coordinator_client, member):
        response = coordinator_client.post(self.url, {"email": member.email.upper()}, follow=True)
        member.refresh_from_db()
        assert member.is_coordinator
        assert response.redirect_chain[-1][0] == self.url
        assert f"{member.name} fait maintenant partie de la coordination." in message_texts(
            response
        )

    def test_unknown_email_is_a_field_error(self, coordinator_client):
        response = coordinator_client.post(self.url, {"email": "personne@example.org"})
        assert response.status_code == 200
        assert "Aucun membre" in field_errors(response, "email")
        assert 'value="personne@example.org"' in response.content.decode()

    def test_unknown_email_in_english(self, coordinator_client, coordinator):
        coordinator.language = "en"
        coordinator.save()
        response = coordinator_client.post(self.url, {"email": "nobody@example.org"})
        assert "No member of the network has this email address." in field_errors(response, "email")

    def test_already_coordinator_is_a_field_error(self, coordinator_client):
        other = CoordinatorFactory()
        response = coordinator_client.post(self.url, {"email": other.email})
        assert response.status_code == 200
        assert "déjà" in field_errors(response, "email")

    def test_grant_and_revoke_through_the_role_endpoint(self, coordinator_client, member):
        response = coordinator_client.post(self.role_url(member), {"role": "coordinator"})
        assert response.status_code == 302
        member.refresh_from_db()
        assert member.is_coordinator
        response = coordinator_client.post(
            self.role_url(member), {"role": "member", "next": "profile"}
        )
        assert response["Location"] == member.get_absolute_url()
        member.refresh_from_db()
        assert not member.is_coordinator
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert actions == {"role.coordinator_granted", "role.coordinator_revoked"}

    def test_role_endpoint_needs_post(self, coordinator_client, member):
        response = coordinator_client.get(self.role_url(member))
        assert response.status_code == 302 and response.url == "/coordination/coordinators/"

    def test_last_coordinator_cannot_be_removed(self, coordinator_client, coordinator):
        response = coordinator_client.post(
            self.role_url(coordinator), {"role": "member"}, follow=True
        )
        assert response.status_code == 200
        coordinator.refresh_from_db()
        assert coordinator.is_coordinator
        expected = "Le réseau a besoin d’au moins un coordinateur ou une coordinatrice."
        assert expected in message_texts(response)
        assert expected in response.content.decode()


@pytest.mark.django_db
class TestThemes:
    url = "/coordination/themes/"

    def test_members_find_nothing_there(self, member_client):
        # Every /coordination/ address is 404 to members (issue 14).
        assert member_client.get(self.url).status_code == 404
        assert member_client.post(self.url, {"name_fr": "X", "name_en": "X"}).status_code == 404
        assert member_client.get(f"{self.url}odd-1/").status_code == 404

    def test_coordinators_see_every_theme(self, coordinator_client):
        response = coordinator_client.get(self.url)
        assert response.status_code == 200
        assert len(response.context["themes"]) == Theme.objects.count() >= 17

    def test_add_a_theme(self, coordinator_client, coordinator):
        response = coordinator_client.post(
            self.url,
            {"name_fr": "Jeunesse et engagement", "name_en": "Youth", "position": 60,
             "is_active": "on"},
        )  # fmt: skip
        assert response.status_code == 302
        theme = Theme.objects.get(slug="jeunesse-et-engagement")
        assert theme.name_en == "Youth"
        assert theme.is_active
        assert AuditEvent.objects.get(action="theme.created").actor == coordinator

    @pytest.mark.parametrize("name", ["Jeunesse", "JEUNESSE", "Pas de pauvreté", "pas de pauvreté"])
    def test_duplicate_name_is_a_field_error(self, coordinator_client, name):
        Theme.objects.create(slug="jeunesse", name_fr="Jeunesse", name_en="Youth")
        count = Theme.objects.count()
        response = coordinator_client.post(
            self.url, {"name_fr": name, "name_en": "Other", "position": 60}
        )
        assert response.status_code == 200
        assert "déjà" in field_errors(response, "name_fr")
        assert Theme.objects.count() == count

    def test_edit_a_theme(self, coordinator_client):
        theme = Theme.objects.get(sdg_number=6)
        response = coordinator_client.get(f"{self.url}{theme.slug}/")
        assert response.status_code == 200
        response = coordinator_client.post(
            f"{self.url}{theme.slug}/",
            {"name_fr": "Eau et assainissement", "name_en": "Water", "position": 6},
        )
        assert response.status_code == 302
        theme.refresh_from_db()
        assert (theme.name_fr, theme.name_en, theme.is_active) == (
            "Eau et assainissement", "Water", False,
        )  # fmt: skip
        assert theme.slug == "odd-6"
        assert AuditEvent.objects.filter(action="theme.updated").count() == 1

    def test_renaming_onto_another_theme_is_refused(self, coordinator_client):
        response = coordinator_client.post(
            f"{self.url}odd-6/", {"name_fr": "Pas de pauvreté", "name_en": "Water", "position": 6}
        )
        assert response.status_code == 200
        assert field_errors(response, "name_fr")
        assert Theme.objects.get(slug="odd-6").name_fr == "Eau propre et assainissement"

    def test_unknown_theme_is_404(self, coordinator_client):
        assert coordinator_client.get(f"{self.url}no-such-theme/").status_code == 404


# --- Language ------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestLanguageSwitcher:
    def test_anonymous_gets_a_cookie(self, client):
        response = client.post("/language/", {"language": "en", "next": "/"})
        assert response.status_code == 302
        assert response["Location"] == "/"
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
        assert '<html lang="en">' in client.get("/").content.decode()

    def test_default_is_french(self, client):
        assert '<html lang="fr">' in client.get("/").content.decode()

    def test_signed_in_preference_is_saved_and_followed_without_the_cookie(
        self, member_client, member
    ):
        member_client.post("/language/", {"language": "en", "next": "/people/"})
        member.refresh_from_db()
        assert member.language == "en"
        del member_client.cookies[settings.LANGUAGE_COOKIE_NAME]
        response = member_client.get("/people/")
        assert '<html lang="en">' in response.content.decode()

    def test_saved_preference_wins_over_the_browser(self, member_client, member):
        member.language = "en"
        member.save()
        response = member_client.get("/people/", HTTP_ACCEPT_LANGUAGE="fr")
        assert '<html lang="en">' in response.content.decode()

    @pytest.mark.parametrize(
        "next_url", ["https://evil.example/", "//evil.example/", "http://testserver.evil/"]
    )
    def test_next_on_another_host_is_ignored(self, client, next_url):
        response = client.post("/language/", {"language": "en", "next": next_url})
        assert response["Location"] == "/"

    def test_unknown_language_is_ignored(self, member_client, member):
        response = member_client.post("/language/", {"language": "de", "next": "/"})
        assert response.status_code == 302
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
        member.refresh_from_db()
        assert member.language == "fr"

    def test_get_goes_home(self, client):
        response = client.get("/language/")
        assert response.status_code == 302 and response.url == "/"


# --- Error pages -------------------------------------------------------------------------------


@pytest.mark.django_db
class TestErrorPages:
    def test_404_explains_in_french(self, client):
        response = client.get("/nulle-part/")
        assert response.status_code == 404
        html = response.content.decode()
        assert '<html lang="fr">' in html
        assert "Page introuvable" in html
        assert "Cette page n’existe pas" in html
        assert "This page does not exist" not in html

    def test_404_in_english_for_an_english_cookie(self, client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get("/nowhere/")
        assert response.status_code == 404
        html = response.content.decode()
        assert '<html lang="en">' in html
        assert "This page does not exist" in html

    def test_404_in_the_language_of_a_signed_in_person(self, member_client, member):
        member.language = "en"
        member.save()
        response = member_client.get("/people/nobody-here/")
        assert response.status_code == 404
        assert "This page does not exist" in response.content.decode()

    def test_403_explains_in_english(self, member_client, member):
        member.language = "en"
        member.save()
        from cercles.communities.tests.factories import CommunityFactory

        response = member_client.get(f"/communities/{CommunityFactory().slug}/framing/")
        assert response.status_code == 403
        assert "You do not have the rights needed for this action" in response.content.decode()


def test_the_profile_offers_the_zones_of_ones_country_first(client, db):
    person = UserFactory(country="ML", timezone="Africa/Asmera")
    client.force_login(person)
    html = client.get(reverse("profile_edit")).content.decode()
    select = html.split('name="timezone"')[1].split("</select>")[0]
    # The obsolete zone the person had stays shown; then Mali's zones, then the regions.
    assert select.index('value="Africa/Asmera" selected') < select.index('<optgroup label="Mali">')
    assert select.index('<optgroup label="Mali">') < select.index('<optgroup label="Afrique">')
    assert "Bamako (UTC+0)" in select
    assert 'value="CST6CDT"' not in select and 'value="Etc/GMT+3"' not in select


def test_ones_own_profile_has_an_edit_link_at_the_top_and_no_one_elses(client, db):
    person, other = UserFactory(), UserFactory()
    client.force_login(person)
    own = client.get(person.get_absolute_url()).content.decode()
    edit = f'href="{reverse("profile_edit")}" class="profile-edit-link"'
    assert edit in own
    assert own.index(edit) < own.index("</header>", own.index("person-card"))
    assert edit not in client.get(other.get_absolute_url()).content.decode()


def test_account_emails_speak_in_cercles_voice_with_the_networks_name(client, db, settings):
    settings.NETWORK_NAME = "Réseau Sahel Eau"
    settings.SITE_URL = "https://cercles.example.org"
    mail.outbox.clear()
    client.post(
        reverse("account_signup"),
        {
            "display_name": "Awa",
            "email": "awa.voice@example.org",
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
        },
    )
    message = next(m for m in mail.outbox if m.to == ["awa.voice@example.org"])
    assert "Confirmez votre adresse" in message.subject
    assert message.body.startswith("Bonjour,")
    assert "Réseau Sahel Eau" in message.body
    assert "https://cercles.example.org" in message.body
    # The password reset speaks the same way.
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": "awa.voice@example.org"})
    reset = next(m for m in mail.outbox if m.to == ["awa.voice@example.org"])
    assert "Choisissez un nouveau mot de passe" in reset.subject
    assert "Réseau Sahel Eau" in reset.body
