import pytest

from cercles.core.markdown import render_markdown

from .xss_corpus import MARK, injections, payloads


def test_corpus_size():
    assert len(payloads()) >= 250


def test_detector_sees_holes():
    assert injections(f"<p><img src=x onerror=alert('{MARK}')></p>")
    assert injections(f"<a href=\"  jav&#x09;ascript:alert('{MARK}')\">x</a>")
    assert injections(f"<script>alert('{MARK}')</script>")
    assert not injections(f"<p>&lt;script&gt;alert('{MARK}')&lt;/script&gt;</p>")
    assert not injections(f"<input value=\"&quot; onmouseover=&quot;alert('{MARK}')\">")


@pytest.mark.parametrize("payload", payloads())
def test_markdown_never_lets_a_payload_run(payload):
    assert injections(str(render_markdown(payload))) == []


# --- Every free-text field, on every page that shows it ----------------------------------------

PROFILE_TEXT = ["display_name", "organisation", "job_title", "region", "bio", "looking_for"]
ROUNDS = 3  # payloads are dealt to the fields round after round: every payload is used


def free_text_fields():
    """(model, [field names]) of every model of the product with text people write."""
    from django.apps import apps

    from .marked_world import private_text_fields

    for model in apps.get_models():
        if not model.__module__.startswith("cercles.") or model._meta.app_label == "taxonomy":
            continue
        names = [f.name for f in private_text_fields(model)]
        if model._meta.label == "accounts.User":
            names = PROFILE_TEXT
        if names:
            yield model, names


def deal(corpus, start):
    """Write payloads into every free-text field of every row, from corpus[start] on; returns
    how many were written and which (model.field) took them."""
    position, fields = start, set()
    for model, names in free_text_fields():
        for row in model._default_manager.all():
            changes = {}
            for name in names:
                field = model._meta.get_field(name)
                payload = corpus[position % len(corpus)]
                position += 1
                changes[name] = payload[: field.max_length] if field.max_length else payload
                fields.add(f"{model._meta.label}.{name}")
            model._default_manager.filter(pk=row.pk).update(**changes)
    return position - start, fields


@pytest.mark.django_db
@pytest.mark.parametrize("round_", range(ROUNDS))
def test_payloads_in_every_free_text_field_never_run_on_any_page(
    client, round_, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django.test import override_settings

    from cercles.discussions import services as discussions
    from cercles.discussions.models import Thread

    from .marked_world import urls, world

    corpus = payloads()
    community, values, people = world()
    dealt, fields = deal(corpus, start=round_ * -(-len(corpus) // ROUNDS))
    findings, shown = [], 0
    with override_settings(RATE_LIMITS={}):
        for person in ("coordinator",):  # who reads every page of the community
            client.force_login(people[person])
            for name, url, _ in urls(values):
                response = client.get(url)
                if "html" in response.get("Content-Type", "") and not response.streaming:
                    page = response.content.decode()
                    shown += MARK in page
                    findings += [f"{name} ({person}): {f}" for f in injections(page)]
        # Emails: a reply whose text is a payload, to everyone following the thread.
        mail.outbox.clear()
        thread = Thread.objects.filter(community=community).first()
        inner = people["inner circle"]
        with django_capture_on_commit_callbacks(execute=True):
            for payload in corpus[round_::ROUNDS][:10]:
                discussions.reply(community.lead, thread, body=f"@{inner.username} {payload}")
        html_emails = 0
        for message in mail.outbox:
            for content, kind in getattr(message, "alternatives", []):
                if "html" in kind:
                    html_emails += MARK in content
                    findings += [f"email {message.subject}: {f}" for f in injections(content)]
    print(
        f"round {round_}: {dealt} payloads into {len(fields)} fields, shown on {shown} pages, "
        f"{len(mail.outbox)} emails ({html_emails} in HTML with the payload)"
    )
    assert shown >= 40  # the control: the payloads are really on the pages
    assert not findings, "\n".join(findings[:40])
