from cercles.accounts.services import create_api_token


def token_for(user, scope="write", lifetime_days=30):
    _token, raw = create_api_token(user, name="Tests", scope=scope, lifetime_days=lifetime_days)
    return raw


def auth(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
