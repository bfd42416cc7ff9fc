"""Demo communities covering every state, built through the services like real ones."""

import datetime
import random

from django.utils import timezone

from cercles.accounts.models import User
from cercles.taxonomy.models import Territory, Theme

from . import services
from .lifecycle import State
from .models import (
    Community,
    FramingVersion,
    Involvement,
    Membership,
    Milestone,
    Partnership,
    Review,
    Role,
    StateChange,
)

PORTEUSE = "porteuse@demo.test"
MEMBRE = "membre@demo.test"
COORDINATION = "coordination@demo.test"

# slug, title, lead email, final state, visibility, kind, themes, territories, objectives,
# productions, problem statement, positioning, purpose, size of the membership
COMMUNITIES = [
    ("eau-assainissement-sahel", "Eau et assainissement en milieu rural au Sahel", PORTEUSE,
     State.ACTIVE, "network", "thematic", ["odd-6", "odd-3"], ["sahel"], ["exchange", "solutions"],
     ["publication", "workshop"],
     "Dans les villages du Sahel, un forage sur trois est en panne faute d'entretien et de "
     "gestion partagée ; les comités de gestion manquent d'outils et de retours d'expérience.",
     "Nous partons des pratiques des comités villageois et des communes, pas des solutions "
     "techniques : ce qui marche, ce qui bloque, et pourquoi.",
     "Produire avec les comités un guide pratique de gestion communautaire des points d'eau "
     "et l'expérimenter dans trois communes.", 12),
    ("citoyennete-mondiale", "Éducation à la citoyenneté mondiale", "genevieve.tremblay@demo.test",
     State.ACTIVE, "public", "thematic", ["odd-4", "citoyennete-mondiale"], ["tout-le-reseau"],
     ["exchange", "testing"], ["tool", "workshop"],
     "Les animateurs jeunesse manquent de ressources adaptées pour parler des ODD avec les "
     "jeunes, au Nord comme au Sud.",
     "Croiser les pratiques d'éducation populaire du Québec, de Belgique et d'Afrique de l'Ouest.",
     "Créer une mallette pédagogique bilingue sur les ODD et la tester dans six structures.", 10),
    ("jeunes-entrepreneurs-ess", "Jeunes entrepreneurs et économie sociale", PORTEUSE,
     State.OPEN, "public", "thematic", ["odd-8", "economie-sociale", "jeunesse"],
     ["afrique-de-l-ouest"], ["exchange", "solutions"], ["publication", "event"],
     "Les jeunes qui créent une activité collective trouvent peu d'accompagnement adapté à "
     "l'économie sociale et solidaire.",
     "Mettre en relation structures d'accompagnement, coopératives et jeunes porteurs de projets.",
     "Recenser les dispositifs qui fonctionnent et organiser un forum régional.", 4),
    ("budget-participatif-communes", "Budget participatif dans les communes d'Afrique de l'Ouest",
     "jean-baptiste.kabore@demo.test", State.OPEN, "private", "territorial",
     ["odd-16", "gouvernance-locale"], ["afrique-de-l-ouest"], ["testing", "change"], ["tool"],
     "Les communes qui lancent un budget participatif peinent à mobiliser au-delà des notables.",
     "Un espace protégé entre élus et agents pour parler franchement des difficultés.",
     "Élaborer une boîte à outils de la participation citoyenne au budget communal.", 5),
    ("agroecologie-madagascar", "Agroécologie et résilience climatique à Madagascar",
     "hery.rakotomalala@demo.test", State.ACTIVE, "network", "territorial",
     ["odd-2", "odd-13", "odd-15"], ["madagascar"], ["testing", "solutions"], ["workshop"],
     "Les sécheresses répétées fragilisent les exploitations familiales des Hautes Terres.",
     "Partir des parcelles de démonstration des organisations paysannes membres.",
     "Documenter cinq pratiques agroécologiques et organiser des visites croisées.", 8),
    ("dechets-urbains-cotonou", "Gestion des déchets urbains à Cotonou",
     "rodrigue.houngbedji@demo.test", State.IN_REVIEW, "network", "territorial",
     ["odd-11", "odd-12"], ["benin"], ["solutions", "change"], ["publication"],
     "La pré-collecte des déchets repose sur des ONG de quartier mal reconnues par la mairie.",
     "Rapprocher mairie, ONG de pré-collecte et associations de quartier.",
     "Proposer une charte de la pré-collecte et la soumettre au conseil municipal.", 2),
    ("sante-communautaire-mutuelles", "Santé communautaire et mutuelles de santé",
     "konan.kouassi@demo.test", State.IN_REVIEW, "network", "thematic", ["odd-3", "odd-1"],
     ["cote-d-ivoire"], ["exchange"], ["publication"],
     "Les mutuelles de santé communautaires peinent à fidéliser leurs adhérents.",
     "Échanger entre mutuelles, centres de santé et ONG d'appui.",
     "Rédiger un recueil de pratiques de fidélisation.", 2),
    ("egalite-cooperatives", "Égalité femmes-hommes dans les coopératives", PORTEUSE,
     State.CHANGES_REQUESTED, "network", "thematic", ["odd-5", "economie-sociale"],
     ["afrique-de-l-ouest"], ["change"], ["workshop"],
     "Les femmes sont nombreuses dans les coopératives mais rares dans leurs instances.",
     "Accompagner un changement de pratiques de gouvernance.",
     "Former des binômes de facilitatrices et suivre dix coopératives.", 1),
    ("numerique-associations", "Numérique pour les associations de quartier", PORTEUSE,
     State.DRAFT, "network", "thematic", ["odd-9"], [], ["exchange"], [],
     "Les petites associations utilisent mal les outils numériques libres.", "", "", 1),
    ("education-haiti", "Reconstruction et éducation en Haïti", "widline.pierre@demo.test",
     State.CLOSED, "public", "territorial", ["odd-4", "odd-11"], ["haiti"], ["solutions"],
     ["publication"],
     "Après le séisme, des écoles communautaires ont été reconstruites sans projet pédagogique.",
     "Relier écoles communautaires, parents et collectivités.",
     "Publier un guide de l'école communautaire et le diffuser.", 9),
    ("solaire-centres-sante", "Énergie solaire pour les centres de santé",
     "adama.compaore@demo.test", State.ARCHIVED, "network", "thematic", ["odd-7", "odd-3"],
     ["burkina-faso"], ["testing"], ["tool"],
     "Les centres de santé ruraux n'ont pas d'électricité fiable pour la chaîne du froid.",
     "Partager les retours des installations solaires existantes.",
     "Un outil de dimensionnement simple pour les comités de gestion.", 6),
    ("tourisme-solidaire-burkina", "Tourisme solidaire au Burkina Faso",
     "issouf.traore@demo.test", State.DECLINED, "network", "territorial", ["odd-8"],
     ["burkina-faso"], ["exchange"], ["event"],
     "Le tourisme solidaire s'est effondré dans la région.", "Relancer une offre.",
     "Organiser un salon.", 1),
    ("mobilite-douce-bruxelles", "Mobilité douce à Bruxelles", "sarah.peeters@demo.test",
     State.DISSOLVED, "network", "territorial", ["odd-11"], ["belgique"], ["exchange"],
     ["event"],
     "Les associations de quartier veulent partager leurs actions vélo.", "Entre associations.",
     "Organiser une journée sans voiture de quartier.", 3),
]  # fmt: skip

REVIEW_CHECKLIST = {
    item: {"ok": True, "comment": ""}
    for item in ["not_too_tight", "sufficient", "lead", "co_lead", "milestones", "size", "end"]
}


def _person(email, fallback_index, people):
    return User.objects.filter(email=email).first() or people[fallback_index % len(people)]


def seed(stdout):
    rng = random.Random(42)
    coordinator = User.objects.get(email=COORDINATION)
    porteuse = User.objects.get(email=PORTEUSE)
    membre = User.objects.get(email=MEMBRE)
    people = list(
        User.objects.filter(is_coordinator=False, is_superuser=False)
        .exclude(email__in=[PORTEUSE, MEMBRE])
        .order_by("email")
    )
    today = timezone.localdate()
    created = 0
    for index, spec in enumerate(COMMUNITIES):
        (
            slug,
            title,
            lead_email,
            final_state,
            visibility,
            kind,
            themes,
            territories,
            objectives,
            productions,
            problem,
            positioning,
            purpose,
            size,
        ) = spec
        if Community.objects.filter(slug=slug).exists():
            continue
        created += 1
        lead = _person(lead_email, index, people)
        community = services.propose_community(
            lead,
            title=title,
            problem_statement=problem,
            positioning=positioning,
            purpose=purpose,
            kind=kind,
            visibility=visibility,
            objective_types=objectives,
            expected_production_kinds=productions,
            start_date=today - datetime.timedelta(days=90),
            end_date=today + datetime.timedelta(days=275),
            requires_approval=visibility == "private",
        )
        Community.objects.filter(pk=community.pk).update(slug=slug)
        community.slug = slug
        community.themes.set(Theme.objects.filter(slug__in=themes))
        community.territories.set(Territory.objects.filter(slug__in=territories))
        for offset, milestone_title in [
            (20, "Rencontre de démarrage"),
            (120, "Premier atelier"),
            (250, "Restitution au réseau"),
        ]:
            Milestone.objects.create(
                community=community,
                title=milestone_title,
                due_date=today + datetime.timedelta(days=offset),
                owner=lead,
            )
        if rng.random() < 0.6:
            Partnership.objects.create(
                community=community, partner="Agence de l'eau", contribution="Appui technique"
            )
        _live(community, lead, coordinator, people, final_state, size, index, rng, membre, porteuse)
        _spread_history(community, days=30 + 12 * index)
    _light_framing(porteuse)
    _recruiting_allies(people)
    stdout.write(f"Communities: {created} created, {Community.objects.count()} in all.")


LIGHT_FRAMING_SLUG = "animateurs-de-quartier"


def _light_framing(lead):
    """A framing submitted with only its four required parts, open-ended (issue 11): the review
    page lists the recommended parts still missing, and why they help."""
    if Community.objects.filter(slug=LIGHT_FRAMING_SLUG).exists():
        return
    community = services.propose_community(
        lead,
        title="Animateurs de quartier",
        problem_statement="Les animateurs de quartier travaillent seuls et s'épuisent.",
        positioning="Aucun espace du réseau ne les réunit aujourd'hui.",
        purpose="Échanger sur nos pratiques d'animation, sans échéance fixée d'avance.",
        kind="thematic",
        open_ended=True,
    )
    Community.objects.filter(pk=community.pk).update(slug=LIGHT_FRAMING_SLUG)
    community.slug = LIGHT_FRAMING_SLUG
    services.submit_framing(lead, community)


def _live(community, lead, coordinator, people, final_state, size, index, rng, membre, porteuse):  # noqa: E501
    """Take a new community through its life up to the state the demo wants it in."""
    if final_state == State.DRAFT:
        return
    _invite_co_lead(community, lead, people, index)
    _run_review(community, lead, coordinator, final_state, index)
    if final_state in (State.IN_REVIEW, State.CHANGES_REQUESTED, State.DECLINED):
        return
    _recruit(community, lead, people, size, rng, membre, porteuse)
    if final_state in (State.ACTIVE, State.CLOSED, State.ARCHIVED, State.DISSOLVED):
        services.transition(lead, community, "activate")
        services.update_next_steps(
            lead,
            community,
            "- Relire le compte rendu de la dernière rencontre\n"
            "- Préparer l'atelier du mois prochain\n- Partager vos fiches d'expérience",
        )
    # Closed, archived and dissolved communities end in cercles/seasons/demo.py, with their
    # final record and legacy, once the other parts of the demo have given them a life.


def _spread_history(community, days):
    """Give the demo's history believable dates: its steps spread over the past weeks."""
    if community.state == State.IN_REVIEW:
        return  # its submission date is set on purpose (waiting time in the review queue)
    changes = list(community.state_changes.order_by("id"))
    versions = {v.number: v for v in community.framing_versions.all()}
    start = timezone.now() - datetime.timedelta(days=days)
    step = datetime.timedelta(days=days) / (len(changes) + 1)
    submissions = 0
    for position, change in enumerate(changes, start=1):
        moment = start + step * position
        StateChange.objects.filter(pk=change.pk).update(created_at=moment)
        if change.to_state == State.IN_REVIEW:
            submissions += 1
            if submissions in versions:
                FramingVersion.objects.filter(pk=versions[submissions].pk).update(
                    submitted_at=moment
                )
                Community.objects.filter(pk=community.pk).update(submitted_at=moment)


def _invite_co_lead(community, lead, people, index):
    candidate = people[(index * 7 + 3) % len(people)]
    if candidate == lead:
        candidate = people[(index * 7 + 4) % len(people)]
    invitation = services.invite(lead, community, email=candidate.email, purpose="co_lead")
    services.answer_invitation(candidate, invitation, accept=True)


def _run_review(community, lead, coordinator, final_state, index):
    services.submit_framing(lead, community)
    if final_state == State.IN_REVIEW:
        _backdate_submission(community, days=2 + index)
        return
    version = community.framing_versions.get(number=1)
    if final_state in (State.CHANGES_REQUESTED, State.ACTIVE) or index % 3 == 0:
        services.review_framing(
            coordinator,
            community,
            version,
            decision="request_changes",
            checklist={**REVIEW_CHECKLIST, "sufficient": {"ok": False, "comment": ""}},
            field_comments={"purpose": "Précisez la production attendue et pour qui."},
            comment="Le cadrage est prometteur ; précisez la production et le calendrier.",
        )
        if final_state == State.CHANGES_REQUESTED:
            return
        community.purpose += " Le guide sera diffusé aux communes partenaires du réseau."
        community.save(update_fields=["purpose"])
        services.submit_framing(lead, community)
        version = community.framing_versions.get(number=2)
    if final_state == State.DECLINED:
        services.review_framing(
            coordinator,
            community,
            version,
            decision="decline",
            checklist=REVIEW_CHECKLIST,
            comment="Le projet relève d'une action commerciale plus que d'une communauté.",
        )
        return
    services.review_framing(
        coordinator,
        community,
        version,
        decision="validate",
        checklist=REVIEW_CHECKLIST,
        comment="Cadrage validé : bonne route !",
    )


def _backdate_submission(community, days):
    moment = timezone.now() - datetime.timedelta(days=days)
    Community.objects.filter(pk=community.pk).update(submitted_at=moment)
    community.state_changes.filter(to_state=State.IN_REVIEW).update(created_at=moment)


def _recruit(community, lead, people, size, rng, membre, porteuse):
    candidates = [
        p
        for p in people
        if p != lead and not Membership.objects.filter(community=community, user=p).exists()
    ]
    rng.shuffle(candidates)
    extra = []
    if community.slug in ("citoyennete-mondiale", "eau-assainissement-sahel"):
        extra.append(membre)
    if community.lead != porteuse and community.slug == "citoyennete-mondiale":
        extra.append(porteuse)
    objectives = [
        "Apprendre des expériences des autres territoires.",
        "Partager nos outils et les améliorer ensemble.",
        "Trouver des partenaires pour un projet commun.",
        "Suivre les échanges et m'inspirer pour mon organisation.",
    ]
    for person in extra + candidates[: max(0, size - 2)]:
        if community.requires_approval and person == membre:
            continue
        involvement = rng.choice(list(Involvement.values))
        if community.requires_approval or community.visibility == "private":
            membership = services.join_community(
                person,
                community,
                objective=rng.choice(objectives),
                involvement=involvement,
                message="Bonjour, je souhaite rejoindre la communauté.",
            )
            services.answer_join_request(lead, membership, accept=True, message="Bienvenue !")
        else:
            services.join_community(
                person, community, objective=rng.choice(objectives), involvement=involvement
            )
    core = community.memberships.filter(role=Role.INNER, status="active").first()
    if core:
        services.change_role(lead, core, Role.CORE)
    if community.slug == "budget-participatif-communes":
        services.join_community(
            membre,
            community,
            objective="Lancer un budget participatif dans ma commune.",
            involvement=Involvement.ACTIVE,
            message="Je suis agent de développement local.",
        )
    if community.slug == "eau-assainissement-sahel" and Review.objects.exists():
        # A pending request waiting for the lead in the demo.
        newcomer = next((p for p in candidates[size:] if p != lead), None)
        if newcomer:
            community.requires_approval = True
            community.save(update_fields=["requires_approval"])
            services.join_community(
                newcomer,
                community,
                objective="Je démarre un projet de forage.",
                involvement=Involvement.OCCASIONAL,
                message="Puis-je vous rejoindre ?",
            )


def _recruiting_allies(people):
    """Issue 11: the lead of the young entrepreneurs' community keeps a list of key people, named
    a relay, and two people joined through that relay."""
    from . import recruiting

    community = Community.objects.filter(slug="jeunes-entrepreneurs-ess").first()
    if community is None or community.key_people.exists():
        return
    lead = community.lead
    for name, organisation, reason, status in [
        ("Fatou Sarr", "Réseau des coopératives de Thiès", "Tête de réseau : fera venir des "
         "coopératives de jeunes", "met"),
        ("Moussa Diallo", "Incubateur de Dakar", "Accompagne 40 jeunes porteurs par an",
         "to_contact"),
        ("Chambre des métiers", "", "Partenaire possible pour le forum", "declined"),
    ]:  # fmt: skip
        recruiting.add_key_person(
            lead, community, name=name, organisation=organisation, reason=reason, status=status
        )
    relay = (
        community.memberships.active()
        .filter(role__in=[Role.INNER, Role.CORE, Role.OUTER])
        .order_by("joined_at", "id")
        .first()
    )
    if relay is None:
        return
    recruiting.set_relay(lead, relay, True)
    recruiting.record_support(
        relay.user, community, support_from="La directrice de mon association, par lettre"
    )
    members = set(community.memberships.values_list("user_id", flat=True))
    newcomers = [p for p in people if p.pk not in members][:2]
    for person in newcomers:
        invitation = services.invite(relay.user, community, email=person.email)
        services.answer_invitation(person, invitation, accept=True)
