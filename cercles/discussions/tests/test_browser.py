"""A discussion and a co-development session, end to end in a real browser (French interface)."""

import pytest

from cercles.accounts.tests.factories import PASSWORD, UserFactory
from cercles.communities.models import Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.communities.tests.test_browser import sdg_themes  # noqa: F401  (fixture)
from cercles.core.tests.browser import (
    assert_no_horizontal_scroll,
    log_in,
    navigates,
    screenshot,
    visit,
)
from cercles.discussions.models import Post, Thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_person(page, person):
    page.context.clear_cookies()
    log_in(page, person.email, PASSWORD)


def shot(page, number, name):
    return screenshot(page, f"discussions-{number:02d}-{name}")


def submit(page, form_selector):
    with navigates(page):
        page.locator(f"{form_selector} button[type=submit]").first.click()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_discussion_with_a_mention_then_a_codev_session(page, media):
    community = CommunityFactory(title="Eau et assainissement au Sahel")
    awa = UserFactory(display_name="Awa Diallo", username="awa-diallo")
    moussa = UserFactory(display_name="Moussa Sow", username="moussa-sow")
    add_member(community, Role.INNER, user=awa)
    add_member(community, Role.OUTER, user=moussa)
    base = f"/communities/{community.slug}/discussions/"

    # 1. Awa starts a thread.
    as_person(page, awa)
    visit(page, base)
    shot(page, 1, "empty-list")
    with navigates(page):
        page.locator(f"main a[href='{base}new/']").click()
    page.locator("input[name=title]").fill("Financer l'entretien des forages")
    page.locator("textarea[name=body]").fill(
        "Comment vos comités collectent-ils l'argent des **réparations** ?"
    )
    shot(page, 2, "new-thread")
    submit(page, "main form[enctype]")
    thread = Thread.objects.get()
    assert page.url.endswith(thread.get_absolute_url())
    assert page.locator(".post-body strong").inner_text() == "réparations"

    # 2. Moussa, of the outer circle, replies and mentions Awa; the helper suggests names.
    as_person(page, moussa)
    visit(page, base)
    assert page.locator(".thread-row--unread").count() == 1
    shot(page, 3, "list-unread")
    with navigates(page):
        page.get_by_role("link", name="Financer l'entretien des forages").click()
    page.locator("textarea[name=body]").fill("Chez nous, la vente au bidon. ")
    page.locator("#mention-lookup").fill("Awa")
    page.locator("datalist#mention-list option[value='@awa-diallo']").wait_for(state="attached")
    page.locator("#mention-lookup").fill("@awa-diallo")
    page.locator("#mention-lookup").press("Tab")
    body = page.locator("textarea[name=body]").input_value()
    assert body.endswith("@awa-diallo ") and body.count("@awa-diallo") == 1, body
    page.locator("textarea[name=body]").fill(body + "qu'en penses-tu ?")
    shot(page, 4, "reply-with-mention")
    submit(page, "form[action$='/reply']")
    assert Post.objects.filter(thread=thread).count() == 2
    assert page.locator(".message--success").count() == 1

    # 3. Awa sees the mention among her notifications and follows it to the post.
    as_person(page, awa)
    visit(page, "/notifications/")
    notification = page.locator(".notification--unread a").first
    assert "Moussa Sow" in notification.inner_text()
    shot(page, 5, "mention-notification")
    with navigates(page):
        notification.click()
    reply = Post.objects.filter(thread=thread).latest("id")
    assert page.url.endswith(f"#post-{reply.pk}")
    assert page.locator(f"#post-{reply.pk}").is_visible()
    shot(page, 6, "thread")

    # 4. Moussa presents a problem in a co-development session.
    as_person(page, moussa)
    visit(page, base + "?kind=codev")
    with navigates(page):
        page.locator(f"main a[href='{base}codev/new/']").click()
    page.locator("input[name=title]").fill("Le comité ne se réunit plus")
    page.locator("textarea[name=context]").fill("Le président est parti travailler à Dakar.")
    page.locator("textarea[name=question]").fill("Comment relancer le comité ?")
    page.locator("textarea[name=tried]").fill("Des rappels par téléphone.")
    shot(page, 7, "codev-new")
    submit(page, "main form[enctype]")
    session = Thread.objects.get(kind="codev")

    # 5. Awa suggests.
    as_person(page, awa)
    visit(page, session.get_absolute_url())
    page.locator("textarea[name=body]").fill("Passe voir le chef de village avant l'assemblée.")
    submit(page, "form[action$='/reply']")
    suggestion = session.posts.get(kind="suggestion")

    # 6. Moussa marks it helpful, then tells what he did: the session closes.
    as_person(page, moussa)
    visit(page, session.get_absolute_url())
    submit(page, f"form[action$='/posts/{suggestion.pk}/helpful']")
    assert page.locator(".post--helpful").count() == 1
    shot(page, 8, "codev-helpful")
    with navigates(page):
        page.locator(f"a[href='{session.get_absolute_url()}follow-up/']").click()
    page.locator("textarea[name=body]").fill("Le chef a convoqué l'assemblée ; nouveau bureau élu.")
    shot(page, 9, "codev-follow-up")
    submit(page, "main form[enctype]")
    session.refresh_from_db()
    assert session.closed_at is not None
    visit(page, base + "?kind=codev")
    assert page.locator(".state-badge--closed").count() == 1
    shot(page, 10, "codev-list-closed")

    # 7. The thread reads on a small phone.
    page.set_viewport_size({"width": 360, "height": 800})
    visit(page, session.get_absolute_url())
    assert_no_horizontal_scroll(page)
    shot(page, 11, "codev-thread-360")
    visit(page, base)
    assert_no_horizontal_scroll(page)
