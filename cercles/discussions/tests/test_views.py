import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cercles.accounts.tests.factories import UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import Membership, MembershipStatus, Role, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.discussions import services
from cercles.discussions.models import POSTS_PER_PAGE, Post, Report, Thread

from .factories import PDF_BYTES, add_posts, pdf_upload, start_thread

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def client(client):
    """Pages in English, whatever the people's language: the assertions read English."""
    log_in = client.force_login

    def force_login(user, backend=None):
        type(user).objects.filter(pk=user.pk).update(language="en")
        user.language = "en"
        log_in(user, backend)

    client.force_login = force_login
    return client


def url(name, community, **kwargs):
    return reverse(f"discussions:{name}", kwargs={"slug": community.slug, **kwargs})


def every_address(community, thread, post, attachment):
    return [
        url("thread_list", community),
        url("thread_create", community),
        url("codev_create", community),
        url("thread", community, thread_id=thread.pk),
        url("unread", community, thread_id=thread.pk),
        url("follow_up", community, thread_id=thread.pk),
        url("post", community, post_id=post.pk),
        url("edit_post", community, post_id=post.pk),
        url("post_history", community, post_id=post.pk),
        url("hide_post", community, post_id=post.pk),
        url("report_post", community, post_id=post.pk),
        url("download", community, attachment_id=attachment.pk),
    ]


@pytest.fixture
def private_thread():
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    thread = services.start_thread(
        community.lead, community, title="Confidentiel", body="Entre nous", uploads=[pdf_upload()]
    )
    post = thread.last_post
    return community, thread, post, post.attachments.get()


@pytest.mark.parametrize("who", ["outsider", "pending", "ex_member"])
def test_non_members_get_404_on_every_address_of_a_private_community(client, private_thread, who):
    community, thread, post, attachment = private_thread
    person = UserFactory()
    if who == "pending":
        add_member(community, status="pending", user=person)
    elif who == "ex_member":
        add_member(community, status="left", user=person)
    client.force_login(person)
    for address in every_address(community, thread, post, attachment):
        assert client.get(address).status_code == 404, address
    post_urls = [
        url("reply", community, thread_id=thread.pk),
        url("follow", community, thread_id=thread.pk),
        url("delete_post", community, post_id=post.pk),
        url("mark_helpful", community, post_id=post.pk),
    ]
    for address in post_urls:
        assert client.post(address, {"body": "x"}).status_code == 404, address


def test_visitors_never_see_discussions_even_of_public_communities(client):
    community = CommunityFactory(visibility=Visibility.PUBLIC)
    thread = start_thread(community, community.lead)
    for address in [url("thread_list", community), thread.get_absolute_url()]:
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    home = client.get(community.get_absolute_url())
    assert url("thread_list", community) not in home.content.decode()


def test_members_see_the_section_and_start_a_thread(client):
    community = CommunityFactory()
    outer = add_member(community, Role.OUTER).user
    client.force_login(outer)
    home = client.get(community.get_absolute_url()).content.decode()
    assert url("thread_list", community) in home
    response = client.post(
        url("thread_create", community),
        {
            "title": "Pannes de pompes",
            "body": "Qui a une **astuce** ?",
            "attachments": [pdf_upload()],
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "<strong>astuce</strong>" in page
    attachment = thread.last_post.attachments.get()
    download = client.get(url("download", community, attachment_id=attachment.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert "attachment" in download["Content-Disposition"]


def test_a_forged_address_mixing_communities_answers_404(client):
    mine = CommunityFactory()
    theirs = CommunityFactory(visibility=Visibility.PRIVATE)
    member = add_member(mine).user
    thread = start_thread(theirs, theirs.lead)
    attachment_thread = services.start_thread(
        theirs.lead, theirs, title="F", body="F", uploads=[pdf_upload()]
    )
    attachment = attachment_thread.last_post.attachments.get()
    client.force_login(member)
    reply = client.post(url("reply", mine, thread_id=thread.pk), {"body": "Intrus"})
    assert reply.status_code == 404
    assert client.get(url("post", mine, post_id=thread.last_post_id)).status_code == 404
    assert client.get(url("download", mine, attachment_id=attachment.pk)).status_code == 404
    assert Post.objects.filter(thread=thread).count() == 1


DANGEROUS = [
    "<script>alert('x')</script>",
    "[clic](javascript:alert(1))",
    "[image](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">lien</a>',
]


def test_dangerous_markup_renders_inert(client):
    community = CommunityFactory()
    client.force_login(community.lead)
    thread = start_thread(community, community.lead)
    for body in DANGEROUS:
        services.reply(community.lead, thread, body=body)
    html = client.get(thread.get_absolute_url()).content.decode()
    posts = html[html.index('class="posts"') : html.index('id="reply"')]
    assert "<script>" not in posts
    assert not re.search(r"<[^>]*onerror", posts)
    assert "<img" not in posts
    assert not re.search(r"<a [^>]*href=\"(javascript|data):", posts)
    assert "[clic](javascript:alert(1))" in posts  # shown as the text it is
    assert "&lt;script&gt;" in posts


def test_empty_and_huge_replies_get_a_clear_error(client):
    community = CommunityFactory()
    thread = start_thread(community, community.lead)
    client.force_login(community.lead)
    empty = client.post(url("reply", community, thread_id=thread.pk), {"body": "  "})
    assert empty.status_code == 200
    assert "Write something before posting." in empty.content.decode()
    huge = client.post(url("reply", community, thread_id=thread.pk), {"body": "a" * 1_000_000})
    assert huge.status_code == 200
    assert "at most 20000 characters" in huge.content.decode()
    assert Post.objects.filter(thread=thread).count() == 1


def test_a_file_whose_content_does_not_match_is_refused(client):
    community = CommunityFactory()
    thread = start_thread(community, community.lead)
    client.force_login(community.lead)
    fake = SimpleUploadedFile("photo.png", b"%PDF-1.4 pretending", "image/png")
    response = client.post(
        url("reply", community, thread_id=thread.pk), {"body": "Voici", "attachments": [fake]}
    )
    assert response.status_code == 200
    assert "does not match its name" in response.content.decode()
    assert Post.objects.filter(thread=thread).count() == 1


def test_a_locked_thread_says_so(client):
    community = CommunityFactory()
    thread = start_thread(community, community.lead)
    services.set_locked(community.lead, thread, True)
    member = add_member(community).user
    client.force_login(member)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert (
        "locked" in page and 'action="' + url("reply", community, thread_id=thread.pk) not in page
    )
    response = client.post(
        url("reply", community, thread_id=thread.pk), {"body": "Coucou"}, follow=True
    )
    assert "This thread is locked" in response.content.decode()
    assert Post.objects.filter(thread=thread).count() == 1


def test_quote_link_prefills_the_reply_form_without_javascript(client):
    community = CommunityFactory()
    thread = start_thread(community, community.lead, body="Ligne un\nLigne deux")
    member = add_member(community).user
    client.force_login(member)
    page = client.get(thread.get_absolute_url() + f"?quote={thread.last_post_id}").content.decode()
    assert "&gt; Ligne un\n&gt; Ligne deux" in page
    assert f'name="quoted" value="{thread.last_post_id}"' in page
    client.post(
        url("reply", community, thread_id=thread.pk),
        {"body": "> Ligne un\n\nJe suis d'accord", "quoted": thread.last_post_id},
    )
    assert Post.objects.latest("id").quoted_id == thread.last_post_id
    # A quote id from elsewhere is ignored.
    assert client.get(thread.get_absolute_url() + "?quote=abc").status_code == 200


def test_mention_suggestions_match_what_is_typed_among_active_members(client):
    community = CommunityFactory()
    awa = add_member(community, user=UserFactory(display_name="Awa Diallo")).user
    add_member(community, user=UserFactory(display_name="Moussa Traoré"))
    outsider = UserFactory(display_name="Awa Ndiaye")
    add_member(community, status=MembershipStatus.PENDING, user=UserFactory(display_name="Awa Sow"))
    thread = start_thread(community, community.lead)
    client.force_login(community.lead)
    page = client.get(thread.get_absolute_url()).content.decode()
    suggest_url = url("mention_suggestions", community)
    # The page carries the helper, not the member list: it stays small in a large community.
    assert f'data-suggest-url="{suggest_url}"' in page
    assert "<option" not in page.split('id="mention-list"')[1].split("</datalist>")[0]

    found = client.get(suggest_url, {"q": "@awa"}).json()["members"]
    assert found == [{"username": awa.username, "name": "Awa Diallo"}]
    assert outsider.username not in str(found)
    by_username = client.get(suggest_url, {"q": awa.username[:4]}).json()["members"]
    assert {"username": awa.username, "name": "Awa Diallo"} in by_username
    assert client.get(suggest_url, {"q": " "}).json() == {"members": []}


def test_mention_suggestions_are_for_members_only(client):
    community = CommunityFactory()
    add_member(community, user=UserFactory(display_name="Awa Diallo"))
    suggest_url = url("mention_suggestions", community)
    client.force_login(UserFactory())
    assert client.get(suggest_url, {"q": "awa"}).status_code == 403
    client.logout()
    assert client.get(suggest_url, {"q": "awa"}).status_code == 302


def test_unread_markers_and_jump_to_first_unread(client):
    community = CommunityFactory()
    reader = add_member(community).user
    thread = start_thread(community, community.lead)
    add_posts(thread, [community.lead], 3 * POSTS_PER_PAGE)
    client.force_login(reader)
    listing = client.get(url("thread_list", community)).content.decode()
    assert "unread-badge" in listing
    first_page_last = thread.posts.order_by("id")[POSTS_PER_PAGE - 1]
    client.get(thread.get_absolute_url())  # reads page one
    assert thread.reads.get(user=reader).last_read_post_id == first_page_last.pk
    jump = client.get(url("unread", community, thread_id=thread.pk))
    next_post = thread.posts.filter(id__gt=first_page_last.pk).order_by("id").first()
    assert jump["Location"].endswith(f"?page=2#post-{next_post.pk}")
    page_two = client.get(thread.get_absolute_url() + "?page=2").content.decode()
    assert page_two.count("post--unread") == POSTS_PER_PAGE


def test_follow_and_unfollow(client):
    community = CommunityFactory()
    thread = start_thread(community, community.lead)
    member = add_member(community).user
    client.force_login(member)
    client.post(url("follow", community, thread_id=thread.pk), {"follow": "1"})
    assert thread.follows.filter(user=member).exists()
    client.post(url("follow", community, thread_id=thread.pk), {"follow": "0"})
    assert not thread.follows.filter(user=member).exists()


def test_edit_history_and_delete_through_the_pages(client):
    community = CommunityFactory()
    member = add_member(community).user
    thread = start_thread(community, member, body="Version un")
    post = thread.last_post
    client.force_login(member)
    client.post(url("edit_post", community, post_id=post.pk), {"body": "Version deux"})
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Version deux" in page and url("post_history", community, post_id=post.pk) in page
    history = client.get(url("post_history", community, post_id=post.pk)).content.decode()
    assert "Version un" in history
    client.post(url("delete_post", community, post_id=post.pk))
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Version deux" not in page and "was deleted by its author" in page
    other = add_member(community).user
    client.force_login(other)
    assert client.get(url("edit_post", community, post_id=post.pk)).status_code == 403


def test_pin_lock_hide_report_and_the_reports_page(client, coordinator):
    community = CommunityFactory()
    author = add_member(community).user
    core = add_member(community, Role.CORE).user
    reporter = add_member(community, Role.OUTER).user
    thread = start_thread(community, author, body="Achetez mes produits")
    post = thread.last_post

    client.force_login(author)
    assert (
        client.post(url("pin", community, thread_id=thread.pk), {"pinned": "1"}).status_code == 403
    )

    client.force_login(reporter)
    client.post(url("report_post", community, post_id=post.pk), {"reason": "Publicité"})
    assert Report.objects.filter(post=post, reporter=reporter).exists()

    client.force_login(coordinator)
    reports = client.get(reverse("discussions:reports")).content.decode()
    assert "Publicité" in reports and community.title in reports

    client.force_login(core)
    assert "Publicité" in client.get(reverse("discussions:reports")).content.decode()
    client.post(url("pin", community, thread_id=thread.pk), {"pinned": "1"})
    client.post(url("lock", community, thread_id=thread.pk), {"locked": "1"})
    client.post(url("hide_post", community, post_id=post.pk), {"reason": "Hors sujet"})
    thread.refresh_from_db()
    post.refresh_from_db()
    assert thread.pinned and thread.locked and post.is_hidden
    assert Report.objects.get().is_resolved

    client.force_login(reporter)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Hors sujet" in page and "Achetez mes produits" not in page


def test_coordinator_resolves_a_report(client, coordinator):
    community = CommunityFactory()
    post = start_thread(community, community.lead).last_post
    reporter = add_member(community).user
    report = services.report_post(reporter, post, reason="Doublon")
    client.force_login(reporter)
    assert client.post(reverse("discussions:resolve_report", args=[report.pk])).status_code == 404
    client.force_login(coordinator)
    client.post(reverse("discussions:resolve_report", args=[report.pk]))
    report.refresh_from_db()
    assert report.is_resolved


def test_codev_session_through_the_pages(client):
    community = CommunityFactory()
    presenter = add_member(community, Role.OUTER).user
    peer = add_member(community).user
    client.force_login(presenter)
    client.post(
        url("codev_create", community),
        {"title": "Relancer un comité", "context": "Le comité dort.", "question": "Comment ?"},
    )
    thread = Thread.objects.get(kind="codev")
    client.force_login(peer)
    client.post(url("reply", community, thread_id=thread.pk), {"body": "Une fête de l'eau."})
    suggestion = thread.posts.get(kind="suggestion")
    client.force_login(presenter)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert url("mark_helpful", community, post_id=suggestion.pk) in page
    client.post(url("mark_helpful", community, post_id=suggestion.pk), {"helpful": "1"})
    suggestion.refresh_from_db()
    assert suggestion.marked_helpful
    form = client.get(url("follow_up", community, thread_id=thread.pk)).content.decode()
    assert "Une fête de l&#x27;eau." in form
    client.post(url("follow_up", community, thread_id=thread.pk), {"body": "La fête a marché."})
    thread.refresh_from_db()
    assert thread.closed_at is not None
    listing = client.get(url("thread_list", community) + "?kind=codev").content.decode()
    assert "Relancer un comité" in listing and "state-badge--closed" in listing


def test_lead_sees_outer_members_ready_for_the_inner_circle(client):
    community = CommunityFactory()
    busy = add_member(community, Role.OUTER)
    thread = start_thread(community, busy.user)
    for _ in range(services.ACTIVE_POSTS):
        services.reply(busy.user, thread, body="Encore un retour")
    client.force_login(community.lead)
    page = client.get(url("thread_list", community)).content.decode()
    change = reverse("communities:change_role", args=[community.slug, busy.pk])
    assert change in page
    client.post(change, {"role": "inner"})
    assert Membership.objects.get(pk=busy.pk).role == Role.INNER
    client.force_login(busy.user)
    assert change not in client.get(url("thread_list", community)).content.decode()


def test_closed_communities_read_only(client):
    community = CommunityFactory()
    thread = start_thread(community, community.lead)
    community.state = State.CLOSED
    community.save()
    client.force_login(community.lead)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "read-only" in page
    assert (
        client.post(url("reply", community, thread_id=thread.pk), {"body": "x"}).status_code == 403
    )


# --- Speed ----------------------------------------------------------------------------------


def _count_queries(client, address, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize("count", [5, 200])
def test_thread_list_queries_do_not_grow(client, count, django_assert_max_num_queries):
    community = CommunityFactory()
    people = [add_member(community).user for _ in range(10)]
    client.force_login(community.lead)
    for i in range(count):
        thread = Thread.objects.create(community=community, author=people[i % 10], title=f"T{i}")
        add_posts(thread, people[i % 10 :] or people, 1)
    services.start_codev(people[0], community, title="P", context="C", question="Q")
    with django_assert_max_num_queries(16):
        response = client.get(url("thread_list", community))
    assert response.status_code == 200


def test_thread_list_and_page_cost_the_same_with_5_or_200_rows(client):
    community = CommunityFactory()
    few = [add_member(community).user for _ in range(3)]
    many = [add_member(community).user for _ in range(60)]
    client.force_login(community.lead)
    small = start_thread(community, few[0])
    add_posts(small, few, 5)
    big = start_thread(community, many[0])
    add_posts(big, many, 200)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(address):
        client.get(address)  # first visit creates the read marker
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured)

    assert cost(small.get_absolute_url()) == cost(big.get_absolute_url())
    assert cost(big.get_absolute_url() + "?page=4") == cost(small.get_absolute_url())
    list_few = cost(url("thread_list", community))
    for i in range(200):
        Thread.objects.create(community=community, author=many[i % 60], title=f"Fil {i}")
    assert cost(url("thread_list", community)) == list_few


def test_a_thousand_post_thread_renders_one_page(client, django_assert_max_num_queries):
    community = CommunityFactory()
    people = [add_member(community).user for _ in range(20)]
    thread = start_thread(community, people[0])
    add_posts(thread, people, 999)
    assert thread.post_count == 1000
    client.force_login(people[1])
    with django_assert_max_num_queries(25):
        response = client.get(thread.get_absolute_url() + "?page=20")
    html = response.content.decode()
    assert len(re.findall(r'<li id="post-\d+"', html)) == POSTS_PER_PAGE
    assert "Page 20 of 34" in html
