import datetime
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    """The stages of life of a community of practice (Wenger, McDermott and Snyder)."""

    POTENTIAL = "potential", _("Potential")
    COALESCING = "coalescing", _("Coalescing")
    MATURING = "maturing", _("Maturing")
    STEWARDSHIP = "stewardship", _("Stewardship")
    TRANSFORMATION = "transformation", _("Transformation")


class StageOverride(models.Model):
    """A coordinator's reading of a community's stage, when the facts tell it wrong."""

    community = models.OneToOneField(
        "communities.Community", on_delete=models.CASCADE, related_name="stage_override"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    reason = models.TextField(_("reason"), max_length=1000)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stage set by the coordinators")
        verbose_name_plural = _("stages set by the coordinators")

    def __str__(self):
        return f"{self.community} · {self.stage}"


class ValueKind(models.TextChoices):
    """The five cycles of value creation (Wenger, Trayner and de Laat, 2011)."""

    IMMEDIATE = "immediate", _("Immediate value: a useful exchange")
    POTENTIAL = "potential", _("Potential value: knowledge or contacts gained")
    APPLIED = "applied", _("Applied value: a change in my practice")
    REALISED = "realised", _("Realised value: a measurable result for my organisation or territory")
    REFRAMING = "reframing", _("Reframing value: a change in how we define success")


VALUE_SHORT_LABELS = {
    ValueKind.IMMEDIATE: pgettext_lazy("value", "Immediate"),
    ValueKind.POTENTIAL: pgettext_lazy("value", "Potential"),
    ValueKind.APPLIED: pgettext_lazy("value", "Applied"),
    ValueKind.REALISED: pgettext_lazy("value", "Realised"),
    ValueKind.REFRAMING: pgettext_lazy("value", "Reframing"),
}


class ValueStoryQuerySet(models.QuerySet):
    def featured(self):
        return self.filter(featured_at__isnull=False)

    def totals_by_kind(self):
        """{value kind: count} over the stories of this queryset, in one query."""
        rows = self.values_list("value_kind").annotate(n=models.Count("id")).order_by()
        return dict(rows)

    def counts_by_community(self, community_ids):
        """{community id: {value kind: count}} for these communities, in one query."""
        counts = {pk: dict.fromkeys(ValueKind.values, 0) for pk in community_ids}
        rows = (
            self.filter(community_id__in=list(counts))
            .values_list("community_id", "value_kind")
            .annotate(n=models.Count("id"))
            .order_by()
        )
        for community_id, kind, n in rows:
            counts[community_id][kind] = n
        return counts


class ValueStory(models.Model):
    """A member's short story of what the community changed for them."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="value_stories"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("told by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="value_stories",
    )
    title = models.CharField(_("title"), max_length=160)
    happened = models.TextField(_("what happened"), max_length=3000)
    value_kind = models.CharField(_("value"), max_length=12, choices=ValueKind.choices)
    evidence = models.TextField(_("evidence, if any"), max_length=2000, blank=True)
    featured_at = models.DateTimeField(_("featured"), null=True, blank=True, db_index=True)
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("told"), auto_now_add=True, db_index=True)

    objects = ValueStoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("value-creation story")
        verbose_name_plural = _("value-creation stories")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "-created_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reporting:stories", args=[self.community.slug]) + f"#story-{self.pk}"

    @property
    def is_featured(self):
        return self.featured_at is not None

    @property
    def value_short_label(self):
        return VALUE_SHORT_LABELS.get(self.value_kind, self.value_kind)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


def report_pdf_path(instance, filename):
    return f"reports/{instance.year}-q{instance.quarter}-{uuid.uuid4().hex[:8]}.pdf"


class QuarterlyReport(models.Model):
    """The network's quarterly report: compiled from the platform, completed by the members'
    contributions and the coordinators' introduction, then published, printed and sent."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    introduction = models.TextField(_("introduction"), max_length=10_000, blank=True)
    highlights = models.TextField(_("highlights"), max_length=10_000, blank=True)
    contributions_until = models.DateField(_("contributions open until"), null=True, blank=True)
    # What the compilation found for the whole network (opened, closed, archived, totals,
    # figures of the charts): the report reads it instead of the live tables once compiled.
    network = models.JSONField(default=dict, blank=True)
    compiled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    pdf = models.FileField(upload_to=report_pdf_path, blank=True, max_length=200)
    pdf_generated_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="one_report_per_quarter"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_1_to_4"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.is_published:
            return reverse("reporting:report", args=[self.pk])
        return reverse("reporting:report_edit", args=[self.pk])

    @property
    def title(self):
        return _("Quarterly report, Q%(quarter)s %(year)s") % {
            "quarter": self.quarter,
            "year": self.year,
        }

    @property
    def starts_on(self):
        return datetime.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def ends_on(self):
        if self.quarter == 4:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 3 * self.quarter + 1, 1) - datetime.timedelta(days=1)

    @property
    def is_draft(self):
        return self.status == ReportStatus.DRAFT

    @property
    def is_published(self):
        return self.status == ReportStatus.PUBLISHED

    @property
    def mailing_key(self):
        return f"quarterly-report:{self.pk}"

    def contributions_open(self, today=None):
        from django.utils import timezone

        today = today or timezone.localdate()
        return (
            self.is_draft
            and self.contributions_until is not None
            and (today <= self.contributions_until)
        )


class ReportBlock(models.Model):
    """A running community's part of a report: what the compilation found (a snapshot), where
    it stands, whether it is kept, and the members' contributions."""

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="blocks")
    community = models.ForeignKey(
        "communities.Community", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=160)
    position = models.PositiveIntegerField(default=0)
    included = models.BooleanField(_("in the report"), default=True)
    # Private communities show only what their lead chose to share: the compiled figures stay
    # out until the lead shares them; the accepted contributions always show.
    private = models.BooleanField(default=False)
    details_shared = models.BooleanField(_("share the compiled figures"), default=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "community"], name="one_block_per_community")
        ]

    def __str__(self):
        return self.title

    @property
    def shows_details(self):
        return not self.private or self.details_shared


class ContributionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("To read")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Not kept")


def contribution_image_path(instance, filename):
    return f"reports/contributions/{uuid.uuid4().hex[:16]}.{instance.image_extension or 'jpg'}"


class Contribution(models.Model):
    """A short piece by a lead or a member for their community's block: text and one image."""

    block = models.ForeignKey(ReportBlock, on_delete=models.CASCADE, related_name="contributions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"), max_length=3000)
    image = models.FileField(_("image"), upload_to=contribution_image_path, blank=True)
    image_alt = models.CharField(_("description of the image"), max_length=200, blank=True)
    image_extension = models.CharField(max_length=5, blank=True)
    status = models.CharField(
        max_length=10, choices=ContributionStatus.choices, default=ContributionStatus.SUBMITTED
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:60]

    @property
    def is_accepted(self):
        return self.status == ContributionStatus.ACCEPTED
