"""Found when Cercles was tried from outside (issue 19): each finding and the test that closes it.

The text filter of the catalogue has its own file (test_text_filters.py).
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from cercles.accounts.models import User
from cercles.accounts.tests.factories import PASSWORD, UserFactory
from cercles.communities.tests.test_views_framing import framing_data
from config.startup import secret_key_problem

BASE_DIR = Path(__file__).resolve().parents[4]
HUGE = str(2**70)
JUST_BEYOND = str(2**63)


def logged_in(client):
    return client.session.get("_auth_user_id")


def log_in(client, email, password, source="198.51.100.7", next_url=""):
    data = {"login": email, "password": password}
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, data, REMOTE_ADDR=source)


# --- /admin/login/ goes through the site's log-in (rate limits, second factor) ----------------


@pytest.mark.django_db
class TestAdminLogin:
    def test_visitors_are_sent_to_the_sites_login(self, client):
        response = client.get("/admin/login/?next=/admin/accounts/user/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Faccounts%2Fuser%2F"

    def test_posting_passwords_to_it_logs_no_one_in(self, client):
        admin = UserFactory(is_staff=True, is_superuser=True)
        response = client.post("/admin/login/", {"username": admin.email, "password": PASSWORD})
        assert response.status_code == 302
        assert logged_in(client) is None

    def test_an_outside_next_is_ignored(self, client):
        response = client.get("/admin/login/?next=https://evil.example/")
        assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"

    def test_25_wrong_passwords_then_the_right_one_is_refused(self, client):
        admin = UserFactory(is_staff=True, is_superuser=True)
        for _ in range(25):
            log_in(client, admin.email, "not-the-password", next_url="/admin/")
        response = log_in(client, admin.email, PASSWORD, next_url="/admin/")
        assert logged_in(client) is None
        assert response.status_code in (200, 429)

    def test_staff_reach_the_admin_through_the_sites_login(self, client):
        admin = UserFactory(is_staff=True, is_superuser=True)
        response = log_in(client, admin.email, PASSWORD, next_url="/admin/")
        assert response["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200
        assert client.get("/admin/login/")["Location"] == "/admin/"

    def test_signed_in_members_are_refused_not_looped(self, member_client):
        assert member_client.get("/admin/login/?next=/admin/").status_code == 403


# --- No lock-out by address alone ---------------------------------------------------------------


@pytest.mark.django_db
class TestLockOut:
    def test_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(self, client, member):
        for _ in range(6):
            log_in(client, member.email, "guess", source="203.0.113.66")
        log_in(client, member.email, PASSWORD, source="203.0.113.66")
        assert logged_in(client) is None  # the guessing source is stopped
        log_in(client, member.email, PASSWORD, source="192.0.2.10")
        assert logged_in(client) == str(member.pk)  # the owner, from their connection

    def test_guessing_from_many_sources_meets_a_ceiling_that_a_reset_lifts(self, client, member):
        for source in range(10):
            for _ in range(5):
                log_in(client, member.email, "guess", source=f"203.0.113.{source}")
        log_in(client, member.email, PASSWORD, source="192.0.2.10")
        assert logged_in(client) is None
        # The owner resets their password through the emailed link, then gets in.
        client.post(reverse("account_reset_password"), {"email": member.email})
        link = re.search(
            r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body
        )
        page = client.get(link.group(1), follow=True)
        new_password = "la-pirogue-traverse-le-fleuve"
        client.post(
            page.redirect_chain[-1][0] if page.redirect_chain else link.group(1),
            {"password1": new_password, "password2": new_password},
            REMOTE_ADDR="192.0.2.10",
        )
        client.logout()
        log_in(client, member.email, new_password, source="192.0.2.10")
        assert logged_in(client) == str(member.pk)


# --- Sign-up and reset tell nothing about who has an account ------------------------------------


@pytest.mark.django_db
class TestEnumeration:
    def signup(self, client, email):
        password = "la-pirogue-traverse-le-fleuve"
        return client.post(
            reverse("account_signup"),
            {"display_name": "Awa", "email": email, "password1": password, "password2": password},
        )

    def test_signup_answers_the_same_and_the_email_tells_the_owner(self, client, member):
        taken = self.signup(client, member.email.upper())
        client.cookies.clear()
        new = self.signup(client, "someone.new@example.org")
        assert taken.status_code == new.status_code == 302
        assert taken["Location"] == new["Location"]
        assert User.objects.filter(email__iexact=member.email).count() == 1
        owner_mail = [
            m for m in mail.outbox if m.to == [member.email.upper()] or m.to == [member.email]
        ]
        assert len(owner_mail) == 1

    def test_reset_answers_the_same_for_known_and_unknown_addresses(self, client, member):
        known = client.post(reverse("account_reset_password"), {"email": member.email})
        unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
        assert known.status_code == unknown.status_code == 302
        assert known["Location"] == unknown["Location"]


# --- Guessable passwords ------------------------------------------------------------------------


@pytest.mark.django_db
class TestGuessablePasswords:
    @pytest.mark.parametrize(
        "password",
        ["Cercles2026", "cercles-2026!", "C3rcl3s#2026", "Azerty123!", "P@ssw0rd2026",
         "Motdepasse2026", "Soleil-2026"],
    )  # fmt: skip
    def test_refused(self, password):
        with pytest.raises(ValidationError):
            validate_password(password, UserFactory.build(display_name="Awa Cissé"))

    @pytest.mark.parametrize("password", ["AwaCisse2026!", "awa.cisse.1990", "Cisse-Awa-26"])
    def test_built_on_the_persons_name_or_address_refused(self, password):
        person = UserFactory.build(display_name="Awa Cissé", email="awa.cisse@example.org")
        with pytest.raises(ValidationError) as refused:
            validate_password(password, person)
        assert "password_guessable_personal" in [e.code for e in refused.value.error_list]

    @pytest.mark.parametrize(
        "password",
        ["des-cercles-et-des-ponts-2026", "Riviere-Niger-2024!", "la-pirogue-traverse-le-fleuve",
         "q7#Lr9!vW2pZ"],
    )  # fmt: skip
    def test_accepted(self, password):
        validate_password(password, UserFactory.build(display_name="Awa Cissé"))

    def test_the_signup_form_explains_next_to_the_field(self, client):
        response = client.post(
            reverse("account_signup"),
            {"display_name": "Awa", "email": "awa@example.org", "password1": "Cercles2026",
             "password2": "Cercles2026"},
        )  # fmt: skip
        assert response.status_code == 200
        assert "nom du site" in response.content.decode()
        assert not User.objects.filter(email="awa@example.org").exists()


# --- No start with DEBUG off on a weak SECRET_KEY -----------------------------------------------


def start_wsgi(**variables):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.pop("DATABASE_URL", None)
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_proper_key():
    refused = start_wsgi(DEBUG="false")
    assert refused.returncode != 0
    assert "SECRET_KEY is the development key" in refused.stderr
    assert start_wsgi(DEBUG="false", SECRET_KEY=secrets.token_urlsafe(64)).returncode == 0
    assert start_wsgi(DEBUG="true").returncode == 0  # development may use its key


@pytest.mark.parametrize(
    "key, fine",
    [("", False), ("django-insecure-" + "x" * 60, False), ("short", False), ("a" * 60, False),
     ("7Hq2-pX9vR_mK4wZ8tL1nB6yC3jF0dS5gA-eU" * 2, True)],
)  # fmt: skip
def test_secret_key_rules(key, fine):
    assert (secret_key_problem(key) == "") is fine


# --- Ids beyond 64 bits are a form error, never a 500 -------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("value", [HUGE, JUST_BEYOND, "-" + HUGE])
def test_profile_themes_beyond_64_bits(member_client, value):
    from cercles.accounts.tests.test_views import profile_data

    response = member_client.post("/accounts/profile/", profile_data(themes=[value]))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["themes", "territories"])
def test_framing_choices_beyond_64_bits(client, field):
    from cercles.communities.lifecycle import State
    from cercles.communities.tests.factories import CommunityFactory

    community = CommunityFactory(state=State.DRAFT)
    client.force_login(community.lead)
    url = reverse("communities:framing", args=[community.slug])
    response = client.post(url, framing_data(community, **{field: [HUGE]}))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


@pytest.mark.django_db
def test_in_lookup_beyond_64_bits_matches_nothing(member):
    assert list(User.objects.filter(pk__in=[int(HUGE), member.pk])) == [member]
    assert not User.objects.filter(pk__in=[int(HUGE)]).exists()


# --- Signed-in pages are never kept by shared caches -------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/calendar/", "/notifications/", "/accounts/profile/", "/"])
def test_signed_in_pages_are_private(member_client, url):
    response = member_client.get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    # Kept by the person's own browser only, and shown again only once the server confirmed it.
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_public_pages_for_visitors_say_nothing_private(client):
    response = client.get("/")
    assert "private" not in response.get("Cache-Control", "")
