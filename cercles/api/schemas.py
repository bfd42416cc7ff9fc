"""What the API answers: plain JSON of the objects a person may see."""

import datetime

from django.urls import reverse
from ninja import Field, Schema


def absolute(context, path):
    request = (context or {}).get("request")
    return request.build_absolute_uri(path) if request is not None else path


class Label(Schema):
    slug: str
    name: str


class Person(Schema):
    name: str = Field(..., description="As shown on the site; “former member” once deleted.")


class CommunityOut(Schema):
    slug: str
    title: str
    state: str
    state_label: str = Field(..., alias="get_state_display")
    kind: str
    visibility: str
    purpose: str
    member_count: int
    target_size_min: int
    target_size_max: int
    is_recruiting: bool
    joining_needs_approval: bool
    lead: Person
    themes: list[Label]
    territories: list[Label]
    url: str

    @staticmethod
    def resolve_themes(obj):
        return [{"slug": t.slug, "name": t.name} for t in obj.themes.all()]

    @staticmethod
    def resolve_territories(obj):
        return [{"slug": t.slug, "name": t.name} for t in obj.territories.all()]

    @staticmethod
    def resolve_url(obj, context):
        return absolute(context, obj.get_absolute_url())


class MyMembership(Schema):
    role: str
    status: str
    involvement: str


class CommunityDetailOut(CommunityOut):
    problem_statement: str
    positioning: str
    objective_types: list[str]
    expected_production_kinds: list[str]
    start_date: datetime.date | None
    end_date: datetime.date | None
    next_steps: str | None = Field(None, description="For those who may read the content.")
    my_membership: MyMembership | None = None


class MeetingOut(Schema):
    id: int
    title: str
    kind: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    time_zone: str
    place: str
    online_url: str
    agenda: str
    cancelled: bool
    my_answer: str | None = Field(None, description="yes, maybe or no; null if not answered.")
    url: str
    ics_url: str = Field(..., description="The meeting as an iCalendar file.")

    @staticmethod
    def resolve_cancelled(obj):
        return obj.cancelled_at is not None

    @staticmethod
    def resolve_my_answer(obj):
        return getattr(obj, "my_answer", None)

    @staticmethod
    def resolve_url(obj, context):
        return absolute(context, reverse("meetings:detail", args=[obj.community.slug, obj.pk]))

    @staticmethod
    def resolve_ics_url(obj, context):
        return absolute(context, reverse("meetings:ics", args=[obj.community.slug, obj.pk]))


class CommunityRef(Schema):
    slug: str
    title: str


class ProductionOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    audience: str
    shared_with: str = Field(
        ..., description="Who reads it beyond a private community: community, network or public."
    )
    summary: str
    due_date: datetime.date | None
    delivered_at: datetime.datetime | None
    link: str = Field(..., alias="url")
    has_file: bool
    community: CommunityRef
    url: str = Field(..., description="The production's page.")

    @staticmethod
    def resolve_has_file(obj):
        return bool(obj.file)

    @staticmethod
    def resolve_url(obj, context):
        return absolute(
            context, reverse("library:production_detail", args=[obj.community.slug, obj.pk])
        )


class ThreadOut(Schema):
    id: int
    kind: str
    title: str
    post_count: int
    pinned: bool
    locked: bool
    created_at: datetime.datetime
    last_activity_at: datetime.datetime
    url: str

    @staticmethod
    def resolve_url(obj, context):
        return absolute(context, reverse("discussions:thread", args=[obj.community.slug, obj.pk]))


class ReplyIn(Schema):
    body: str = Field(..., min_length=1, max_length=20000, description="Markdown.")
    quoted_id: int | None = Field(None, description="A post of the same thread to quote.")


class PostOut(Schema):
    id: int
    thread_id: int
    kind: str
    body: str
    created_at: datetime.datetime
    url: str

    @staticmethod
    def resolve_url(obj, context):
        return absolute(
            context, reverse("discussions:post", args=[obj.thread.community.slug, obj.pk])
        )


class JoinIn(Schema):
    objective: str = Field(..., min_length=1, max_length=2000)
    involvement: str = Field("occasional", description="active, occasional or observer.")
    message: str = Field("", max_length=2000, description="To the lead, when asking to join.")


class MembershipOut(Schema):
    community: str = Field(..., description="The community's slug.")
    role: str
    status: str = Field(..., description="active, or pending when the lead must approve.")
    involvement: str
    objective: str

    @staticmethod
    def resolve_community(obj):
        return obj.community.slug


class RsvpIn(Schema):
    answer: str = Field(..., description="yes, maybe or no.")


class RsvpOut(Schema):
    meeting_id: int
    answer: str


class NotificationOut(Schema):
    id: int
    kind: str
    message: str
    note: str
    actor: str | None
    link: str | None
    created_at: datetime.datetime
    read_at: datetime.datetime | None

    @staticmethod
    def resolve_actor(obj):
        return obj.params.get("actor")

    @staticmethod
    def resolve_link(obj, context):
        return absolute(context, obj.url) if obj.url else None


class ReadAllOut(Schema):
    marked_read: int


class MeOut(Schema):
    username: str
    name: str
    email: str
    organisation: str
    language: str
    is_coordinator: bool
    authenticated_by: str = Field(..., description="token or session.")
    token_scope: str | None = None


class ProblemType(Schema):
    type: str
    title: str
    status: int
    description: str
