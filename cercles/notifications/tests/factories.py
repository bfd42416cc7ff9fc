import factory

from cercles.accounts.tests.factories import UserFactory
from cercles.notifications.models import Notification, NotificationPreference


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    actor = factory.SubFactory(UserFactory)
    kind = "community.submitted"
    url = "/people/"
    params = factory.LazyAttribute(
        lambda o: {"actor": o.actor.name if o.actor else "Cercles", "community": "Eau au Sahel"}
    )


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory)
    group = "reviews"
    delivery = "in_app"
