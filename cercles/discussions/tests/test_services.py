import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from cercles.communities.lifecycle import State
from cercles.communities.models import MembershipStatus, Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.models import AuditEvent
from cercles.discussions import services, tasks
from cercles.discussions.models import (
    MAX_BODY_CHARS,
    Post,
    PostKind,
    SessionState,
    Thread,
    ThreadFollow,
)
from cercles.notifications.models import Notification

from .factories import pdf_upload


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the services' messages in English (the default language is French)."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def community():
    return CommunityFactory()


def kinds_for(person):
    return sorted(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


def test_start_thread_and_reply_notify_followers_and_mentions(
    community, django_capture_on_commit_callbacks
):
    author = add_member(community, Role.OUTER).user
    replier = add_member(community).user
    mentioned = add_member(community).user
    stranger = add_member(community).user
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.start_thread(author, community, title="  Forages  ", body="Bonjour")
        services.reply(replier, thread, body="Réponse")
        services.reply(author, thread, body=f"Merci @{mentioned.username}, et @inconnu.")
    assert thread.title == "Forages"
    assert thread.post_count == 3
    # Every member hears that the thread started; then followers and mentions.
    assert kinds_for(author) == ["discussions.reply"]
    assert kinds_for(replier) == ["discussions.new_thread", "discussions.reply"]
    assert kinds_for(mentioned) == ["discussions.mentioned", "discussions.new_thread"]
    assert kinds_for(stranger) == ["discussions.new_thread"]
    assert set(ThreadFollow.objects.filter(thread=thread).values_list("user", flat=True)) == {
        author.pk,
        replier.pk,
    }
    assert AuditEvent.objects.filter(action="discussions.replied").count() == 2
    note = Notification.objects.get(recipient=mentioned, kind="discussions.mentioned")
    assert note.url.endswith(f"/posts/{thread.last_post_id}/")
    # The mention quotes the message, in the app and in the email.
    assert note.note == f"Merci @{mentioned.username}, et @inconnu."


def test_a_mention_email_includes_the_message(community, django_capture_on_commit_callbacks):
    from django.core import mail

    author = add_member(community).user
    mentioned = add_member(community).user
    long_body = f"@{mentioned.username} pouvez-vous relire le règlement du forage ? " * 30
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.start_thread(author, community, title="Règlement", body="Bonjour")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(author, thread, body=long_body)
    sent = [m for m in mail.outbox if m.to == [mentioned.email]]
    assert sent, "the mention is emailed at once by default"
    assert "pouvez-vous relire le règlement du forage" in sent[0].body
    note = Notification.objects.get(recipient=mentioned, kind="discussions.mentioned").note
    assert len(note) <= services.MENTION_NOTE_LENGTH and note.endswith("…")


def test_mentions_only_reach_active_members(community):
    former = add_member(community, status=MembershipStatus.LEFT).user
    member = add_member(community).user
    found = services.mentioned_members(
        community, f"@{former.username} @{member.username}. email@{member.username}"
    )
    assert found == [member]


def test_editing_a_post_tells_only_the_people_it_newly_mentions(
    community, django_capture_on_commit_callbacks
):
    awa, moussa = add_member(community).user, add_member(community).user
    author = add_member(community).user
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.start_thread(
            author, community, title="T", body=f"Bonjour @{awa.username}"
        )
    post = thread.last_post
    assert kinds_for(awa) == ["discussions.mentioned"]  # not also told of the new thread
    Notification.objects.filter(kind="discussions.new_thread").delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_post(
            author,
            post,
            body=f"Bonjour @{awa.username} et @{moussa.username} et @{author.username}",
        )
    assert kinds_for(awa) == ["discussions.mentioned"]  # not told twice
    assert kinds_for(moussa) == ["discussions.mentioned"]
    assert kinds_for(author) == []
    note = Notification.objects.get(recipient=moussa)
    assert note.url == post.get_absolute_url()


def test_followers_who_left_are_not_told(community, django_capture_on_commit_callbacks):
    leaver = add_member(community)
    thread = services.start_thread(leaver.user, community, title="T", body="B")
    leaver.status = MembershipStatus.LEFT
    leaver.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(community.lead, thread, body="Réponse")
    assert kinds_for(leaver.user) == []


@pytest.mark.parametrize("body", ["", "   \n ", "x" * (MAX_BODY_CHARS + 1)])
def test_empty_or_huge_posts_are_refused(community, body):
    with pytest.raises(ValidationError):
        services.start_thread(community.lead, community, title="T", body=body)
    assert not Post.objects.exists()


def test_locked_thread_refuses_replies_with_a_clear_message(community):
    thread = services.start_thread(community.lead, community, title="T", body="B")
    services.set_locked(community.lead, thread, True)
    member = add_member(community).user
    with pytest.raises(ValidationError, match="locked"):
        services.reply(member, thread, body="Encore moi")


def test_quoting_a_post_of_another_thread_is_refused(community):
    one = services.start_thread(community.lead, community, title="A", body="B")
    elsewhere = CommunityFactory()
    other = services.start_thread(elsewhere.lead, elsewhere, title="C", body="D")
    with pytest.raises(ValidationError):
        services.reply(community.lead, one, body="Cité", quoted=other.last_post)


def test_outsiders_and_ex_members_cannot_post(community, member):
    thread = services.start_thread(community.lead, community, title="T", body="B")
    with pytest.raises(PermissionDenied):
        services.reply(member, thread, body="Je ne suis pas membre")
    ex = add_member(community, status=MembershipStatus.LEFT).user
    with pytest.raises(PermissionDenied):
        services.start_thread(ex, community, title="T", body="B")


def test_closed_communities_are_read_only(community):
    thread = services.start_thread(community.lead, community, title="T", body="B")
    community.state = State.CLOSED
    community.save()
    with pytest.raises(PermissionDenied):
        services.reply(community.lead, thread, body="Trop tard")


def test_edit_keeps_the_earlier_text_and_marks_edited(community):
    thread = services.start_thread(community.lead, community, title="T", body="Première")
    post = thread.last_post
    services.edit_post(community.lead, post, body="Seconde")
    post.refresh_from_db()
    assert post.body == "Seconde" and post.edited_at is not None
    assert list(post.revisions.values_list("body", flat=True)) == ["Première"]
    other = add_member(community).user
    with pytest.raises(PermissionDenied):
        services.edit_post(other, post, body="Pirate")


def test_delete_leaves_a_placeholder_and_removes_files(community):
    thread = services.start_thread(
        community.lead, community, title="T", body="Secret", uploads=[pdf_upload()]
    )
    post = thread.last_post
    stored = post.attachments.get().file
    path = stored.path
    services.delete_post(community.lead, post)
    post.refresh_from_db()
    assert post.is_deleted and post.body == ""
    assert not post.attachments.exists()
    import os

    assert not os.path.exists(path)
    thread.refresh_from_db()
    assert thread.post_count == 1  # the placeholder still counts: the thread reads on


def test_uploads_are_checked_by_content(community):
    fake = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    with pytest.raises(ValidationError):
        services.start_thread(community.lead, community, title="T", body="B", uploads=[fake])


def test_hide_tells_the_author_and_needs_a_moderator(community, django_capture_on_commit_callbacks):
    author = add_member(community).user
    core = add_member(community, Role.CORE).user
    thread = services.start_thread(author, community, title="T", body="Propos déplacés")
    post = thread.last_post
    with pytest.raises(PermissionDenied):
        services.hide_post(add_member(community).user, post, reason="Non")
    with pytest.raises(ValidationError):
        services.hide_post(core, post, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.hide_post(core, post, reason="Propos blessants")
    note = Notification.objects.get(recipient=author)
    assert note.kind == "discussions.hidden" and note.params["note"] == "Propos blessants"
    services.unhide_post(core, post)
    assert not post.is_hidden


def test_report_tells_moderators_once(community, django_capture_on_commit_callbacks):
    author = add_member(community).user
    reporter = add_member(community, Role.OUTER).user
    core = add_member(community, Role.CORE).user
    inner = add_member(community).user
    post = services.start_thread(author, community, title="T", body="B").last_post
    with django_capture_on_commit_callbacks(execute=True):
        services.report_post(reporter, post, reason="Publicité")
    assert kinds_for(core) == ["discussions.reported"]
    assert kinds_for(community.lead) == ["discussions.reported"]
    assert kinds_for(inner) == []
    assert kinds_for(author) == []
    with pytest.raises(ValidationError, match="already"):
        services.report_post(reporter, post, reason="Encore")
    with pytest.raises(PermissionDenied):
        services.report_post(author, post, reason="Moi-même")


def test_codev_session_from_problem_to_follow_up(community, django_capture_on_commit_callbacks):
    presenter = add_member(community, Role.OUTER).user
    peer = add_member(community).user
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.start_codev(
            presenter,
            community,
            title="Mobiliser les comités",
            context="Les comités ne se réunissent plus.",
            question="Comment relancer ?",
            tried="Des relances par SMS.",
        )
        suggestion = services.reply(peer, thread, body="Une réunion au marché.")
        clarification = services.reply(presenter, thread, body="Précision : trois villages.")
    assert thread.last_post.kind == PostKind.MESSAGE
    assert suggestion.kind == PostKind.SUGGESTION and clarification.kind == PostKind.MESSAGE
    problem = thread.posts.first()
    assert problem.kind == PostKind.PROBLEM and "Comment relancer ?" in problem.body
    assert kinds_for(presenter) == ["discussions.suggestion"]
    assert thread.session_state == SessionState.OPEN

    services.mark_helpful(presenter, suggestion)
    thread.refresh_from_db()
    assert thread.follow_up_due_at > timezone.now()
    assert tasks.remind_follow_ups.call_local() == 0

    Thread.objects.filter(pk=thread.pk).update(
        follow_up_due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    later = timezone.now()
    assert services.remind_follow_ups(later) == 1
    assert services.remind_follow_ups(later) == 0  # once
    assert "discussions.follow_up_due" in kinds_for(presenter)
    thread.refresh_from_db()
    assert thread.session_state == SessionState.FOLLOW_UP_DUE

    with django_capture_on_commit_callbacks(execute=True):
        services.post_follow_up(presenter, thread, body="J'ai tenu la réunion au marché.")
    thread.refresh_from_db()
    assert thread.session_state == SessionState.CLOSED
    assert "discussions.session_closed" in kinds_for(peer)
    assert services.remind_follow_ups(later) == 0


def test_codev_needs_context_and_question(community):
    with pytest.raises(ValidationError):
        services.start_codev(community.lead, community, title="P", context=" ", question="Q")


def test_mark_read_moves_forward_only(community):
    thread = services.start_thread(community.lead, community, title="T", body="B")
    reader = add_member(community).user
    second = services.reply(community.lead, thread, body="Deux")
    services.mark_read(reader, thread, second.pk)
    services.mark_read(reader, thread, thread.posts.first().pk)
    assert thread.reads.get(user=reader).last_read_post_id == second.pk


def test_active_outer_members_rule(community):
    busy = add_member(community, Role.OUTER).user
    quiet = add_member(community, Role.OUTER).user
    inner = add_member(community).user
    thread = services.start_thread(busy, community, title="T", body="1")
    for person in (busy, busy, quiet, inner, inner, inner):
        services.reply(person, thread, body="Message")
    old = services.reply(quiet, thread, body="Ancien")
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=90))
    services.reply(quiet, thread, body="Récent")
    found = list(services.active_outer_members(community))
    assert [m.user for m in found] == [busy]
    assert found[0].recent_posts == 3


def test_a_new_thread_reaches_members_by_their_channel_and_never_the_muted(
    community, django_capture_on_commit_callbacks
):
    from django.core import mail

    from cercles.notifications import services as notification_services

    inner, outer, muted = (add_member(community, role).user for role in (Role.INNER, Role.OUTER,
                                                                         Role.INNER))  # fmt: skip
    notification_services.set_community_level(muted, community.pk, "mute")
    notification_services.set_preference(inner, "discussions", "immediate")
    with django_capture_on_commit_callbacks(execute=True):
        services.start_codev(
            community.lead, community, title="Pompes", context="Panne", question="Que faire ?"
        )
    deliveries = dict(
        Notification.objects.filter(kind="discussions.new_thread").values_list(
            "recipient_id", "delivery"
        )
    )
    assert deliveries == {inner.pk: "immediate", outer.pk: "weekly"}
    assert [m.to for m in mail.outbox] == [[inner.email]]
