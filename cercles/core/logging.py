"""Logs never carry the secrets that travel in URLs (personal calendar feeds, invitations,
unsubscribe links, email confirmation and password reset keys).

Django logs the path of every 4xx and 5xx answer ("Not Found: /calendar/<token>.ics"): whoever
reads the logs could then follow someone's calendar or accept their invitation. The filter,
set on every handler of `settings.LOGGING`, replaces those parts with `[redacted]`.
"""

import logging
import re

SECRET_IN_PATH = re.compile(
    r"(/calendar/|/invitations/|/unsubscribe/|/confirm-email/|/password/reset/key/)"
    r"[^/\s'\"?#.]+"
)
SECRET_IN_QUERY = re.compile(r"((?:token|key|password|code)=)[^&\s'\"]+", re.IGNORECASE)


def redact(text):
    return SECRET_IN_QUERY.sub(r"\1[redacted]", SECRET_IN_PATH.sub(r"\1[redacted]", text))


class RedactSecretsFilter(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
