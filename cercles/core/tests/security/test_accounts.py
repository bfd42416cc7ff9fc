"""Accounts (issue 19, deliverable 3): two factors, sessions, fixation.

Enumeration safety and the log-in limits are in test_found_from_outside.py; the other rate
limits in test_rate_limits.py.
"""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
)
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings

from cercles.accounts.tests.factories import PASSWORD, CoordinatorFactory, UserFactory

REQUIRED = override_settings(MFA_REQUIRED_FOR_COORDINATORS=True)


def current_code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(client, person, password=PASSWORD):
    return client.post("/accounts/login/", {"login": person.email, "password": password})


def activate_totp(client):
    # Setting up a second factor asks for the password again (allauth's reauthentication).
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302, response.content.decode()[-2000:]
    return secret


@pytest.mark.django_db
def test_everyone_is_offered_two_factors(client, member):
    log_in(client, member)
    page = client.get("/").content.decode()
    assert 'href="/accounts/2fa/"' in page
    assert client.get("/accounts/2fa/").status_code == 200
    activate_totp(client)
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    assert client.get("/accounts/2fa/recovery-codes/").status_code == 200
    assert Authenticator.objects.filter(
        user=member, type=Authenticator.Type.RECOVERY_CODES
    ).exists()


@pytest.mark.django_db
@REQUIRED
@pytest.mark.parametrize("kind", ["coordinator", "staff"])
def test_coordinators_and_staff_must_set_up_two_factors_first(client, kind):
    person = (
        CoordinatorFactory()
        if kind == "coordinator"
        else UserFactory(is_staff=True, is_superuser=True)
    )
    log_in(client, person)
    for url in ("/", "/review/", "/admin/", "/people/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/api/me").status_code == 403
    activate_totp(client)
    assert client.get("/").status_code == 200
    if kind == "staff":
        assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
@REQUIRED
def test_members_are_not_forced(client, member):
    log_in(client, member)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_log_in_asks_for_the_code_once_set_up(client, member):
    log_in(client, member)
    secret = activate_totp(client)
    client.post("/accounts/logout/")
    response = log_in(client, member)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session  # the password alone does not sign in
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    # A code serves once: forget that the activation used it, as 30 seconds later.
    code = current_code(secret)
    cache.delete(f"allauth.mfa.totp.used?user={member.pk}&code={code}")
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_admin_log_in_asks_for_the_second_factor(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    log_in(client, admin)
    activate_totp(client)
    client.post("/accounts/logout/")
    response = client.get("/admin/login/?next=/admin/")
    response = client.post(response["Location"], {"login": admin.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_password_change_ends_the_other_sessions(member):
    here, elsewhere = Client(), Client()
    log_in(here, member)
    log_in(elsewhere, member)
    assert elsewhere.get("/people/").status_code == 200
    new = "la-pirogue-traverse-le-fleuve"
    response = here.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert here.get("/people/").status_code == 200  # this one stays signed in
    assert elsewhere.get("/people/").status_code == 302  # the other is signed out


@pytest.mark.django_db
def test_log_out_everywhere_else(member):
    here, elsewhere = Client(), Client()
    log_in(here, member)
    log_in(elsewhere, member)
    page = here.get("/accounts/sessions/")
    assert page.status_code == 200
    here.post("/accounts/sessions/")
    assert here.get("/people/").status_code == 200
    assert elsewhere.get("/people/").status_code == 302


@pytest.mark.django_db
def test_session_fixation_impossible(client, member):
    client.get("/accounts/login/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "attacker-chosen-session-key"
    log_in(client, member)
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != "attacker-chosen-session-key"
    before = client.session.session_key
    client.post("/accounts/logout/")
    log_in(client, member)
    assert client.session.session_key != before


@pytest.mark.django_db
def test_sign_in_records_are_personal_data(client, member):
    from allauth.usersessions.models import UserSession

    from cercles.accounts.personal_data import erase_personal_data

    log_in(client, member)
    activate_totp(client)
    assert UserSession.objects.filter(user=member).exists()
    erase_personal_data(member, member)
    assert not UserSession.objects.filter(user=member).exists()
    assert not Authenticator.objects.filter(user=member).exists()
