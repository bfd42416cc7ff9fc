"""Demo seasons and endings, built through the services like real ones:

- "Eau et assainissement en milieu rural au Sahel" is in its second season: the first one's
  review is published and celebrated, the second was prepared from it and from the needs of
  the expectations survey; a health review decided to continue.
- "Reconstruction et éducation en Haïti" closed ten days ago with its final record and legacy
  (visible in /library/), in its grace period before archiving.
- "Énergie solaire pour les centres de santé" closed two months ago and is archived.
- "Mobilité douce à Bruxelles" was dissolved after a health review that decided it.

The communities demo leaves the last three active; they live here first (notes, files, a
production, meetings), then end through the closing page's services.
"""

import datetime
import random
import zoneinfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone

from cercles.communities import services as community_services
from cercles.communities.health import CRITERIA_KEYS
from cercles.communities.lifecycle import State
from cercles.communities.models import Community, HealthReview, StateChange
from cercles.discussions import services as discussions
from cercles.library import services as library
from cercles.library.demo import _pdf
from cercles.library.models import Item, NoteRevision, Production
from cercles.meetings.demo import _past

from . import services
from .models import Objective, Season

SAHEL = "eau-assainissement-sahel"
HAITI = "education-haiti"
SOLAR = "solaire-centres-sante"
BRUSSELS = "mobilite-douce-bruxelles"


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _fresh(slug):
    community = Community.objects.filter(slug=slug).first()
    if community is not None:
        for key in ("_membership_cache", "_final_record", "_latest_health_review"):
            community.__dict__.pop(key, None)
    return community


def _ratings(values, comments=None):
    comments = comments or {}
    return {
        key: {"rating": values.get(key, "ok"), "comment": comments.get(key, "")}
        for key in CRITERIA_KEYS
    }


def _backdate_health_review(review, days_ago):
    HealthReview.objects.filter(pk=review.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


def seed(stdout):
    if Season.objects.exists():
        stdout.write("  seasons: already there")
        return
    rng = random.Random(13)
    _second_season(_fresh(SAHEL))
    _live_then_close(_fresh(HAITI), rng, closed_days_ago=10, archive=False)
    _live_then_close(_fresh(SOLAR), rng, closed_days_ago=60, archive=True)
    _dissolve(_fresh(BRUSSELS), rng)
    stdout.write(
        f"Seasons: {Season.objects.count()} seasons, {HealthReview.objects.count()} health "
        "reviews, endings with their final records."
    )


# --- a community in its second season ---------------------------------------------------------


def _second_season(community):
    if community is None:
        return
    lead = community.lead
    first = services.create_season(
        lead, community, name="Saison 1 — Comprendre les pannes", starts_on=_days(-130),
        ends_on=_days(-8), objectives=[
            {"title": "Recenser les artisans réparateurs de trois communes"},
            {"title": "Tenir une rencontre de démarrage et deux rencontres mensuelles"},
            {"title": "Publier la fiche « Organiser une cotisation qui dure »"},
            {"title": "Écrire le guide de gestion communautaire des points d'eau"},
        ],
    )  # fmt: skip
    # What the library demo wrote "today" was written during the first season.
    moved = datetime.timedelta(days=40)
    Item.objects.filter(community=community).update(created_at=F("created_at") - moved)
    NoteRevision.objects.filter(note__community=community).update(
        created_at=F("created_at") - moved
    )
    objectives = list(first.objectives.order_by("position"))
    fiche = Production.objects.filter(community=community, title__startswith="Fiche").first()
    if fiche is not None:
        services.update_objective(lead, objectives[2], title=objectives[2].title, production=fiche)
    guide = Production.objects.filter(community=community, title__startswith="Guide").first()
    if guide is not None:
        services.update_objective(lead, objectives[3], title=objectives[3].title, production=guide)
    services.save_season_review(
        lead, first,
        achievements="Nous avons posé les bases : les artisans réparateurs de trois communes "
        "sont recensés, la fiche sur les cotisations circule dans le réseau, et surtout les "
        "comités villageois se parlent d'un village à l'autre.",
        learnt="Partir des pannes vécues plutôt que des solutions techniques. Les comités "
        "parlent plus librement quand les élus ne sont pas dans la salle.",
        keep_doing="Les comptes rendus envoyés le lendemain, les visites de terrain, la "
        "rencontre mensuelle le premier mardi.",
        statuses={objectives[0].pk: "reached", objectives[1].pk: "reached",
                  objectives[2].pk: "reached", objectives[3].pk: "under_way"},
        publish=True,
    )  # fmt: skip
    Season.objects.filter(pk=first.pk).update(
        review_published_at=timezone.now() - datetime.timedelta(days=6)
    )
    proposal = services.next_season_proposal(community)
    suggested = [title for _kind, title, _why in proposal["suggestions"]][:2]
    second = services.create_season(
        lead, community, name="Saison 2 — Le guide et son expérimentation", starts_on=_days(-7),
        ends_on=community.end_date or _days(275),
        objectives=[{"title": title} for title in suggested]
        + [{"title": "Expérimenter le guide dans trois communes"},
           {"title": "Organiser l'atelier de restitution aux communes"}],
    )  # fmt: skip
    Objective.objects.filter(season=second, position=0).update(status="under_way")
    review = services.record_health_review(
        lead, community,
        ratings=_ratings({"support": "watch", "productions": "watch"},
                         {"support": "Deux ONG membres ont du mal à libérer leurs animateurs.",
                          "productions": "Le guide prend plus de temps que prévu."}),
        decision="continue",
        comment="Une communauté vivante : on continue, en veillant au soutien des organisations.",
    )  # fmt: skip
    _backdate_health_review(review, 9)


# --- communities that end ---------------------------------------------------------------------

LIVES = {
    HAITI: {
        "season": ("Saison unique — L'école communautaire", [
            ("Documenter cinq écoles communautaires", "reached"),
            ("Publier le guide de l'école communautaire", "reached"),
            ("Le présenter à deux collectivités", "reached"),
        ]),
        "notes": [
            ("Carnet des visites d'écoles", "## Ce que nous avons vu\n\n- Des comités de "
             "parents très impliqués\n- Des enseignants sans formation continue", True),
            ("Questions pour les directeurs", "1. Qui paie les enseignants ?\n2. Comment les "
             "parents participent-ils ?", False),
        ],
        "files": [("Grille d'observation d'une école", "grille-observation.pdf", True)],
        "links": [("Ministère de l'éducation nationale (Haïti)", "https://menfp.gouv.ht/")],
        "production": ("Guide de l'école communautaire", "publication", "territory",
                       "Écoles, parents et collectivités du Sud", "Un guide de 40 pages."),
        "record": {
            "achievements": "Cinq écoles communautaires documentées, un guide publié et "
            "présenté à deux collectivités du Sud, qui l'utilisent pour leurs conventions "
            "avec les écoles.",
            "lessons": "Associer les parents dès le début ; prévoir un budget d'impression "
            "dès le cadrage.",
            "thanks": "Merci aux directrices et directeurs qui nous ont ouvert leurs écoles, "
            "et à chaque membre pour ces deux années.",
            "continues": "Une communauté sur la formation continue des enseignants est "
            "proposée par deux membres.",
        },
    },
    SOLAR: {
        "season": ("Saison unique — Dimensionner simplement", [
            ("Recueillir les retours de dix installations", "reached"),
            ("Publier l'outil de dimensionnement", "reached"),
            ("Former les comités de gestion", "dropped"),
        ]),
        "notes": [
            ("Retours des installations existantes", "| Centre | Panneaux | Panne |\n|---|---|---|"
             "\n| Koudougou | 6 | batterie |\n| Tenkodogo | 4 | aucune |", True),
        ],
        "files": [("Outil de dimensionnement (notice)", "notice-dimensionnement.pdf", True)],
        "links": [],
        "production": ("Outil de dimensionnement solaire", "tool", "professionals",
                       "Comités de gestion des centres de santé", "Un tableur et sa notice."),
        "record": {
            "achievements": "Un outil de dimensionnement simple, testé dans dix centres de "
            "santé, et un carnet de retours d'expérience que le réseau peut réutiliser.",
            "lessons": "Les pannes viennent des batteries plus que des panneaux : prévoir "
            "l'entretien dès l'installation.",
            "thanks": "Merci aux infirmières chefs de poste pour leurs relevés patients.",
            "continues": "",
        },
    },
}  # fmt: skip


def _content(community, spec, rng):
    lead = community.lead
    for title, body, keep in spec["notes"]:
        library.create_note(lead, community, title=title, body=body, keep_in_legacy=keep)
    for title, filename, keep in spec["files"]:
        library.add_file(lead, community, title=title, keep_in_legacy=keep,
                         upload=SimpleUploadedFile(filename, _pdf(title)))  # fmt: skip
    for title, url in spec["links"]:
        library.add_link(lead, community, title=title, url=url)
    title, kind, audience, detail, summary = spec["production"]
    production = library.create_production(
        lead, community, title=title, kind=kind, audience=audience, audience_detail=detail,
        summary=summary, status="delivered",
        upload=SimpleUploadedFile(f"{community.slug}.pdf", _pdf(title)),
    )  # fmt: skip
    zone = zoneinfo.ZoneInfo("Europe/Paris")
    for days_ago in (150, 90, 40):
        _past(community, lead, kind="regular", title="Rencontre des membres", days_ago=days_ago,
              zone=zone, place="", link="https://visio.example.org/cercles", agenda="", rng=rng)  # fmt: skip
    discussions.start_thread(
        lead, community, title="Merci pour cette belle aventure",
        body="Nous arrivons au bout : merci à chacune et chacun.",
    )  # fmt: skip
    return production


def _season_of(community, spec, *, ends_days_ago):
    name, objectives = spec["season"]
    season = services.create_season(
        community.lead, community, name=name, starts_on=_days(-ends_days_ago - 240),
        ends_on=_days(-ends_days_ago), objectives=[{"title": t} for t, _status in objectives],
    )  # fmt: skip
    statuses = {o.pk: status for o, (_t, status) in zip(season.objectives.order_by("position"),
                                                       objectives, strict=True)}  # fmt: skip
    services.save_season_review(
        community.lead, season, achievements=spec["record"]["achievements"],
        learnt=spec["record"]["lessons"], statuses=statuses, publish=True,
    )  # fmt: skip
    Season.objects.filter(pk=season.pk).update(
        review_published_at=timezone.now() - datetime.timedelta(days=ends_days_ago - 1)
    )
    return season


def _live_then_close(community, rng, *, closed_days_ago, archive):
    if community is None or community.state != State.ACTIVE:
        return
    spec = LIVES[community.slug]
    production = _content(community, spec, rng)
    Production.objects.filter(pk=production.pk).update(
        delivered_at=timezone.now() - datetime.timedelta(days=closed_days_ago + 20)
    )
    _season_of(community, spec, ends_days_ago=closed_days_ago + 1)
    kept = list(community.library_items.filter(keep_in_legacy=True).values_list("pk", flat=True))
    services.close_with_record(
        community.lead, community, legacy_items=kept, legacy_productions=[production.pk],
        **spec["record"],
    )  # fmt: skip
    closed_on = _days(-closed_days_ago)
    Community.objects.filter(pk=community.pk).update(closed_on=closed_on)
    StateChange.objects.filter(community=community, to_state=State.CLOSED).update(
        created_at=timezone.now() - datetime.timedelta(days=closed_days_ago)
    )
    if archive:
        community_services.archive_due_communities()
        StateChange.objects.filter(community=community, to_state=State.ARCHIVED).update(
            created_at=timezone.now() - datetime.timedelta(days=closed_days_ago - 30)
        )


def _dissolve(community, rng):
    if community is None or community.state != State.ACTIVE:
        return
    lead = community.lead
    zone = zoneinfo.ZoneInfo("Europe/Brussels")
    _past(community, lead, kind="regular", title="Rencontre de rentrée", days_ago=100,
          zone=zone, place="Maison des associations, Ixelles", link="", agenda="", rng=rng)  # fmt: skip
    library.create_note(
        lead, community, title="Carte des actions vélo des quartiers", keep_in_legacy=True,
        body="- Ixelles : atelier de réparation le samedi\n- Schaerbeek : rues scolaires",
    )  # fmt: skip
    review = services.record_health_review(
        lead, community,
        ratings=_ratings(
            {"critical_mass": "problem", "meetings": "problem", "value": "watch",
             "support": "problem", "moderation": "watch"},
            {"critical_mass": "Trois membres actifs, pas davantage depuis six mois.",
             "meetings": "Une seule rencontre depuis la rentrée.",
             "support": "Les associations n'ont pas de temps à y consacrer cette année."},
        ),
        decision="dissolve",
        comment="Trop peu de participants disponibles cette année : nous préférons finir "
        "proprement et garder la carte des actions pour le réseau.",
    )  # fmt: skip
    _backdate_health_review(review, 12)
    community = _fresh(BRUSSELS)
    services.close_with_record(
        lead, community, dissolve=True,
        reason="Trop peu de participants disponibles cette année (revue de santé).",
        achievements="Une carte des actions vélo de six quartiers, et des liens entre "
        "associations qui se poursuivent hors de la plateforme.",
        thanks="Merci aux associations qui ont partagé leurs actions.",
        continues="Les associations d'Ixelles et de Schaerbeek continuent de se retrouver "
        "chaque trimestre.",
        legacy_items=list(community.library_items.filter(keep_in_legacy=True)
                          .values_list("pk", flat=True)),
        legacy_productions=[],
    )  # fmt: skip
    Community.objects.filter(pk=community.pk).update(closed_on=_days(-5))
