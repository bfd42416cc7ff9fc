"""Configuration (issue 19, deliverable 7): security headers, error pages, logs.

`check --deploy` on the production settings is tested in core/tests/test_security.py.
"""

import logging

import pytest
from django.conf import settings
from django.test import override_settings

from cercles.accounts.tests.factories import PASSWORD

HTTPS_SETTINGS = {
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_security_headers(client, member, signed_in):
    if signed_in:
        client.force_login(member)
    with override_settings(**HTTPS_SETTINGS):
        response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    csp = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'",
                      "base-uri 'self'", "form-action 'self'"):  # fmt: skip
        assert directive in csp
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy and "microphone=()" in policy and "geolocation=()" in policy


@pytest.mark.django_db
def test_session_cookie_flags_follow_https(client, member):
    with override_settings(**HTTPS_SETTINGS):
        response = client.post(
            "/accounts/login/", {"login": member.email, "password": PASSWORD}, secure=True
        )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="cercles.core.tests.security.urls_failing")
def test_error_page_reveals_nothing(client):
    client.raise_request_exception = False
    response = client.get("/failing/")
    assert response.status_code == 500
    page = response.content.decode()
    for leak in ("s3cr3t", "RuntimeError", "Traceback", "/srv/", "settings.py", "SECRET_KEY",
                 "DATABASE", "File \""):  # fmt: skip
        assert leak not in page
    assert "Something went wrong" in page or "Une erreur" in page or "erreur" in page


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/no-such-page/", "/communities/no-such-community/"])
def test_not_found_page_reveals_nothing(client, url):
    response = client.get(url + "?<script>alert(1)</script>")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    assert "Traceback" not in page and "urlpatterns" not in page and "URLconf" not in page


@pytest.mark.django_db
def test_logs_never_carry_passwords_or_tokens(client, member, caplog):
    token = "ct_" + "x" * 40
    with caplog.at_level(logging.DEBUG):
        client.post("/accounts/login/", {"login": member.email, "password": "Wrong-s3cr3t-pw"})
        client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
        client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}")
        client.get(f"/calendar/{token}.ics")
        client.post("/accounts/password/reset/", {"email": member.email})
    # What the configured handlers write: their filters, then their format.
    handler = next(h for h in logging.getLogger().handlers if h.filters)
    logged = "\n".join(
        handler.format(record) for record in caplog.records if handler.filter(record)
    )
    assert "/calendar/[redacted]" in logged
    for secret in ("Wrong-s3cr3t-pw", PASSWORD, token):
        assert secret not in logged
