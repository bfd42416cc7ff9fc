"""The kinds the product searches, from every app below this one."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cercles.communities.models import Visibility
from cercles.core.words import format_date

from . import visibility
from .kinds import Document, SearchKind, register
from .text import plain


def _join(*parts):
    return "\n".join(p for p in parts if p)


def community_document(community):
    if not community.title:
        return None
    # The entry is read by everyone who sees the presentation: a private community's framing
    # is its members' (DESIGN.md §1), so only its title and purpose are searched (issue 19).
    framing = (
        ()
        if community.visibility == Visibility.PRIVATE
        else (
            community.problem_statement,
            community.positioning,
            community.expected_productions,
            community.action_plan,
        )
    )
    return Document(
        title=community.title,
        text=_join(community.purpose, *framing),
        url=community.get_absolute_url(),
        date=community.created_at,
        community_id=community.pk,
    )


def thread_document(thread):
    return Document(
        title=thread.title,
        text="",
        url=reverse("discussions:thread", args=[thread.community.slug, thread.pk]),
        date=thread.created_at,
        community_id=thread.community_id,
    )


def post_document(post):
    if post.deleted_at or post.hidden_at:
        return None
    thread = post.thread
    return Document(
        title=thread.title,
        text=plain(post.body),
        url=reverse("discussions:post", args=[thread.community.slug, post.pk]),
        date=post.created_at,
        community_id=thread.community_id,
    )


def meeting_document(meeting):
    return Document(
        title=meeting.title,
        text=_join(
            meeting.place,
            plain(meeting.agenda),
            meeting.formula_topics,
            meeting.formula_expectations,
            meeting.formula_objectives,
            plain(meeting.minutes) if meeting.minutes_published_at else "",
        ),
        url=reverse("meetings:detail", args=[meeting.community.slug, meeting.pk]),
        date=meeting.starts_at,
        community_id=meeting.community_id,
    )


def _shared_with(obj):
    # Issue 11 gives items and productions an audience of their own in private communities.
    return getattr(obj, "shared_with", "") or ""


def item_document(item):
    from .extraction import extracted_text

    text = _join(
        plain(item.body),
        item.description,
        item.filename,
        item.url,
        extracted_text("item", item) if item.file else "",
    )
    return Document(
        title=item.title,
        text=text,
        url=reverse("library:item_detail", args=[item.community.slug, item.pk]),
        date=item.updated_at,
        community_id=item.community_id,
        legacy=item.keep_in_legacy,
        shared_with=_shared_with(item),
    )


def production_document(production):
    from .extraction import extracted_text

    return Document(
        title=production.title,
        text=_join(
            production.summary,
            production.audience_detail,
            production.filename,
            extracted_text("production", production) if production.file else "",
        ),
        url=reverse("library:production_detail", args=[production.community.slug, production.pk]),
        date=production.delivered_at or production.updated_at,
        community_id=production.community_id,
        public_when_published=production.is_delivered,
        legacy=production.keep_in_legacy,
        shared_with=_shared_with(production),
    )


def update_document(update):
    return Document(
        title=str(
            _("Progress update of %(date)s")
            % {"date": format_date(timezone.localtime(update.created_at).date())}
        ),
        text=_join(update.done, update.next_steps, update.blockers, update.help_needed),
        url=reverse("updates:list", args=[update.community.slug]) + f"#update-{update.pk}",
        date=update.created_at,
        community_id=update.community_id,
    )


def person_document(person):
    if (
        not person.is_active
        or person.deleted_at
        or not person.display_name
        or person.is_technical_account
    ):
        return None
    return Document(
        title=person.display_name,
        text=_join(
            person.job_title,
            person.organisation,
            person.region,
            person.country.name if person.country else "",
            " · ".join(s.name for s in person.skills.all()),
            " · ".join(f"{t.name_fr} {t.name_en}" for t in person.themes.all()),
            person.bio,
            person.looking_for,
        ),
        url=reverse("people:profile", args=[person.username]),
        date=person.date_joined,
    )


def season_document(season):
    if not season.review_published_at:
        return None
    return Document(
        title=f"{season.community.title} · {season.name}",
        text=_join(season.review_achievements, season.review_learnt, season.review_keep_doing),
        url=season.get_absolute_url(),
        date=season.review_published_at,
        community_id=season.community_id,
    )


def final_record_document(record):
    if not record.is_given:
        return None
    return Document(
        title=record.community.title,
        text=_join(record.achievements, record.lessons, record.thanks, record.continues),
        url=reverse("library:legacy", args=[record.community.slug]),
        date=record.given_at,
        community_id=record.community_id,
        legacy=True,
    )


def story_document(story):
    return Document(
        title=story.title,
        text=_join(story.happened, story.evidence),
        url=story.get_absolute_url(),
        date=story.created_at,
        community_id=story.community_id,
    )


def survey_document(survey):
    """A survey is found once it has opened (a survey being prepared is its leads' draft)."""
    if not survey.is_open and not survey.is_closed:
        return None
    return Document(
        title=survey.title,
        text=survey.introduction,
        url=survey.get_absolute_url(),
        date=survey.updated_at,
        community_id=survey.community_id,
    )


def report_document(report):
    """A published quarterly report: what its coordinators wrote (the communities' blocks are
    found through their communities' own content)."""
    if not report.is_published:
        return None
    return Document(
        title=str(report.title),
        text=_join(report.introduction, report.highlights),
        url=report.get_absolute_url(),
        date=report.published_at or report.created_at,
    )


def register_builtin_kinds():
    from cercles.accounts.models import User
    from cercles.discussions.models import Post, Thread, ThreadKind

    from .models import SearchEntry

    def retitle_posts(thread):
        SearchEntry.objects.filter(
            kind="post", object_id__in=Post.objects.filter(thread=thread).values("id")
        ).exclude(title=thread.title).update(title=thread.title)

    register(
        SearchKind(
            "community",
            _("Communities"),
            "communities.Community",
            community_document,
            visibility.presentation_readers,
            order=10,
        )
    )
    register(
        SearchKind(
            "thread",
            _("Discussions"),
            "discussions.Thread",
            thread_document,
            visibility.discussion_readers,
            queryset=lambda: Thread.objects.select_related("community"),
            applies=lambda thread: thread.kind != ThreadKind.CODEV,
            order=20,
        )
    )
    register(
        SearchKind(
            "codev",
            _("Co-development sessions"),
            "discussions.Thread",
            thread_document,
            visibility.discussion_readers,
            queryset=lambda: Thread.objects.select_related("community"),
            applies=lambda thread: thread.kind == ThreadKind.CODEV,
            order=25,
        )
    )
    register(
        SearchKind(
            "post",
            _("Messages"),
            "discussions.Post",
            post_document,
            visibility.discussion_readers,
            queryset=lambda: Post.objects.select_related("thread__community"),
            dependents={"discussions.Thread": retitle_posts},
            order=30,
        )
    )
    register(
        SearchKind(
            "meeting",
            _("Meetings and minutes"),
            "meetings.Meeting",
            meeting_document,
            visibility.content_readers,
            queryset=lambda: _model("meetings.Meeting").objects.select_related("community"),
            order=40,
        )
    )
    register(
        SearchKind(
            "item",
            _("Library: notes, files and links"),
            "library.Item",
            item_document,
            visibility.library_readers,
            queryset=lambda: _model("library.Item").objects.select_related("community"),
            order=50,
        )
    )
    register(
        SearchKind(
            "production",
            _("Productions"),
            "library.Production",
            production_document,
            visibility.production_readers,
            queryset=lambda: _model("library.Production").objects.select_related("community"),
            order=60,
        )
    )
    register(
        SearchKind(
            "update",
            _("Progress updates"),
            "coordination.ProgressUpdate",
            update_document,
            visibility.content_readers,
            queryset=lambda: _model("coordination.ProgressUpdate").objects.select_related(
                "community"
            ),
            order=70,
        )
    )
    register(
        SearchKind(
            "season",
            _("Season reviews"),
            "seasons.Season",
            season_document,
            visibility.content_readers,
            queryset=lambda: _model("seasons.Season").objects.select_related("community"),
            order=75,
        )
    )
    register(
        SearchKind(
            "final_record",
            _("Final records"),
            "communities.FinalRecord",
            final_record_document,
            visibility.library_readers,
            queryset=lambda: _model("communities.FinalRecord").objects.select_related("community"),
            order=78,
        )
    )
    register(
        SearchKind(
            "story",
            _("Value-creation stories"),
            "reporting.ValueStory",
            story_document,
            visibility.content_readers,
            queryset=lambda: _model("reporting.ValueStory").objects.select_related("community"),
            order=72,
        )
    )
    register(
        SearchKind(
            "survey",
            _("Surveys"),
            "surveys.Survey",
            survey_document,
            visibility.community_members,
            queryset=lambda: _model("surveys.Survey").objects.select_related("community"),
            order=74,
        )
    )
    register(
        SearchKind(
            "report",
            _("Quarterly reports"),
            "reporting.QuarterlyReport",
            report_document,
            visibility.network_members,
            order=79,
        )
    )
    register(
        SearchKind(
            "person",
            _("People"),
            "accounts.User",
            person_document,
            visibility.network_members,
            queryset=lambda: User.objects.prefetch_related("skills", "themes"),
            order=80,
        )
    )


def _model(label):
    from django.apps import apps

    return apps.get_model(label)
