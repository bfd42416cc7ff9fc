"""Writes of reporting, whoever calls them: stories (`tell_story`, `feature_story`,
`delete_story`), the stage (`override_stage`, `clear_stage_override`) and the quarterly report
(see `reports.py` for its compilation)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cercles.communities.archive import ensure_writable
from cercles.core.audit import record_event

from .models import Stage, StageOverride, ValueStory


def _require(actor, permission, obj=None):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


@transaction.atomic
def tell_story(actor, community, *, title, happened, value_kind, evidence=""):
    ensure_writable(community)
    _require(actor, "reporting.tell_story", community)
    story = ValueStory(
        community=community,
        author=actor,
        title=title.strip(),
        happened=happened.strip(),
        value_kind=value_kind,
        evidence=evidence.strip(),
    )
    story.full_clean()
    story.save()
    record_event(actor, "story.told", story, community=community.pk)
    return story


@transaction.atomic
def feature_story(actor, story, *, featured=True):
    """Feature a story (it goes into the quarterly report and the celebration page), or stop."""
    _require(actor, "reporting.feature_story", story.community)
    story = ValueStory.objects.select_for_update().get(pk=story.pk)
    if featured and story.featured_at is None:
        story.featured_at = timezone.now()
        story.featured_by = actor
    elif not featured:
        story.featured_at = None
        story.featured_by = None
    story.save(update_fields=["featured_at", "featured_by"])
    record_event(actor, "story.featured" if featured else "story.unfeatured", story)
    return story


@transaction.atomic
def delete_story(actor, story):
    _require(actor, "reporting.delete_story", story)
    record_event(actor, "story.deleted", story, title=story.title)
    story.delete()


@transaction.atomic
def override_stage(actor, community, *, stage, reason):
    """Set the stage a coordinator reads, with the reason (required)."""
    _require(actor, "reporting.override_stage", community)
    reason = (reason or "").strip()
    errors = {}
    if stage not in Stage.values:
        errors["stage"] = _("Choose one of the stages.")
    if not reason:
        errors["reason"] = _("Say why the facts tell the stage wrong.")
    if errors:
        raise ValidationError(errors)
    override, _created = StageOverride.objects.update_or_create(
        community=community, defaults={"stage": stage, "reason": reason, "set_by": actor}
    )
    record_event(actor, "stage.overridden", community, stage=stage, reason=reason)
    return override


@transaction.atomic
def clear_stage_override(actor, community):
    _require(actor, "reporting.override_stage", community)
    deleted, _rows = StageOverride.objects.filter(community=community).delete()
    if deleted:
        record_event(actor, "stage.override_cleared", community)
    return bool(deleted)
