"""Demo libraries and productions, built through the services like real ones."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from cercles.communities.models import Community, Role

from . import services
from .models import Item, Production, ProductionStatus
from .rules import CONTRIBUTING_ROLES

PLANNED, IN_PROGRESS, DELIVERED = (
    ProductionStatus.PLANNED,
    ProductionStatus.IN_PROGRESS,
    ProductionStatus.DELIVERED,
)


def _pdf(title):
    """A small valid PDF with one line of text."""
    text = title.encode("latin-1", "replace")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _png(colour):
    image = Image.new("RGB", (320, 200), (246, 244, 238))
    draw = ImageDraw.Draw(image)
    for index, height in enumerate([60, 110, 80, 150, 120]):
        draw.rectangle([30 + index * 55, 180 - height, 70 + index * 55, 180], fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(name, content):
    return SimpleUploadedFile(name, content)


# slug → notes [(title, [versions: (body, comment)], tags, keep)], files [(title, filename,
# kind, description, tags, keep)], links [(title, url, description, tags)],
# productions [(title, kind, audience, detail, status, due in days, summary, file name or "",
# link)]
LIBRARIES = {
    "eau-assainissement-sahel": {
        "notes": [
            (
                "Carnet de la rencontre de démarrage",
                [
                    (
                        "## Présents\n\n12 membres, dont 4 comités villageois.\n\n## Ce qui ressort\n\n"
                        "- Les pannes durent en moyenne trois semaines.\n- Les cotisations baissent "
                        "après la saison des pluies.",
                        "",
                    ),
                    (
                        "## Présents\n\n12 membres, dont 4 comités villageois.\n\n## Ce qui ressort\n\n"
                        "- Les pannes durent en moyenne trois semaines.\n- Les cotisations baissent "
                        "après la saison des pluies.\n- Les artisans réparateurs sont trop loin.\n\n"
                        "## Suites\n\nRecenser les artisans réparateurs par commune.",
                        "Ajout des suites décidées",
                    ),
                    (
                        "## Présents\n\n12 membres, dont 4 comités villageois et 2 élus.\n\n"
                        "## Ce qui ressort\n\n- Les pannes durent en moyenne trois semaines.\n"
                        "- Les cotisations baissent après la saison des pluies.\n- Les artisans "
                        "réparateurs sont trop loin.\n\n## Suites\n\nRecenser les artisans réparateurs "
                        "par commune (Awa et Mamadou, avant le prochain atelier).",
                        "Précisions sur les présents et les responsables",
                    ),
                ],
                ["rencontres", "comités"],
                True,
            ),
            (
                "Questions pour les entretiens de terrain",
                [
                    (
                        "1. Qui décide du montant de la cotisation ?\n2. Que se passe-t-il quand la "
                        "pompe tombe en panne ?\n3. Qui tient la caisse ?",
                        "",
                    ),
                    (
                        "1. Qui décide du montant de la cotisation ?\n2. Que se passe-t-il quand la "
                        "pompe tombe en panne ?\n3. Qui tient la caisse, et comment est-elle "
                        "contrôlée ?\n4. Les femmes sont-elles représentées au comité ?",
                        "Deux questions ajoutées après l'atelier",
                    ),
                ],
                ["enquête"],
                False,
            ),
        ],
        "files": [
            (
                "Fiche de suivi des pannes",
                "fiche-suivi-pannes.pdf",
                "pdf",
                "La fiche que les comités remplissent à chaque panne.",
                ["outils", "comités"],
                True,
            ),
            (
                "Carte des forages suivis",
                "carte-forages.png",
                "png",
                "Nombre de forages suivis par commune.",
                ["cartes"],
                False,
            ),
        ],
        "links": [
            (
                "Programme Solidarité Eau : gestion des services d'eau",
                "https://www.pseau.org/",
                "Ressources et retours d'expérience.",
                ["références"],
            ),
        ],
        "productions": [
            (
                "Guide de gestion communautaire des points d'eau",
                "publication",
                "territory",
                "Les comités de gestion de trois communes",
                IN_PROGRESS,
                60,
                "Un guide pratique, écrit avec les comités : cotisations, entretien, réparations.",
                "",
                "",
            ),
            (
                "Atelier de restitution aux communes",
                "workshop",
                "territory",
                "Élus et agents des communes partenaires",
                PLANNED,
                200,
                "Une demi-journée pour présenter le guide et décider de son expérimentation.",
                "",
                "",
            ),
            (
                "Fiche « Organiser une cotisation qui dure »",
                "tool",
                "professionals",
                "Animateurs des ONG membres",
                DELIVERED,
                -20,
                "Une fiche de deux pages tirée des pratiques de cinq comités.",
                "fiche-cotisation.pdf",
                "",
            ),
        ],
    },
    "citoyennete-mondiale": {
        "notes": [
            (
                "Idées d'activités pour la mallette",
                [
                    ("- Le jeu des 17 objectifs\n- Débat mouvant sur l'eau\n- Photolangage", ""),
                    (
                        "- Le jeu des 17 objectifs\n- Débat mouvant sur l'eau et le climat\n"
                        "- Photolangage\n- Enquête dans le quartier",
                        "Ajout de l'enquête",
                    ),
                ],
                ["mallette", "activités"],
                True,
            ),
        ],
        "files": [],
        "links": [
            (
                "Les objectifs de développement durable (Nations unies)",
                "https://www.un.org/sustainabledevelopment/fr/",
                "",
                ["références"],
            ),
        ],
        "productions": [
            (
                "Mallette pédagogique « Les ODD en jeu »",
                "tool",
                "public",
                "Animateurs jeunesse, enseignants",
                DELIVERED,
                -45,
                "Douze activités testées dans six structures, au Nord et au Sud.",
                "mallette-odd.pdf",
                "https://odd.example.org/mallette",
            ),
            (
                "Webinaire de présentation de la mallette",
                "event",
                "network",
                "",
                DELIVERED,
                -10,
                "Enregistrement du webinaire avec les animateurs qui l'ont testée.",
                "",
                "https://video.example.org/webinaire-mallette",
            ),
            (
                "Version anglaise de la mallette",
                "publication",
                "public",
                "",
                IN_PROGRESS,
                90,
                "Traduction et adaptation pour les partenaires anglophones.",
                "",
                "",
            ),
        ],
    },
    "agroecologie-madagascar": {
        "notes": [
            (
                "Visite de la parcelle d'Antsirabe",
                [
                    ("Paillage et haies vives : la parcelle a tenu pendant la sécheresse.", ""),
                ],
                ["visites"],
                True,
            ),
        ],
        "files": [
            (
                "Rendements comparés 2024",
                "rendements-2024.png",
                "png",
                "Parcelles agroécologiques et témoins.",
                ["données"],
                True,
            ),
        ],
        "links": [],
        "productions": [
            (
                "Visites croisées entre organisations paysannes",
                "workshop",
                "territory",
                "Hautes Terres",
                DELIVERED,
                -30,
                "Trois visites, quarante paysannes et paysans, cinq pratiques documentées.",
                "compte-rendu-visites.pdf",
                "",
            ),
            (
                "Fiches pratiques agroécologiques",
                "publication",
                "professionals",
                "",
                PLANNED,
                150,
                "Cinq fiches illustrées, en français et en malgache.",
                "",
                "",
            ),
        ],
    },
    "budget-participatif-communes": {
        "notes": [
            (
                "Difficultés rencontrées (espace protégé)",
                [
                    (
                        "Ce qui se dit ici reste ici : les blocages avec les conseils municipaux.",
                        "",
                    ),
                ],
                ["échanges"],
                False,
            ),
        ],
        "files": [],
        "links": [],
        "productions": [
            # Delivered, but the community is private: never in the network library.
            (
                "Note interne sur la mobilisation",
                "publication",
                "network",
                "",
                DELIVERED,
                -5,
                "Pour les membres seulement.",
                "",
                "",
            ),
        ],
    },
    "jeunes-entrepreneurs-ess": {
        "notes": [],
        "files": [],
        "links": [],
        "productions": [
            (
                "Forum régional des jeunes entrepreneurs",
                "event",
                "public",
                "Afrique de l'Ouest",
                PLANNED,
                240,
                "Un forum pour présenter les dispositifs d'accompagnement.",
                "",
                "",
            ),
        ],
    },
}


def _writers(community):
    """The lead first, then other members who may write in the library."""
    people = [community.lead]
    for membership in community.memberships.active().filter(role__in=CONTRIBUTING_ROLES):
        if membership.user not in people:
            people.append(membership.user)
    return people


def _publisher(community):
    core = community.memberships.active().filter(role=Role.CORE).select_related("user").first()
    return core.user if core else community.lead


def _shared_from_protected_space(today):
    """Issue 11: the private budget community shares its toolbox with the network and one note
    with the public; its other notes, productions and discussions stay protected."""
    community = Community.objects.filter(slug="budget-participatif-communes").first()
    if community is None or community.productions.filter(shared_with="network").exists():
        return 0
    lead = community.lead
    production = services.create_production(
        lead,
        community,
        title="Boîte à outils du budget participatif",
        kind="tool",
        audience="network",
        audience_detail="Les communes et les associations qui les accompagnent",
        status=DELIVERED,
        due_date=today - datetime.timedelta(days=3),
        summary="Fiches pratiques pour mobiliser au-delà des notables, testées dans trois "
        "communes.",
        upload=_upload("boite-a-outils.pdf", _pdf("Boîte à outils du budget participatif")),
        shared_with="network",
    )
    services.create_note(
        lead,
        community,
        title="Les cinq étapes d'un budget participatif",
        body="1. Informer\n2. Recueillir les idées\n3. Étudier\n4. Voter\n5. Réaliser et "
        "rendre compte",
        tags=["méthode"],
        shared_with="public",
    )
    return 2 if production else 1


def _outer_circle_note():
    """Issue 11: an outer-circle member adds a note (seed 001: they have write access)."""
    community = Community.objects.filter(slug="citoyennete-mondiale").first()
    if community is None:
        return 0
    outer = community.memberships.active().filter(role=Role.OUTER).select_related("user").first()
    title = "Ce que j'ai essayé avec mes jeunes"
    if outer is None or community.library_items.filter(title=title).exists():
        return 0
    services.create_note(
        outer.user,
        community,
        title=title,
        body="Je lis surtout, mais voici une activité sur l'ODD 4 qui a bien marché.",
        tags=["retour"],
    )
    return 1


def seed(stdout):
    items = productions = 0
    today = timezone.localdate()
    for slug, spec in LIBRARIES.items():
        community = Community.objects.filter(slug=slug).first()
        if community is None:
            continue
        writers = _writers(community)
        existing = set(community.library_items.values_list("title", flat=True))
        for index, (title, versions, tags, keep) in enumerate(spec["notes"]):
            if title in existing:
                continue
            author = writers[index % len(writers)]
            body, _comment = versions[0]
            note = services.create_note(
                author, community, title=title, body=body, tags=tags, keep_in_legacy=keep
            )
            for step, (body, comment) in enumerate(versions[1:], start=1):
                services.update_note(
                    writers[(index + step) % len(writers)],
                    note,
                    title=title,
                    body=body,
                    comment=comment,
                    tags=tags,
                )
            items += 1
        for index, (title, filename, kind, description, tags, keep) in enumerate(spec["files"]):
            if title in existing:
                continue
            content = _pdf(title) if kind == "pdf" else _png((36, 110, 84))
            services.add_file(
                writers[(index + 1) % len(writers)],
                community,
                title=title,
                upload=_upload(filename, content),
                description=description,
                tags=tags,
                keep_in_legacy=keep,
            )
            items += 1
        for title, url, description, tags in spec["links"]:
            if title in existing:
                continue
            services.add_link(
                writers[-1], community, title=title, url=url, description=description, tags=tags
            )
            items += 1

        publisher = _publisher(community)
        existing = set(community.productions.values_list("title", flat=True))
        for spec_row in spec["productions"]:
            title, kind, audience, detail, status, due_in, summary, filename, link = spec_row
            if title in existing:
                continue
            production = services.create_production(
                publisher,
                community,
                title=title,
                kind=kind,
                audience=audience,
                audience_detail=detail,
                status=status,
                due_date=today + datetime.timedelta(days=due_in),
                summary=summary,
                url=link,
                upload=_upload(filename, _pdf(title)) if filename else None,
            )
            if status == DELIVERED:
                # Delivered on its due date, in the past: the library reads like a real one.
                Production.objects.filter(pk=production.pk).update(
                    delivered_at=timezone.now() + datetime.timedelta(days=due_in)
                )
            productions += 1
    items += _shared_from_protected_space(today)
    items += _outer_circle_note()
    stdout.write(
        f"Library: {items} items and {productions} productions created, "
        f"{Item.objects.count()} items and {Production.objects.count()} productions in all."
    )
