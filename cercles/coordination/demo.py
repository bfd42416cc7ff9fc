"""Demo progress updates: a few per running community, one asking the coordinators for help."""

import datetime

from django.utils import timezone

from cercles.communities.models import Community

from . import services
from .models import ProgressUpdate

# slug → updates, oldest first: (days ago, done, next steps, blockers, help needed)
UPDATES = {
    "eau-assainissement-sahel": [
        (
            40,
            "- Rencontre de lancement tenue à Ouagadougou avec 11 participants\n"
            "- Choix des trois communes pilotes : Kaya, Ziniaré et Koudougou",
            "Diagnostic des forages dans les trois communes avant fin du mois.",
            "",
            "",
        ),
        (
            12,
            "- 27 forages recensés, dont 9 en panne\n- Premiers entretiens avec les comités de Kaya",
            "- Synthèse des pannes les plus fréquentes\n- Préparer le premier atelier",
            "Les déplacements vers Koudougou sont difficiles en saison des pluies.",
            "Nous cherchons une personne du réseau ayant l'expérience des **contrats d'entretien** "
            "entre communes et artisans réparateurs, pour relire notre trame de guide.",
        ),
    ],
    "citoyennete-mondiale": [
        (
            30,
            "Les six structures pilotes sont choisies (Québec, Liège, Dakar, Lomé, Cotonou, Lyon).",
            "Rassembler les fiches d'animation existantes et les traduire.",
            "",
            "",
        ),
        (
            5,
            "- 14 fiches rassemblées\n- Traduction en anglais à moitié faite",
            "Tester deux fiches avec un groupe de jeunes à Liège.",
            "La traductrice bénévole n'est disponible qu'à partir du mois prochain.",
            "",
        ),
    ],
    "agroecologie-madagascar": [
        (
            20,
            "Visite des parcelles de démonstration près d'Antsirabe avec huit paysans relais.",
            "Lister les semences paysannes disponibles ; préparer l'atelier compost.",
            "",
            "",
        ),
    ],
}


def seed(stdout):
    created = 0
    for slug, updates in UPDATES.items():
        community = Community.objects.filter(slug=slug).select_related("lead").first()
        if community is None or community.progress_updates.exists():
            continue
        for days_ago, done, next_steps, blockers, help_needed in updates:
            update = services.post_update(
                community.lead,
                community,
                done=done,
                next_steps=next_steps,
                blockers=blockers,
                help_needed=help_needed,
            )
            ProgressUpdate.objects.filter(pk=update.pk).update(
                created_at=timezone.now() - datetime.timedelta(days=days_ago)
            )
            created += 1
    stdout.write(f"Progress updates: {created} created, {ProgressUpdate.objects.count()} in all.")
