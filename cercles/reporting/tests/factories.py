import factory

from cercles.communities.tests.factories import CommunityFactory
from cercles.reporting.models import ValueKind, ValueStory


class ValueStoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ValueStory

    community = factory.SubFactory(CommunityFactory)
    author = factory.LazyAttribute(lambda s: s.community.lead)
    title = factory.Sequence(lambda n: f"Une réponse utile {n}")
    happened = "Deux membres m'ont aidé à réparer la pompe."
    value_kind = ValueKind.IMMEDIATE
