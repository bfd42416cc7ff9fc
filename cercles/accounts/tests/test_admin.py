import pytest

from cercles.accounts.tests.factories import PASSWORD, UserFactory


@pytest.mark.django_db
def test_administrators_log_in_to_the_django_admin_by_email_in_french(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    # The admin's log-in is the site's (rate-limited, issue 19).
    assert (
        client.get("/admin/login/?next=/admin/")["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    )
    response = client.post(
        "/accounts/login/?next=/admin/", {"login": admin.email, "password": PASSWORD}
    )
    assert response["Location"] == "/admin/"
    page = client.get("/admin/").content.decode()
    assert 'lang="fr"' in page
    assert "Site d’administration" in page


@pytest.mark.django_db
def test_members_cannot_enter_the_admin(client, member):
    client.force_login(member)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
