"""Bad input everywhere (issue 19, deliverable 9): zero 500s.

Generated from the URL resolver: every named route of the project (the same list as
core/tests/test_routes.py) is requested by a person who sees the most (the community's lead,
also a coordinator), with
- its query string fuzzed (the parameters its own GET forms name, plus `page`, `q`, `next`);
- every field of every form on its page posted with bad values, one field at a time, the other
  fields keeping the values the page gave them;
- invalid UTF-8 in the query string and in a posted body.
Bad values: very long strings, control characters, null bytes, huge and negative numbers,
invalid dates, wrong types, unknown choices, markup. Each (field, value) pair is drawn with a
fixed seed (FUZZ_SEED) so that a failure replays: one value of each kind per field.
Any exception or 5xx answer fails, listing the request.
"""

import os
import random
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse

from cercles.accounts.tests.factories import UserFactory
from cercles.communities.models import Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.tests.test_routes import app_route_modules, project_routes
from cercles.taxonomy.models import Theme

FUZZ_SEED = int(os.environ.get("FUZZ_SEED", "19"))

# One value of each kind is drawn for every field.
BAD_VALUES_BY_KIND = {
    "long": ["A" * 20000, "é" * 5000, "\U0001f600" * 3000, "x" * 101, "a " * 4000],
    "control": ["\x00", "abc\x00def", "\x01\x02\x1b[31m\x7f", "\u202e\ufeff\u200b", "\r\n\t"],
    "number": ["-1", "0", "-99999999999999999999999", "99999999999999999999999",
               "9223372036854775808", "1e309", "NaN", "1.5"],
    "date": ["2026-13-45", "0000-00-00", "31/02/2026", "2026-02-30T25:61", "9999-12-31",
             "-2026-01-01"],
    "type": ["[]", '{"a": 1}', "unknown-choice", "<script>alert(1)</script>", "' OR 1=1 --",
             "../../../../etc/passwd", "%s%n%x", "", " ", "true"],
}  # fmt: skip
BAD_VALUES = [value for values in BAD_VALUES_BY_KIND.values() for value in values]
INVALID_UTF8 = b"%FF%FE%C3%28"
QUERY_PARAMETERS = ["page", "q", "next", "sort", "status", "theme", "kind", "before", "after"]


class FormParser(HTMLParser):
    """The forms of a page: method, action and fields with the values the page gave them."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            action = attrs.get("action") or ""
            self.forms.append({"method": method, "action": action, "fields": {}, "files": []})
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind == "file":
                form["files"].append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    form["fields"].setdefault(name, []).append(attrs.get("value", "on"))
                else:
                    form["fields"].setdefault(name, [])
            elif kind not in ("submit", "button", "image", "reset"):
                form["fields"][name] = [attrs.get("value", "")]
        elif tag == "select" and name:
            self._select = name
            form["fields"][name] = []
        elif tag == "option" and self._select and "selected" in attrs:
            form["fields"][self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            form["fields"][name] = [""]

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] = [data]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html):
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def world():
    """A community whose lead is also a coordinator, with what every route needs."""
    lead = UserFactory(is_coordinator=True)
    community = CommunityFactory(visibility=Visibility.NETWORK, lead=lead)
    membership = add_member(community)
    values = {
        "username": membership.user.username,
        "slug": community.slug,
        "pk": 999999,
        "membership_id": membership.pk,
        "transition": "activate",
        "token": "no-such-invitation",
        "token_id": 999999,
        "export_id": 999999,
        "import_id": 999999,
    }
    for module in app_route_modules():
        if hasattr(module, "route_values"):
            values.update(module.route_values(community, membership.user))
    return lead, values


def routes_of(app):
    for name, pattern in project_routes():
        if name.split(":")[0] == app or (app == "project" and ":" not in name):
            yield name, pattern


def url_for(name, pattern, values):
    in_taxonomy = name.startswith("coordination:")
    route_values = (
        {**values, "slug": Theme.objects.get(sdg_number=1).slug} if in_taxonomy else values
    )
    return reverse(name, kwargs={key: route_values[key] for key in pattern.pattern.converters})


class Fuzzer:
    def __init__(self, client, rng):
        self.client = client
        self.rng = rng
        self.requests = 0
        self.failures = []

    def request(self, method, url, field="", **kwargs):
        self.requests += 1
        try:
            response = getattr(self.client, method)(url, **kwargs)
        except Exception as error:  # noqa: BLE001 — any exception is the finding
            self.failures.append(f"{method.upper()} {url} {field}: {error!r:.300}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {url} {field}: {response.status_code}")
        return response

    def values(self):
        return [self.rng.choice(values) for values in BAD_VALUES_BY_KIND.values()]

    def fuzz_route(self, url):
        page = self.request("get", url)
        for value in self.values():
            self.request("get", url, data={self.rng.choice(QUERY_PARAMETERS): value})
        self.request(
            "get", url, QUERY_STRING=f"q={INVALID_UTF8.decode()}&page={INVALID_UTF8.decode()}"
        )
        if page is None or page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            self.request("post", url, data={"x": self.rng.choice(BAD_VALUES)})
            return
        for form in forms_of(page.content.decode(errors="replace")):
            action = form["action"] or url
            if (
                urlsplit(action).netloc
                or not action.startswith("/")
                or action.startswith("/accounts/logout")
            ):
                continue
            self.fuzz_form(action, form)

    def fuzz_form(self, action, form):
        method = "post" if form["method"] == "post" else "get"
        base = {name: list(values) for name, values in form["fields"].items()}
        base.pop("csrfmiddlewaretoken", None)
        for name in base:
            for value in self.values():
                data = {**base, name: [value]}
                self.request(method, action, field=f"{name}={value!r:.60}", data=data)
        if method == "post":
            body = (
                urlencode({k: v[0] if v else "" for k, v in base.items()})
                + "&x="
                + INVALID_UTF8.decode()
            )
            self.request(
                "post", action, data=body, content_type="application/x-www-form-urlencoded"
            )


APPS = sorted({name.split(":")[0] if ":" in name else "project" for name, _ in project_routes()})


@pytest.mark.django_db
@pytest.mark.parametrize("app", APPS)
@override_settings(RATE_LIMITS={})  # the limits would answer 429 before the forms are reached
def test_no_route_answers_500_to_bad_input(client, app):
    lead, values = world()
    client.force_login(lead)
    fuzzer = Fuzzer(client, random.Random(f"{FUZZ_SEED}-{app}"))
    for name, pattern in routes_of(app):
        if name in ("account_logout",):
            continue
        fuzzer.fuzz_route(url_for(name, pattern, values))
        client.force_login(lead)  # a route may have signed the person out
    print(f"fuzz {app}: {fuzzer.requests} requests")
    assert not fuzzer.failures, "\n".join(fuzzer.failures[:30])
