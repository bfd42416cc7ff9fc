import pytest

from cercles.core import health


@pytest.mark.django_db
def test_healthz_reports_every_service(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "services": {"database": "ok", "cache": "ok", "job_queue": "ok"},
    }


@pytest.mark.django_db
def test_healthz_answers_503_when_a_service_is_down(client, monkeypatch):
    def broken():
        raise ConnectionError("down")

    monkeypatch.setitem(health.CHECKS, "job_queue", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["services"]["job_queue"] == "error: ConnectionError"
    assert response.json()["services"]["database"] == "ok"
