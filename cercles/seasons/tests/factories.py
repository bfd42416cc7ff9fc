import datetime

import factory
from django.utils import timezone

from cercles.communities.health import CRITERIA_KEYS
from cercles.communities.tests.factories import CommunityFactory

from ..models import Objective, Season


class SeasonFactory(factory.django.DjangoModelFactory):
    """A season running now, from 60 days ago to 120 days ahead."""

    class Meta:
        model = Season

    community = factory.SubFactory(CommunityFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Saison {n + 1}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=120))


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    season = factory.SubFactory(SeasonFactory)
    title = factory.Sequence(lambda n: f"Objectif {n}")


def ended_season(community, **fields):
    today = timezone.localdate()
    fields = {
        "starts_on": today - datetime.timedelta(days=200),
        "ends_on": today - datetime.timedelta(days=1),
        **fields,
    }
    return SeasonFactory(community=community, **fields)


def all_ratings(rating="ok"):
    return {key: {"rating": rating, "comment": ""} for key in CRITERIA_KEYS}


def health_post(rating="ok", decision="continue", comment=""):
    data = {"decision": decision, "comment": comment}
    for key in CRITERIA_KEYS:
        data[f"{key}_rating"] = rating
        data[f"{key}_comment"] = ""
    return data
