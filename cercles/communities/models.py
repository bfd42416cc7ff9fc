import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cercles.core.models import GeneratedArchive, TimeStampedModel
from cercles.taxonomy.choices import ObjectiveType  # noqa: F401  (re-exported for the app)

from .lifecycle import PUBLISHED_STATES, State


class Kind(models.TextChoices):
    THEMATIC = "thematic", _("Thematic: gathered by a shared theme")
    TERRITORIAL = "territorial", _("Territorial: gathered by a shared territory")


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private: content for members only")
    NETWORK = "network", _("Network: content readable by every member of the network")
    PUBLIC = "public", _("Public: presentation and productions readable by anyone")


class ProductionKind(models.TextChoices):
    PUBLICATION = "publication", _("Publication")
    WORKSHOP = "workshop", _("Workshop")
    TOOL = "tool", _("Tool")
    EVENT = "event", _("Event")
    OTHER = "other", _("Other")


class CommunityQuerySet(models.QuerySet):
    def published(self):
        """Communities that went through review and are shown in the catalogue."""
        return self.filter(state__in=PUBLISHED_STATES, is_leads_circle=False)

    def visible_to(self, user):
        """Communities whose presentation the person may see; anything else answers 404."""
        if user.is_authenticated and (user.is_coordinator or user.is_superuser):
            return self
        if not user.is_authenticated:
            return self.published().filter(visibility=Visibility.PUBLIC)
        from .access import extra_community_ids

        if getattr(user, "is_guest", False):
            # A third-party guest sees the communities they were invited to, and what visitors see.
            condition = Q(state__in=PUBLISHED_STATES, visibility=Visibility.PUBLIC)
            for ids in extra_community_ids(user):
                condition |= Q(pk__in=ids)
            return self.filter(condition)
        # A sub-query rather than a join: no DISTINCT over every community row. Its members
        # keep seeing a community whose framing goes back to review (evolve, reopening).
        mine = Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE).values(
            "community_id"
        )
        return self.filter(Q(state__in=PUBLISHED_STATES) | Q(pk__in=mine))

    def for_listing(self):
        return self.select_related("lead").prefetch_related("themes", "territories")


class Community(TimeStampedModel):
    """A community of practice and its framing (cadrage)."""

    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("address"), max_length=180, unique=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        on_delete=models.PROTECT,
        related_name="led_communities",
    )

    # Framing (DESIGN §2.1). Blank is allowed so a draft can be saved incomplete; submission checks.
    problem_statement = models.TextField(_("problem statement"), blank=True)
    positioning = models.TextField(_("positioning"), blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    themes = models.ManyToManyField(
        "taxonomy.Theme", verbose_name=_("themes"), blank=True, related_name="communities"
    )
    territories = models.ManyToManyField(
        "taxonomy.Territory", verbose_name=_("territories"), blank=True, related_name="communities"
    )
    objective_types = models.JSONField(_("objective types"), default=list, blank=True)
    expected_production_kinds = models.JSONField(
        _("expected productions"), default=list, blank=True
    )
    expected_productions = models.TextField(_("expected productions, in detail"), blank=True)
    target_size_min = models.PositiveSmallIntegerField(_("minimum size"), default=5)
    target_size_max = models.PositiveSmallIntegerField(_("maximum size"), default=20)
    start_date = models.DateField(_("planned start"), null=True, blank=True)
    end_date = models.DateField(_("planned end"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("planned duration (months)"), null=True, blank=True
    )
    # Seed 002 proposes a determined lifetime as the default; a community may choose not to.
    open_ended = models.BooleanField(
        _("open-ended (no planned end)"),
        default=False,
        help_text=_(
            "A planned lifetime is suggested: it helps members commit and the community end on a "
            "positive note. Tick this if the community is meant to go on without a planned end."
        ),
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.NETWORK
    )
    requires_approval = models.BooleanField(
        _("joining requires the lead's approval"), default=False
    )

    # Optional parts, now or later (seed 000: "to keep flexibility and not overload the lead").
    action_plan = models.TextField(_("action plan and timeline"), blank=True)
    support_needs = models.TextField(_("support needs"), blank=True)

    next_steps = models.TextField(_("next steps"), blank=True)
    next_steps_updated_at = models.DateTimeField(null=True, blank=True)

    # Kept by the services (refresh_member_count) so that pages need no aggregate: active
    # members in all, and per circle ({role: count}).
    member_count = models.PositiveIntegerField(default=0)
    members_per_circle = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, db_index=True)

    # Seasons (issue 13): none means one season for the whole life.
    season_months = models.PositiveSmallIntegerField(
        _("length of a season (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to run the community in one season for its whole life."),
    )
    # Closing and archiving: the day it closed (or was dissolved), and how many days later it is
    # archived (set by the coordinators; 0 archives it at once).
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    archive_grace_days = models.PositiveSmallIntegerField(
        _("days before archiving"),
        default=30,
        help_text=_("Once closed, the community stays writable for its last records this long."),
    )

    # The leads' circle (issue 14): a network-level space of the leads and co-leads, kept in
    # sync by the coordination app; never listed in the catalogue.
    is_leads_circle = models.BooleanField(default=False, editable=False)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["title"]
        indexes = [models.Index(fields=["state", "visibility"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("communities:detail", args=[self.slug])

    @property
    def is_published(self):
        return self.state in PUBLISHED_STATES

    @property
    def is_archived(self):
        return self.state == State.ARCHIVED

    @property
    def archive_due_on(self):
        """The day the archiving job archives a closed or dissolved community."""
        if self.closed_on is None or self.state not in (State.CLOSED, State.DISSOLVED):
            return None
        return self.closed_on + datetime.timedelta(days=self.archive_grace_days)

    @property
    def is_recruiting(self):
        return self.state in (State.OPEN, State.ACTIVE) and self.member_count < self.target_size_max

    @property
    def joining_needs_approval(self):
        """Private communities and those whose lead asked for it answer requests to join."""
        return self.requires_approval or self.visibility == Visibility.PRIVATE

    @property
    def size_warning(self):
        if self.member_count < self.target_size_min:
            return "below"
        if self.member_count > self.target_size_max:
            return "above"
        return ""

    def objective_type_labels(self):
        labels = dict(ObjectiveType.choices)
        return [labels[v] for v in self.objective_types if v in labels]

    def expected_production_labels(self):
        labels = dict(ProductionKind.choices)
        return [labels[v] for v in self.expected_production_kinds if v in labels]


class Milestone(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=160)
    due_date = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done = models.BooleanField(_("reached"), default=False)
    # Set when the "due in 3 days" reminder went out; cleared when the date changes.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "id"]

    def __str__(self):
        return self.title

    def is_overdue(self, today):
        return not self.done and self.due_date < today


class Partnership(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="partnerships")
    partner = models.CharField(_("partner"), max_length=160)
    contribution = models.CharField(_("contribution"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["id"]

    def __str__(self):
        return self.partner


class BudgetLine(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="budget_lines")
    label = models.CharField(_("label"), max_length=160)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["id"]

    def __str__(self):
        return f"{self.label}: {self.amount} {self.currency}"


class Role(models.TextChoices):
    LEAD = "lead", _("Lead")
    CO_LEAD = "co_lead", _("Co-lead")
    CORE = "core", _("Core group")
    INNER = "inner", _("Inner circle")
    OUTER = "outer", _("Outer circle")


# Roles from the centre outwards, for "members by circle".
ROLE_ORDER = [Role.LEAD, Role.CO_LEAD, Role.CORE, Role.INNER, Role.OUTER]
LEADING_ROLES = {Role.LEAD, Role.CO_LEAD}


def circle_rank():
    """A membership's circle as a number, the centre (lead) first: lists of members are sorted by
    it, and the index below is built on the very same expression so that such a list of a
    community of thousands is read in order from the index, a page at a time."""
    return models.Case(
        *(
            models.When(role=role, then=models.Value(position))
            for position, role in enumerate(ROLE_ORDER)
        ),
        output_field=models.IntegerField(),
    )


class Involvement(models.TextChoices):
    ACTIVE = "active", _("Active contributor")
    OCCASIONAL = "occasional", _("Occasional contributor")
    OBSERVER = "observer", _("Observer")


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Request waiting for an answer")
    ACTIVE = "active", _("Member")
    DECLINED = "declined", _("Request declined")
    LEFT = "left", _("Left")
    REMOVED = "removed", _("Removed")


def support_letter_upload_to(instance, filename):
    import os
    import uuid

    extension = os.path.splitext(filename)[1].lower()
    return f"support/{instance.community_id}/{uuid.uuid4().hex}{extension}"


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=MembershipStatus.ACTIVE)

    def pending(self):
        return self.filter(status=MembershipStatus.PENDING)


class Membership(TimeStampedModel):
    """A person's place in one community: role, declared objective and involvement."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.OUTER)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    objective = models.TextField(_("what I expect from this community"), blank=True)
    involvement = models.CharField(
        _("involvement"), max_length=12, choices=Involvement.choices, default=Involvement.OCCASIONAL
    )
    request_message = models.TextField(_("message to the lead"), blank=True)
    answer_message = models.TextField(_("answer"), blank=True)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(_("reason"), blank=True)
    # Seed 002: the "têtes de réseaux" who help recruit; named by the lead, they may invite
    # people on the community's behalf.
    is_relay = models.BooleanField(_("relay"), default=False)
    # Seed 001: "le cas échéant, obtenir le soutien de la direction". Who in the member's
    # organisation supports their participation, with an optional letter.
    support_from = models.CharField(
        _("who supports my participation"),
        max_length=200,
        blank=True,
        help_text=_("For example: Awa Diop, director of the Fédération des comités."),
    )
    support_letter = models.FileField(
        _("letter of support"), upload_to=support_letter_upload_to, blank=True, max_length=200
    )
    support_letter_name = models.CharField(max_length=200, blank=True)
    support_recorded_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    @property
    def has_support(self):
        return bool(self.support_from)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="one_membership_per_person")
        ]
        indexes = [
            models.Index(fields=["user", "status"]),
            # Circles of a community, each in order of seniority (community home).
            models.Index(
                fields=["community", "status", "role", "joined_at", "id"],
                name="membership_circles",
            ),
            # All of a community's members from the centre outwards (members page).
            models.Index(
                "community",
                "status",
                circle_rank(),
                "joined_at",
                "id",
                name="membership_circle_order",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.community} ({self.role})"

    @property
    def is_active(self):
        return self.status == MembershipStatus.ACTIVE

    @property
    def is_former(self):
        return self.status in (MembershipStatus.LEFT, MembershipStatus.REMOVED)


class KeyPersonStatus(models.TextChoices):
    TO_CONTACT = "to_contact", _("To contact")
    MET = "met", _("Met")
    JOINED = "joined", _("Joined")
    DECLINED = "declined", _("Declined")


class KeyPerson(TimeStampedModel):
    """Someone the lead means to approach while recruiting (seeds 001 and 002): a partner who
    plays a key role, in the network or outside, with why and where things stand."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="key_people")
    name = models.CharField(_("name"), max_length=120)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member of the network"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    reason = models.CharField(_("why approach them"), max_length=300)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=KeyPersonStatus.choices,
        default=KeyPersonStatus.TO_CONTACT,
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("key person")
        verbose_name_plural = _("key people")
        ordering = ["status", "name", "id"]

    def __str__(self):
        return self.name


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class Invitation(TimeStampedModel):
    """An invitation to join a community, or to become its co-lead."""

    class Purpose(models.TextChoices):
        MEMBER = "member", _("Join the community")
        CO_LEAD = "co_lead", _("Become co-lead")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.MEMBER)
    email = models.EmailField(_("email address"))
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="community_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("message"), blank=True)
    # Known beforehand when the invitation comes from an imported list of members.
    name = models.CharField(_("name"), max_length=120, blank=True)
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    objective = models.TextField(_("what they expect from this community"), blank=True)
    involvement = models.CharField(
        _("involvement"), max_length=12, choices=Involvement.choices, blank=True
    )
    token = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "email", "purpose"],
                condition=Q(status="pending"),
                name="one_pending_invitation_per_address",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.community}"


class StateChange(models.Model):
    """The history of a community's lifecycle: who moved it, when and why."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="state_changes")
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.community}: {self.from_state} → {self.to_state}"


class FramingVersion(models.Model):
    """A frozen copy of the framing as submitted for review; versions are diffed for reviewers."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="framing_versions"
    )
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["community", "number"]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="unique_version_number")
        ]

    def __str__(self):
        return f"{self.community} v{self.number}"


class Decision(models.TextChoices):
    VALIDATE = "validate", _("Validate")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    DECLINE = "decline", _("Decline")


DECISION_OUTCOMES = {
    Decision.VALIDATE: _("Validated"),
    Decision.REQUEST_CHANGES: _("Changes requested"),
    Decision.DECLINE: _("Declined"),
}


class Review(models.Model):
    """A coordinator's decision on one submitted version, with the checklist and comments."""

    version = models.OneToOneField(FramingVersion, on_delete=models.CASCADE, related_name="review")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    checklist = models.JSONField(default=dict)
    field_comments = models.JSONField(default=dict, blank=True)
    comment = models.TextField(_("comment to the lead"), blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.version}: {self.decision}"

    @property
    def outcome_label(self):
        """The decision as an outcome ("Validated"), where `get_decision_display` is a verb."""
        return DECISION_OUTCOMES[self.decision]


class TaskStatus(models.TextChoices):
    TODO = "todo", _("To do")
    DOING = "doing", _("In progress")
    DONE = "done", _("Done")


class Task(TimeStampedModel):
    """A step of the action plan, under one milestone, carried by one member."""

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("title"), max_length=160)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.TODO
    )
    # Set when the "due in 3 days" reminder went out; cleared when the date changes.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when a member took the task themselves ("je m'en occupe"), for the lead to see;
    # cleared when someone else is put in charge.
    volunteered_at = models.DateTimeField(_("volunteered"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = [models.F("due_date").asc(nulls_last=True), "id"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return self.title

    @property
    def done(self):
        return self.status == TaskStatus.DONE

    def is_overdue(self, today):
        return not self.done and self.due_date is not None and self.due_date < today


class CommunityExport(GeneratedArchive):
    """A ZIP of a community's content asked for by a lead or a coordinator, built by a job."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_exports"
    )

    class Meta:
        verbose_name = _("community export")
        verbose_name_plural = _("community exports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"export of {self.community_id} ({self.status})"


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Waiting for confirmation")
    SENDING = "sending", _("Invitations being sent")
    DONE = "done", _("Invitations sent")
    CANCELLED = "cancelled", _("Cancelled")


class MemberImport(TimeStampedModel):
    """A list of people to invite, read from a CSV or XLSX file: previewed line by line, then,
    once confirmed, invited by a job. `rows` keeps each line with what will happen to it (and,
    once sent, what happened)."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="member_imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(_("file"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    rows = models.JSONField(default=list)
    message = models.TextField(_("message to the people invited"), blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import of members")
        verbose_name_plural = _("imports of members")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.filename} → {self.community_id}"


class FinalRecord(TimeStampedModel):
    """What a community leaves when it ends: what was achieved, its lessons, its thanks, what
    continues. Written on the closing page; kept in the network library with the legacy."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="final_record"
    )
    dissolved = models.BooleanField(_("dissolved"), default=False)
    achievements = models.TextField(_("what we achieved"), blank=True)
    lessons = models.TextField(_("lessons for the network"), blank=True)
    thanks = models.TextField(_("thanks"), blank=True)
    continues = models.TextField(
        _("what continues"),
        blank=True,
        help_text=_("For example: a new community is proposed, a partner carries on the work."),
    )
    continued_by = models.ForeignKey(
        Community,
        verbose_name=_("community that carries on"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="continues_from",
    )
    reason = models.TextField(_("reason for dissolving"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set once "what we achieved" is written: a dissolution decided by the coordinators may
    # leave it to the lead, who is reminded until it is done.
    given_at = models.DateTimeField(_("given"), null=True, blank=True)

    class Meta:
        verbose_name = _("final record")
        verbose_name_plural = _("final records")

    def __str__(self):
        return str(self.community)

    @property
    def is_given(self):
        return self.given_at is not None


class HealthDecision(models.TextChoices):
    CONTINUE = "continue", _("Continue")
    EVOLVE = "evolve", _("Evolve: revise the framing and submit it again")
    DISSOLVE = "dissolve", _("Dissolve")


class Rating(models.TextChoices):
    OK = "ok", _("OK")
    WATCH = "watch", _("To watch")
    PROBLEM = "problem", _("Problem")


class HealthReviewQuerySet(models.QuerySet):
    def latest_per_community(self, communities):
        """{community id: its latest review}, in one query."""
        reviews = self.filter(community__in=communities).order_by(
            "community_id", "-created_at", "-id"
        )
        latest = {}
        for review in reviews.select_related("author"):
            latest.setdefault(review.community_id, review)
        return latest


class HealthReview(TimeStampedModel):
    """The core group's check of the community's health (the GIZ checklist of seed 001), every
    four months and at each season's end, ending in a decision."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="health_reviews"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filled by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # {criterion: {"rating": ok|watch|problem, "comment": "…"}}
    ratings = models.JSONField(_("ratings"), default=dict)
    # What the platform knew beside each criterion when the review was filled, as text.
    facts = models.JSONField(default=dict, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=HealthDecision.choices)
    comment = models.TextField(_("why this decision"), blank=True)

    objects = HealthReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("health review")
        verbose_name_plural = _("health reviews")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "-created_at"])]

    def __str__(self):
        return f"{self.community} · {self.created_at:%Y-%m-%d}"

    def rating_counts(self):
        counts = dict.fromkeys(Rating.values, 0)
        for value in self.ratings.values():
            if value.get("rating") in counts:
                counts[value["rating"]] += 1
        return counts
