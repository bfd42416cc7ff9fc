"""Demo value-creation stories: a dozen or so, of every kind of value, some featured by the
leads; one stage set by the coordinators with its reason."""

import datetime

from django.utils import timezone

from cercles.accounts.models import User
from cercles.communities.models import Community, Membership, MembershipStatus

from . import services
from .models import ValueKind, ValueStory

# slug → stories: (days ago, title, what happened, value, evidence, featured)
STORIES = {
    "eau-assainissement-sahel": [
        (
            70,
            "Une réponse en deux heures",
            "J'ai posé une question sur une pompe manuelle en "
            "panne ; deux membres m'ont répondu le jour même avec le nom de la pièce.",
            ValueKind.IMMEDIATE,
            "",
            True,
        ),
        (
            55,
            "Un carnet d'adresses de réparateurs",
            "Grâce aux rencontres, je connais "
            "maintenant les artisans réparateurs de trois communes voisines.",
            ValueKind.POTENTIAL,
            "Liste de 12 contacts partagée dans la bibliothèque.",
            False,
        ),
        (
            40,
            "Nous tenons un registre des pannes",
            "Le comité de Kaya a adopté le registre des pannes présenté à la deuxième rencontre.",
            ValueKind.APPLIED,
            "Photo du registre tenu depuis six semaines.",
            True,
        ),
        (
            20,
            "Moins de jours sans eau",
            "Depuis le contrat d'entretien, les pannes durent en "
            "moyenne 4 jours au lieu de 15 à Ziniaré.",
            ValueKind.REALISED,
            "Relevé du comité de gestion, janvier à mars.",
            True,
        ),
        (
            8,
            "Réussir, c'est que le forage ne tombe plus en panne",
            "Nous mesurions le "
            "nombre de forages construits ; nous mesurons maintenant les jours d'eau disponibles.",
            ValueKind.REFRAMING,
            "",
            False,
        ),
    ],
    "citoyennete-mondiale": [
        (
            60,
            "Une fiche d'animation prête à l'emploi",
            "Une collègue de Liège m'a envoyé sa "
            "fiche sur les objectifs de développement durable, utilisée le lendemain.",
            ValueKind.IMMEDIATE,
            "",
            False,
        ),
        (
            45,
            "Des partenaires au Québec",
            "J'ai rencontré deux animatrices de Québec avec qui nous montons un échange de jeunes.",
            ValueKind.POTENTIAL,
            "",
            True,
        ),
        (
            30,
            "J'anime autrement",
            "Je laisse désormais les jeunes choisir le sujet de la "
            "séance, comme le recommande le guide commun.",
            ValueKind.APPLIED,
            "",
            False,
        ),
        (
            12,
            "Quarante jeunes formés",
            "Les fiches testées à Dakar ont servi à former 40 jeunes relais dans cinq quartiers.",
            ValueKind.REALISED,
            "Feuilles de présence des cinq ateliers.",
            True,
        ),
    ],
    "agroecologie-madagascar": [
        (
            50,
            "Un conseil sur le compost",
            "Un agronome du réseau m'a expliqué comment corriger un compost trop humide.",
            ValueKind.IMMEDIATE,
            "",
            False,
        ),
        (
            35,
            "Des semences échangées",
            "Nous avons échangé des semences de variétés "
            "résistantes à la sécheresse avec une coopérative voisine.",
            ValueKind.POTENTIAL,
            "",
            False,
        ),
        (
            25,
            "Les parcelles en association",
            "Nous associons maintenant légumineuses et riz sur les parcelles de démonstration.",
            ValueKind.APPLIED,
            "",
            True,
        ),
        (
            10,
            "Le rendement n'est plus le seul critère",
            "La coopérative suit désormais la santé des sols autant que la récolte.",
            ValueKind.REFRAMING,
            "Nouvelle grille de suivi adoptée en assemblée.",
            True,
        ),
    ],
}


def _authors(community):
    return list(
        User.objects.filter(
            pk__in=Membership.objects.filter(
                community=community, status=MembershipStatus.ACTIVE
            ).values("user_id"),
            is_active=True,
        ).order_by("pk")
    )


def seed(stdout):
    created = 0
    for slug, stories in STORIES.items():
        community = Community.objects.filter(slug=slug).select_related("lead").first()
        if community is None or ValueStory.objects.filter(community=community).exists():
            continue
        authors = _authors(community) or [community.lead]
        for index, (days_ago, title, happened, kind, evidence, featured) in enumerate(stories):
            author = authors[(index + 1) % len(authors)]
            story = services.tell_story(
                author, community, title=title, happened=happened, value_kind=kind,
                evidence=evidence,
            )  # fmt: skip
            when = timezone.now() - datetime.timedelta(days=days_ago)
            ValueStory.objects.filter(pk=story.pk).update(created_at=when)
            if featured:
                services.feature_story(community.lead, story)
                ValueStory.objects.filter(pk=story.pk).update(
                    featured_at=when + datetime.timedelta(days=1)
                )
            created += 1
    _override_one_stage()
    stdout.write(f"Value stories: {created} created, {ValueStory.objects.count()} in all.")


def _override_one_stage():
    """The coordinators know what the platform does not: the Québec-Dakar network of animators
    behind this community has worked together for years."""
    from .models import Stage, StageOverride

    community = Community.objects.filter(slug="citoyennete-mondiale").first()
    coordinator = User.objects.filter(is_coordinator=True, is_active=True).order_by("pk").first()
    if community is None or coordinator is None or StageOverride.objects.exists():
        return
    services.override_stage(
        coordinator,
        community,
        stage=Stage.STEWARDSHIP,
        reason="Le réseau d'animatrices et d'animateurs qui porte cette communauté travaille "
        "ensemble depuis 2021, bien avant son arrivée sur la plateforme.",
    )
