import datetime

import factory
from django.utils import timezone

from cercles.accounts.tests.factories import UserFactory
from cercles.communities import services
from cercles.communities.lifecycle import State
from cercles.communities.models import (
    Community,
    Involvement,
    Membership,
    MembershipStatus,
    Milestone,
    Role,
    Visibility,
)
from cercles.taxonomy.models import Theme


class CommunityFactory(factory.django.DjangoModelFactory):
    """A community with its lead's membership; `state` defaults to active, framing complete."""

    class Meta:
        model = Community
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Eau et assainissement {n}")
    slug = factory.Sequence(lambda n: f"eau-et-assainissement-{n}")
    state = State.ACTIVE
    visibility = Visibility.NETWORK
    lead = factory.SubFactory(UserFactory)
    problem_statement = "Les forages ruraux tombent en panne faute d'entretien."
    positioning = "Partager les pratiques de gestion communautaire de l'eau."
    purpose = "Produire un guide de gestion des points d'eau par les comités villageois."
    kind = "thematic"
    objective_types = factory.LazyFunction(lambda: ["exchange", "solutions"])
    expected_production_kinds = factory.LazyFunction(lambda: ["publication"])
    start_date = factory.LazyFunction(lambda: timezone.localdate())
    end_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))
    member_count = 1
    members_per_circle = factory.LazyFunction(lambda: {Role.LEAD.value: 1})

    @factory.post_generation
    def lead_membership(self, create, extracted, **kwargs):
        if create:
            Membership.objects.get_or_create(
                community=self,
                user=self.lead,
                defaults={
                    "role": Role.LEAD,
                    "involvement": Involvement.ACTIVE,
                    "joined_at": timezone.now(),
                },
            )

    @factory.post_generation
    def with_framing(self, create, extracted, **kwargs):
        if create and extracted is not False:
            self.themes.add(Theme.objects.get(slug="odd-6"))
            Milestone.objects.create(
                community=self,
                title="Atelier de lancement",
                due_date=timezone.localdate() + datetime.timedelta(days=30),
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    community = factory.SubFactory(CommunityFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.INNER
    status = MembershipStatus.ACTIVE
    involvement = Involvement.ACTIVE
    objective = "Apprendre des autres comités de gestion."
    joined_at = factory.LazyFunction(timezone.now)


def add_member(community, role=Role.INNER, status=MembershipStatus.ACTIVE, user=None):
    membership = MembershipFactory(
        community=community, role=role, status=status, **({"user": user} if user else {})
    )
    services.refresh_member_count(community)
    community.__dict__.pop("_membership_cache", None)
    return membership
