from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cercles.core.models import TimeStampedModel


class Subject(models.TextChoices):
    METHOD = "method", _("Method")
    FACILITATION = "facilitation", _("Facilitation")
    THEME = "theme", _("The theme")
    PRODUCTION = "production", _("Production")
    PARTNERSHIPS = "partnerships", _("Partnerships")
    FUNDING = "funding", _("Funding")
    OTHER = "other", _("Other")


class Scope(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual: for the lead and co-lead")
    COLLECTIVE = "collective", _("Collective: for the whole community")


class Urgency(models.TextChoices):
    LOW = "low", _("Not urgent")
    NORMAL = "normal", _("Within the month")
    HIGH = "high", _("Urgent")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a mentor")
    ACCOMPANIED = "accompanied", _("Accompanied")
    CLOSED = "closed", _("Closed")


class SupportNeed(TimeStampedModel):
    """A need for accompaniment declared by a community's lead or co-lead (from the framing's
    "support needs" or at any time)."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="mentoring_needs"
    )
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    scope = models.CharField(
        _("for whom"), max_length=12, choices=Scope.choices, default=Scope.INDIVIDUAL
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    description = models.TextField(_("what help is needed"), max_length=3000)
    status = models.CharField(
        _("status"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("support need")
        verbose_name_plural = _("support needs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self):
        return f"{self.community} · {self.get_subject_display()}"

    def get_absolute_url(self):
        return reverse("mentoring:need", args=[self.community.slug, self.pk])


class MentorKind(models.TextChoices):
    PEER = "peer", _("A member of the network")
    COORDINATOR = "coordinator", _("A coordinator")
    THIRD_PARTY = "third_party", _("A third party")


class MentorshipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


class Mentorship(models.Model):
    """A mentor assigned to a need by a coordinator, from the assignment to the closing
    assessment."""

    need = models.ForeignKey(SupportNeed, on_delete=models.CASCADE, related_name="mentorships")
    # Denormalised from the need: every access check reads it.
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="mentorships"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.CASCADE,
        related_name="mentorships",
    )
    kind = models.CharField(_("kind of mentor"), max_length=12, choices=MentorKind.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    assessment = models.TextField(_("closing assessment"), blank=True, max_length=3000)

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        ordering = ["assigned_at", "id"]
        indexes = [models.Index(fields=["mentor", "ended_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "mentor"],
                condition=models.Q(ended_at__isnull=True),
                name="one_current_mentorship_per_mentor_and_need",
            )
        ]

    def __str__(self):
        return f"{self.mentor} → {self.need}"

    @property
    def is_current(self):
        return self.ended_at is None


class SessionFormat(models.TextChoices):
    REMOTE = "remote", _("Remote")
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    WRITTEN = "written", _("In writing")


class MentoringSession(models.Model):
    """One session of an accompaniment, logged by its mentor; read by the lead, the co-lead and
    the coordinators."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    format = models.CharField(_("format"), max_length=12, choices=SessionFormat.choices)
    notes = models.TextField(_("notes"), max_length=5000)
    next_steps = models.TextField(_("agreed next steps"), max_length=3000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.mentorship} · {self.held_on}"


class MentorProfile(models.Model):
    """What a person of the network offers as a mentor, shown on their profile."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="mentor_profile",
    )
    available = models.BooleanField(_("available to mentor"), default=False)
    subjects = models.JSONField(_("subjects I can help with"), default=list, blank=True)
    note = models.CharField(_("in a few words"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")

    def __str__(self):
        return f"mentor profile of {self.user_id}"

    def subject_labels(self):
        labels = dict(Subject.choices)
        return [labels[s] for s in self.subjects if s in labels]
