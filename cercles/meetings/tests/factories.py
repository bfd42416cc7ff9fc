import datetime

import factory
from django.utils import timezone

from cercles.communities.tests.factories import CommunityFactory
from cercles.meetings.models import Meeting, MeetingKind


class MeetingFactory(factory.django.DjangoModelFactory):
    """A regular meeting in a week, one and a half hours, in person and online."""

    class Meta:
        model = Meeting

    community = factory.SubFactory(CommunityFactory)
    kind = MeetingKind.REGULAR
    title = factory.Sequence(lambda n: f"Rencontre mensuelle {n}")
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=7)).replace(microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + datetime.timedelta(minutes=90))
    time_zone = "Africa/Niamey"
    place = "Maison des associations, Niamey"
    online_url = "https://visio.example.org/eau-sahel"
    agenda = "1. Tour de table\n2. Retours des comités"
    created_by = factory.LazyAttribute(lambda m: m.community.lead)


def past(meeting_factory=MeetingFactory, days=2, **kwargs):
    """A meeting that started `days` ago (the factories may write the past; services may not)."""
    starts = timezone.now() - datetime.timedelta(days=days)
    return meeting_factory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), **kwargs)
