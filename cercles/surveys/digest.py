"""The surveys' part of the digests and of the newsletter's personal part: open surveys of a
person's communities that still wait for their answer."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cercles.notifications.sections import Item, register_digest_section, register_personal_section

from .models import Participation, Status, Survey


def _waiting_surveys(batch, opened_since=None):
    """{person: [Item]} — two queries for the whole batch (surveys, then who answered them)."""
    surveys = Survey.objects.filter(community_id__in=batch.community_ids, status=Status.OPEN)
    if opened_since is not None:
        surveys = surveys.filter(opened_at__gt=opened_since, opened_at__lte=batch.until)
    surveys = list(surveys.select_related("community").order_by("closes_on", "pk"))
    if not surveys:
        return {}
    answered = set(
        Participation.objects.filter(
            survey__in=surveys, user__in=[reader.user.pk for reader in batch.readers]
        ).values_list("survey_id", "user_id")
    )
    found = {}
    for reader in batch.readers:
        for survey in surveys:
            if survey.community_id not in reader.community_ids:
                continue
            if (survey.pk, reader.user.pk) in answered:
                continue
            if opened_since is not None and reader.since and survey.opened_at <= reader.since:
                continue
            found.setdefault(reader.user.pk, []).append(
                Item(
                    title=str(survey.display_title),
                    url=reverse("surveys:detail", args=[survey.community.slug, survey.pk]),
                    community=survey.community.title,
                    detail=_("Open until %(date)s")
                    % {"date": date_format(survey.closes_on, "DATE_FORMAT")},
                )
            )
    return found


def surveys_opened(batch):
    """Digest: surveys opened during the period that the reader has not answered yet."""
    return _waiting_surveys(batch, opened_since=batch.since)


def surveys_waiting(batch):
    """Personal part: every open survey of my communities still waiting for my answer."""
    return _waiting_surveys(batch)


def register():
    register_digest_section(
        "surveys.opened", _("Surveys to answer"), surveys_opened, group="surveys", order=60
    )
    register_personal_section(
        "surveys.waiting", _("Surveys waiting for my answer"), surveys_waiting, order=40
    )
