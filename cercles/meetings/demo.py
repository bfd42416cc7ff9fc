"""Demo meetings: past ones with attendance and minutes (a kick-off with its formula), upcoming
ones with answers, and a kick-off waiting to be held in an open community.

Upcoming meetings are planned through the services. Past ones cannot be (planning refuses the
past), so they are written as history, then their attendance and minutes go through the services.
"""

import datetime
import random
import zoneinfo

from django.utils import timezone

from cercles.communities.models import Community, MembershipStatus, Role

from . import services
from .models import RSVP, Answer, Meeting, MeetingKind

# slug → (organiser's zone, place, online link)
SETTINGS = {
    "eau-assainissement-sahel": (
        "Africa/Niamey",
        "Maison des associations, quartier Plateau, Niamey",
        "https://visio.example.org/eau-sahel",
    ),
    "citoyennete-mondiale": ("America/Montreal", "", "https://visio.example.org/ecm"),
    "agroecologie-madagascar": (
        "Indian/Antananarivo",
        "Centre de formation agricole d'Antsirabe",
        "",
    ),
    "jeunes-entrepreneurs-ess": ("Africa/Abidjan", "", "https://visio.example.org/jeunes-ess"),
}

FORMULAS = {
    "eau-assainissement-sahel": (
        "- Gestion financière des comités de points d'eau\n- Maintenance préventive des forages\n"
        "- Relations entre comités, communes et réparateurs",
        "Des outils simples, testés sur le terrain ; des échanges francs sur ce qui ne marche pas ; "
        "une rencontre par mois, en visio pour les plus éloignés.",
        "Publier un guide pratique de gestion des points d'eau d'ici un an et l'expérimenter dans "
        "trois communes (Tillabéri, Dosso, Ségou).",
    ),
    "citoyennete-mondiale": (
        "- Les ODD expliqués aux 12-18 ans\n- Jeux coopératifs et débats mouvants\n"
        "- Partenariats Nord-Sud entre structures jeunesse",
        "Repartir avec des activités prêtes à animer, dans les deux langues.",
        "Une mallette pédagogique bilingue testée dans six structures avant l'été.",
    ),
    "agroecologie-madagascar": (
        "- Compost et fertilité des sols\n- Semences paysannes\n- Gestion de l'eau en saison sèche",
        "Voir les pratiques sur les parcelles, pas seulement en parler.",
        "Documenter cinq pratiques et organiser deux visites croisées par an.",
    ),
}

# slug → [(title, in how many days, hour in the organiser's zone)]
UPCOMING = {
    "eau-assainissement-sahel": [
        ("Rencontre mensuelle : maintenance préventive", 2, 15),
        ("Atelier d'écriture du guide", 35, 9),
    ],
    "citoyennete-mondiale": [
        ("Tester les fiches d'animation sur les ODD", 4, 14),
        ("Bilan de la saison et suite de la mallette", 40, 13),
    ],
    "agroecologie-madagascar": [
        ("Visite croisée : parcelles de compost", 9, 8),
        ("Semences paysannes : bourse d'échange", 30, 9),
    ],
}

MINUTES = (
    "## Présents\n\nVoir la liste de présence.\n\n"
    "## Ce qui a été dit\n\n"
    "- Tour de table : chaque comité a présenté une réussite et une difficulté du mois.\n"
    "- Le fonds de réparation mis en place à Dosso couvre désormais deux pannes par an.\n"
    "- Les tarifs au bidon restent difficiles à faire accepter en saison des pluies.\n\n"
    "## Décisions\n\n"
    "1. Chaque comité partage sa grille tarifaire dans la bibliothèque.\n"
    "2. Aïssatou rédige une première fiche « fonds de réparation ».\n\n"
    "## Prochaines étapes\n\n"
    "Prochaine rencontre le mois prochain : focus sur la maintenance préventive."
)


def _at(days, hour, zone):
    day = timezone.now().astimezone(zone).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)


def _members(community):
    return [
        m.user
        for m in community.memberships.filter(status=MembershipStatus.ACTIVE)
        .select_related("user")
        .order_by("joined_at", "pk")
    ]


def _past(community, lead, *, kind, title, days_ago, zone, place, link, agenda, rng):
    starts = _at(-days_ago, 10, zone)
    meeting = Meeting.objects.create(
        community=community, kind=kind, title=title, starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2), time_zone=str(zone), place=place,
        online_url=link, agenda=agenda, created_by=lead,
        reminder_sent_at=starts - datetime.timedelta(hours=20),
    )  # fmt: skip
    people = _members(community)
    RSVP.objects.bulk_create(
        RSVP(meeting=meeting, user=person, answer=rng.choice(Answer.values)) for person in people
    )
    present = [p.pk for p in people if p == lead or rng.random() < 0.7]
    services.record_attendance(lead, meeting, present)
    return meeting


def seed(stdout):
    rng = random.Random(2024)
    planned = 0
    for slug, (zone_name, place, link) in SETTINGS.items():
        community = Community.objects.filter(slug=slug).first()
        if community is None or community.meetings.exists():
            continue
        zone = zoneinfo.ZoneInfo(zone_name)
        lead = community.lead
        if slug in FORMULAS:
            kick_off = _past(
                community, lead, kind=MeetingKind.KICK_OFF, title="Rencontre de démarrage",
                days_ago=120, zone=zone, place=place, link=link, rng=rng,
                agenda="1. Tour de table : qui sommes-nous ?\n2. Valider la formule : sujets, "
                "attentes, objectifs\n3. Rythme et outils de la communauté",
            )  # fmt: skip
            topics, expectations, objectives = FORMULAS[slug]
            services.publish_minutes(
                lead, kick_off, minutes="Une belle énergie pour démarrer : merci à toutes et tous.",
                topics=topics, expectations=expectations, objectives=objectives,
            )  # fmt: skip
            for days_ago, with_minutes in ((45, True), (14, False)):
                meeting = _past(
                    community, lead, kind=MeetingKind.REGULAR,
                    title=f"Rencontre mensuelle — {_at(-days_ago, 10, zone):%d/%m}",
                    days_ago=days_ago, zone=zone, place=place, link=link, rng=rng,
                    agenda="1. Tour de table\n2. Retours d'expérience\n3. Prochaines étapes",
                )  # fmt: skip
                if with_minutes:
                    services.publish_minutes(lead, meeting, minutes=MINUTES)
            upcoming = UPCOMING[slug]
        else:
            # An open community: its kick-off is planned, waiting to be held.
            upcoming = [("Rencontre de démarrage", 6, 16)]
        for index, (title, days, hour) in enumerate(upcoming):
            kind = MeetingKind.KICK_OFF if title == "Rencontre de démarrage" else "regular"
            meeting = services.plan_meeting(
                lead, community, kind=kind, title=title, starts_at=_at(days, hour, zone),
                ends_at=_at(days, hour, zone) + datetime.timedelta(minutes=90),
                time_zone=zone_name, place=place, online_url=link,
                agenda="1. Nouvelles des membres\n2. Sujet du jour\n3. Prochaines étapes\n\n"
                "Merci de confirmer votre présence.",
            )  # fmt: skip
            planned += 1
            for person in _members(community):
                if person != lead and rng.random() < 0.6:
                    services.rsvp(person, meeting, rng.choice(Answer.values))
            if index == 0:
                services.rsvp(lead, meeting, Answer.YES)
        if slug == "eau-assainissement-sahel":
            moved = services.plan_meeting(
                lead, community, kind="regular", title="Visite des forages de Dosso",
                starts_at=_at(20, 8, zone), ends_at=_at(20, 13, zone), time_zone=zone_name,
                place="Mairie de Dosso", online_url="", agenda="Visite de terrain.",
            )  # fmt: skip
            core = community.memberships.filter(role=Role.CORE, status="active").first()
            services.cancel_meeting(
                core.user if core else lead, moved,
                reason="Reportée : la route de Dosso est coupée par les pluies.",
            )  # fmt: skip
    planned += _regular_series()
    stdout.write(f"Meetings: {planned} planned, {Meeting.objects.count()} in all.")


def _regular_series():
    """Issue 11: the inner circle of the global citizenship community meets every two weeks,
    roles rotating; one occurrence is cancelled, another moved."""
    from .models import MeetingSeries

    community = Community.objects.filter(slug="citoyennete-mondiale").first()
    if community is None or MeetingSeries.objects.filter(community=community).exists():
        return 0
    zone_name = "America/Montreal"
    zone = zoneinfo.ZoneInfo(zone_name)
    starts_at = _at(4, 12, zone)
    series = services.plan_series(
        community.lead, community, interval_weeks=2,
        until=(starts_at + datetime.timedelta(weeks=16)).date(),
        kind="regular", title="Point d'équipe du cercle interne", starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1), time_zone=zone_name, place="",
        online_url="https://visio.example.org/citoyennete", agenda="1. Météo\n2. Avancement\n3. Suite",
    )  # fmt: skip
    occurrences = list(series.occurrences.order_by("starts_at"))
    services.cancel_meeting(community.lead, occurrences[3], reason="Vacances scolaires.")
    moved = occurrences[5]
    services.update_meeting(
        community.lead, moved, starts_at=moved.starts_at + datetime.timedelta(days=1),
        ends_at=moved.ends_at + datetime.timedelta(days=1),
    )  # fmt: skip
    return len(occurrences)
