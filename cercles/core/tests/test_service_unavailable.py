"""A database that does not answer gets a clear 503 page, in the person's language, with
`Retry-After` and nothing of the error (core/views.server_error)."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

SECRET = "could not connect to server at 10.0.0.7 port 5432 password=s3cr3t"


@login_not_required
def database_away(request):
    raise OperationalError(SECRET)


@login_not_required
def connection_closed(request):
    raise InterfaceError(SECRET)


@login_not_required
def broken(request):
    raise RuntimeError(SECRET)


urlpatterns = [
    *project_urlpatterns,
    path("database-away/", database_away),
    path("connection-closed/", connection_closed),
    path("broken/", broken),
]
handler500 = "cercles.core.views.server_error"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("quiet_request_log"),
    pytest.mark.urls(__name__),
]


@pytest.fixture
def quiet_request_log(caplog):
    caplog.set_level("CRITICAL", logger="django.request")


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("url", ["/database-away/", "/connection-closed/"])
def test_database_away_answers_a_503_page_in_french(client, url):
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-cache" in response["Cache-Control"]
    page = response.content.decode()
    assert "Cercles est momentanément indisponible" in page
    assert "Réessayer" in page
    assert SECRET not in page and "Traceback" not in page and "5432" not in page


def test_database_away_answers_in_english_to_an_english_reader(client):
    response = client.get("/database-away/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    page = response.content.decode()
    assert "Cercles is briefly unavailable" in page
    assert SECRET not in page and "Traceback" not in page


def test_a_post_that_met_the_database_away_offers_the_home_page(client):
    response = client.post("/database-away/")
    assert response.status_code == 503
    assert 'href="/"' in response.content.decode()


def test_any_other_error_is_still_a_500(client):
    response = client.get("/broken/")
    assert response.status_code == 500
    assert SECRET not in response.content.decode()
