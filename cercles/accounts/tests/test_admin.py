import pytest

from cercles.accounts.tests.factories import PASSWORD, UserFactory


@pytest.mark.django_db
def test_administrators_log_in_to_the_django_admin_by_email_in_french(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": admin.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    page = client.get("/admin/").content.decode()
    assert 'lang="fr"' in page
    assert "Site d’administration" in page


@pytest.mark.django_db
def test_members_cannot_enter_the_admin(client, member):
    client.force_login(member)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
