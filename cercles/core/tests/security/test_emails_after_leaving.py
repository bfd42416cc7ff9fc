"""Emails and notifications never carry private text to someone who may not read it (issue 19,
deliverable 1): once a member has left a private community, or been removed from it, what
happens there afterwards (replies in threads they followed, new threads, meetings, minutes, next
steps, progress updates, notes) reaches them by no channel — in the app, by email, in a
digest — and a digest built after they left holds nothing of it; the newsletter built for an
outsider holds no private community's text."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from cercles.accounts.tests.factories import UserFactory
from cercles.communities import services as communities
from cercles.communities.models import Role, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.coordination.services import post_update
from cercles.discussions import services as discussions
from cercles.library.services import create_note
from cercles.meetings import services as meetings
from cercles.meetings.tests.factories import past
from cercles.notifications import services as notifications
from cercles.notifications.digests import build_digests, digest_letter
from cercles.notifications.kinds import Delivery
from cercles.notifications.models import Notification

pytestmark = pytest.mark.django_db

SECRET = "zq-texte-protege"


def everything_sent_to(user):
    """The text of every notification and email the person has received."""
    texts = [str(n.params) + n.url for n in Notification.objects.filter(recipient=user)]
    for message in mail.outbox:
        if user.email in message.to:
            texts.append(message.subject + message.body)
            texts += [body for body, _type in getattr(message, "alternatives", [])]
    return "\n".join(texts)


def life_goes_on(community, lead, thread):
    """What a community's life sends to its members, each carrying the secret: a reply, a new
    thread, a meeting planned and moved, minutes, the next steps, a progress update, a note."""
    discussions.reply(lead, thread, body=f"{SECRET} réponse")
    discussions.start_thread(lead, community, title=f"{SECRET} sujet", body=f"{SECRET} corps")
    meeting = meetings.plan_meeting(
        lead, community, kind="regular", title=f"{SECRET} réunion",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        ends_at=timezone.now() + datetime.timedelta(days=3, hours=2), place=f"{SECRET} lieu",
        agenda=f"{SECRET} ordre du jour",
    )  # fmt: skip
    meetings.update_meeting(lead, meeting, place=f"{SECRET} autre lieu")
    held = past(community=community, title=f"{SECRET} réunion passée")
    meetings.publish_minutes(lead, held, minutes=f"{SECRET} compte rendu")
    communities.update_next_steps(lead, community, f"{SECRET} prochaines étapes")
    post_update(
        lead, community, done=f"{SECRET} fait", next_steps=f"{SECRET} à faire",
        help_needed=f"{SECRET} aide",
    )  # fmt: skip
    create_note(lead, community, title=f"{SECRET} carnet", body=f"{SECRET} notes")


@pytest.mark.parametrize("how", ["left", "removed"])
def test_nothing_reaches_a_former_member(how, django_capture_on_commit_callbacks):
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    lead = community.lead
    member = add_member(community, Role.INNER).user
    with django_capture_on_commit_callbacks(execute=True):
        thread = discussions.start_thread(lead, community, title="Forages", body="Bonjour")
        discussions.reply(member, thread, body="J'ai une question")  # follows the thread
        discussions.reply(lead, thread, body="Voici la réponse")
    assert Notification.objects.filter(recipient=member).exists()  # a member is told
    if how == "left":
        communities.leave_community(member, community, reason="Plus le temps")
    else:
        membership = community.memberships.get(user=member)
        communities.remove_member(lead, membership, reason="Inactif")
    before = Notification.objects.filter(recipient=member).count()
    with django_capture_on_commit_callbacks(execute=True):
        life_goes_on(community, lead, thread)
    assert Notification.objects.filter(recipient=member).count() == before
    assert SECRET not in everything_sent_to(member)
    # The control: a member who stayed is told, with the text.
    stayed = add_member(community, Role.INNER).user
    with django_capture_on_commit_callbacks(execute=True):
        life_goes_on(community, lead, thread)
    assert Notification.objects.filter(recipient=stayed).exists()


@pytest.mark.parametrize("delivery", [Delivery.DAILY, Delivery.WEEKLY])
def test_a_digest_built_after_leaving_holds_nothing_of_the_community(delivery):
    community = CommunityFactory(visibility=Visibility.PRIVATE, title="Cercle protégé")
    lead = community.lead
    member = add_member(community, Role.INNER).user
    for group in ("discussions", "meetings", "plan", "membership", "library"):
        notifications.set_preference(member, group, delivery)
    since = timezone.now() - datetime.timedelta(hours=1)
    thread = discussions.start_thread(lead, community, title=f"{SECRET} forages", body="Bonjour")
    discussions.reply(member, thread, body="Je suis")
    life_goes_on(community, lead, thread)
    with translation.override("fr"):
        while_member = build_digests(delivery, [member], {member.pk: since}, timezone.now())
    letter = digest_letter(while_member[member.pk])
    assert SECRET in letter.text  # the control: a member's digest carries it
    communities.leave_community(member, community, reason="")
    life_goes_on(community, lead, thread)
    with translation.override("fr"):
        after = build_digests(delivery, [member], {member.pk: since}, timezone.now())
    digest = after[member.pk]
    if not digest.is_empty:
        letter = digest_letter(digest)
        assert SECRET not in letter.text + letter.html


def test_the_newsletter_of_an_outsider_holds_no_private_text():
    from cercles.coordination import newsletter as letters
    from cercles.coordination.models import Newsletter
    from cercles.library.tests.factories import make_production

    private = CommunityFactory(visibility=Visibility.PRIVATE, title=f"{SECRET} titre")
    lead = private.lead
    member = add_member(private, Role.INNER).user
    outsider = UserFactory()
    thread = discussions.start_thread(lead, private, title=f"{SECRET} fil", body=f"{SECRET} corps")
    life_goes_on(private, lead, thread)
    production = make_production(lead, private)
    production.title = f"{SECRET} production"
    production.summary = f"{SECRET} résumé"
    production.save()
    today = timezone.localdate()
    with translation.override("fr"):
        body = letters.compile_draft(today - datetime.timedelta(days=30), today)
        newsletter = Newsletter.objects.create(
            subject="Les nouvelles", body=body, period_start=today, period_end=today
        )
        personal = letters.personal_parts([outsider, member])
        outsider_letter = letters.letter_for(newsletter, outsider, personal.get(outsider.pk))
        member_letter = letters.letter_for(newsletter, member, personal.get(member.pk))
    assert SECRET not in outsider_letter.text + outsider_letter.html + outsider_letter.subject
    # The control: the member's personal part speaks of their own community.
    assert SECRET in member_letter.text
