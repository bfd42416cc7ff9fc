import pytest

from cercles.accounts.services import create_api_token


def token_for(user, scope="write", lifetime_days=30):
    _token, raw = create_api_token(user, name="Tests", scope=scope, lifetime_days=lifetime_days)
    return raw


def auth(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def api_get(client):
    def get(url, raw=None, **headers):
        return client.get(url, **(auth(raw) if raw else {}), **headers)

    return get


@pytest.fixture
def api_post(client):
    def post(url, data=None, raw=None, **headers):
        return client.post(
            url,
            data=data or {},
            content_type="application/json",
            **(auth(raw) if raw else {}),
            **headers,
        )

    return post
