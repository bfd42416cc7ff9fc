"""Demo leads' circle: synced with the running communities, with a past practice-analysis
workshop and its minutes, and the next one planned."""

import datetime

from django.utils import timezone

from cercles.meetings.models import Meeting

from .leads_circle import sync_leads_circle, workshop_agenda

MINUTES = """## Atelier d'analyse de la pratique

**Présents** : les porteuses et porteurs de quatre communautés, deux coordinatrices.

### Réussites
- *Eau et assainissement au Sahel* : 27 forages recensés avec les comités, un premier atelier tenu.
- *Citoyenneté mondiale* : 14 fiches d'animation rassemblées, traduction en cours.

### Difficultés analysées
- *Budget participatif* : les rencontres avec les élus tournent court. Le groupe propose un
  tour de table par commune et un binôme élu-agent ; une ancienne porteuse accompagne.
- Garder le lien entre deux rencontres : un court message des prochaines étapes chaque mois.

### Ce que chacun essaie d'ici le prochain atelier
- Envoyer l'ordre du jour une semaine avant chaque rencontre.
- Mettre à jour les prochaines étapes après chaque rencontre.
"""


def seed(stdout):
    circle = sync_leads_circle()
    if circle is None or circle.meetings.exists():
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    past = now - datetime.timedelta(days=21)
    Meeting.objects.create(
        community=circle,
        title="Atelier d'analyse de la pratique n° 1",
        starts_at=past,
        ends_at=past + datetime.timedelta(hours=2),
        online_url="https://visio.example.org/cercle-des-porteurs",
        agenda="Tour des réussites et des difficultés de chaque communauté ; analyse d'une "
        "situation apportée par une porteuse.",
        minutes=MINUTES,
        minutes_published_at=past + datetime.timedelta(days=1),
        created_by=circle.lead,
    )
    agenda = "\n".join(
        f"- **{community.title}** : "
        + (
            " ".join((update.done or "").split())[:140]
            if update is not None
            else "pas encore de point d'étape"
        )
        for community, update in workshop_agenda()
    )
    upcoming = now + datetime.timedelta(days=16)
    Meeting.objects.create(
        community=circle,
        title="Atelier d'analyse de la pratique n° 2",
        starts_at=upcoming,
        ends_at=upcoming + datetime.timedelta(hours=2),
        place="Ouagadougou, salle du réseau (et en visio)",
        online_url="https://visio.example.org/cercle-des-porteurs",
        agenda="Réussites et difficultés de chaque communauté :\n\n" + agenda,
        created_by=circle.lead,
    )
    stdout.write(f"Leads' circle: {circle.member_count} members, a past workshop with minutes.")
