"""Demo notification settings: people who read their news differently.

- porteuse@demo.test, a lead: discussions and the library in a daily digest at 18:00.
- membre@demo.test: discussions in a weekly digest on Fridays, one community followed only for
  what concerns him, another muted.
- a member of the outer circle who stopped the newsletter, another who reads everything daily.
"""

from cercles.accounts.models import User

from . import audience, services
from .kinds import Delivery, Level
from .models import NotificationPreference

PORTEUSE = "porteuse@demo.test"
MEMBRE = "membre@demo.test"


def seed(stdout):
    people = {u.email: u for u in User.objects.filter(email__in=[PORTEUSE, MEMBRE])}
    if not people or NotificationPreference.objects.filter(user__in=people.values()).exists():
        stdout.write("Notification settings: already set.")
        return
    porteuse, membre = people.get(PORTEUSE), people.get(MEMBRE)
    if porteuse is not None:
        services.set_preferences(
            porteuse,
            {"discussions": Delivery.DAILY, "library": Delivery.DAILY},
            hour=18,
            weekday=0,
        )
    if membre is not None:
        places = sorted(
            audience.places_of([membre.pk]).get(membre.pk, {}).values(), key=lambda p: p.title
        )
        levels = {}
        if len(places) >= 2:
            levels = {places[0].id: Level.MINE, places[-1].id: Level.MUTE}
        services.set_preferences(
            membre,
            {"discussions": Delivery.WEEKLY, "meetings": Delivery.IMMEDIATE},
            levels=levels,
            hour=7,
            weekday=4,
        )
    others = list(
        User.objects.filter(email__endswith="@demo.test", is_coordinator=False, is_superuser=False)
        .exclude(email__in=[PORTEUSE, MEMBRE])
        .order_by("pk")[:2]
    )
    if others:
        services.set_preference(others[0], "newsletter", Delivery.OFF)
    if len(others) > 1:
        services.set_preferences(
            others[1],
            dict.fromkeys(("discussions", "meetings", "library", "plan"), Delivery.DAILY),
        )
    stdout.write("Notification settings: demo people read their news in different ways.")
