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
