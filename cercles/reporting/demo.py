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
    _reports(stdout)
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


CONTRIBUTIONS = {
    "eau-assainissement-sahel": (
        "Les trois communes pilotes ont chacune **un comité de gestion** formé. À Kaya, le "
        "registre des pannes est tenu chaque semaine ; les artisans réparateurs viennent "
        "maintenant aux rencontres.",
        "Comité de gestion du forage de Kaya",
    ),
    "citoyennete-mondiale": (
        "Six structures testent les fiches d'animation ; les jeunes relais de Dakar ont animé "
        "leur premier atelier seuls.",
        "",
    ),
    "agroecologie-madagascar": (
        "Les parcelles de démonstration associent légumineuses et riz : première récolte en "
        "janvier, visite ouverte aux membres du réseau.",
        "Parcelle de démonstration",
    ),
}


def _demo_image(colour):
    """A small picture made here (the demo fetches nothing): a landscape in two colours."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 300), (214, 236, 226))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 190, 480, 300), fill=colour)
    draw.ellipse((360, 30, 430, 100), fill=(242, 183, 5))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def _reports(stdout):
    """A published report for the last quarter (with the members' pieces and its PDF) and the
    draft of the current quarter, open to contributions."""
    from . import reports
    from .compilation import quarter_of
    from .models import QuarterlyReport, ReportBlock

    if QuarterlyReport.objects.exists():
        return
    coordinator = User.objects.filter(is_coordinator=True, is_active=True).order_by("pk").first()
    if coordinator is None:
        return
    today = timezone.localdate()
    year, quarter = quarter_of(today)
    last_year, last_quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    until = today + datetime.timedelta(days=10)
    last = reports.create_report(
        coordinator, year=last_year, quarter=last_quarter, contributions_until=until
    )
    colours = [(11, 122, 87), (44, 95, 168), (178, 106, 0)]
    for index, (slug, (text, alt)) in enumerate(CONTRIBUTIONS.items()):
        block = ReportBlock.objects.filter(report=last, community__slug=slug).first()
        if block is None:
            continue
        image = _demo_image(colours[index % 3]) if alt else None
        contribution = reports.contribute(
            block.community.lead, block, text=text, image=image, image_alt=alt
        )
        reports.review_contribution(coordinator, contribution, status="accepted")
    # The coordinator cuts the blocks that have nothing to tell.
    reports.arrange_blocks(
        coordinator,
        last,
        {
            block.pk: (block.position, bool(block.data.get("meetings_held"))
                       or block.contributions.exists())
            for block in last.blocks.all()
        },
    )  # fmt: skip
    reports.update_report(
        coordinator,
        last,
        introduction="Ce trimestre, les communautés du réseau ont **tenu leurs rencontres** "
        "malgré la saison des pluies, livré leurs premières productions et accueilli de "
        "nouveaux membres. Merci à toutes celles et tous ceux qui ont écrit pour ce point.",
        highlights="- Un registre des pannes adopté par trois comités de l'eau\n"
        "- Quarante jeunes relais formés à Dakar\n"
        "- Des parcelles de démonstration ouvertes à la visite à Madagascar",
        contributions_until=None,
    )
    reports.publish_report(coordinator, last)
    start = datetime.datetime.combine(
        last.ends_on, datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    QuarterlyReport.objects.filter(pk=last.pk).update(
        published_at=start + datetime.timedelta(days=8)
    )
    current = reports.create_report(
        coordinator, year=year, quarter=quarter, contributions_until=until
    )
    block = ReportBlock.objects.filter(
        report=current, community__slug="eau-assainissement-sahel"
    ).first()
    if block is not None:
        reports.contribute(
            block.community.lead,
            block,
            text="Le guide des comités de l'eau est en relecture ; nous cherchons deux "
            "personnes pour le tester dans leur commune en janvier.",
        )
    stdout.write(
        f"Quarterly reports: {QuarterlyReport.objects.count()} (one published, one draft)."
    )
