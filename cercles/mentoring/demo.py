"""Demo accompaniment: a former lead accompanies a lead on facilitation, a third party (a guest)
accompanies a community on maintenance contracts, both with their log; a need still waiting;
people available to mentor."""

import datetime

from django.utils import timezone

from cercles.accounts.models import User
from cercles.communities.models import Community

from . import services
from .models import MentorProfile, SupportNeed

OFFERS = [
    ("isabelle.bouchard@demo.test", ["partnerships", "funding"], ""),
    ("genevieve.tremblay@demo.test", ["facilitation", "production"], ""),
]  # fmt: skip


def _days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def seed(stdout):
    coordinator = User.objects.filter(email="coordination@demo.test").first()
    if coordinator is None or SupportNeed.objects.exists():
        return
    for email, subjects, note in OFFERS:
        person = User.objects.filter(email=email).first()
        if person is not None:
            MentorProfile.objects.update_or_create(
                user=person, defaults={"available": True, "subjects": subjects, "note": note}
            )
    created = 0
    budget = Community.objects.filter(slug="budget-participatif-communes").first()
    # The peer: the lead of a community that closed on a positive note (seed 000: "ex-leader").
    closed = Community.objects.filter(slug="education-haiti").select_related("lead").first()
    peer = closed.lead if closed is not None else None
    if peer is not None:
        MentorProfile.objects.update_or_create(
            user=peer,
            defaults={
                "available": True,
                "subjects": ["facilitation", "method"],
                "note": "Ancienne porteuse d'une communauté close : animer à distance, tenir le "
                "rythme des rencontres.",
            },
        )
    if budget is not None and peer is not None:
        need = services.add_need(
            budget.lead, budget, subject="facilitation", scope="individual", urgency="high",
            description="Les rencontres avec les élus tournent court : nous cherchons quelqu'un "
            "qui a déjà animé des échanges entre élus et agents pour nous aider à les préparer.",
        )  # fmt: skip
        mentorship = services.assign_mentor(coordinator, need, mentor=peer)
        for days, fmt, notes, steps in [
            (20, "remote", "Premier échange : les élus arrivent sans ordre du jour partagé ; "
             "nous avons revu ensemble la trame d'une rencontre d'une heure.",
             "Envoyer l'ordre du jour une semaine avant ; commencer par un tour des communes."),
            (6, "phone", "La rencontre de mardi a réuni 7 communes ; le tour de table a bien "
             "marché. Difficulté : deux élus monopolisent la parole.",
             "Essayer la règle des « trois minutes chacun » et un binôme élu-agent."),
        ]:  # fmt: skip
            services.log_session(
                peer, mentorship, held_on=_days_ago(days), format=fmt, notes=notes,
                next_steps=steps,
            )  # fmt: skip
        created += 1
    water = Community.objects.filter(slug="eau-assainissement-sahel").first()
    if water is not None:
        need = services.add_need(
            water.lead, water, subject="partnerships", scope="collective", urgency="normal",
            description="Relire notre trame de **contrats d'entretien** entre communes et "
            "artisans réparateurs, et nous aider à la présenter aux communes pilotes.",
        )  # fmt: skip
        mentorship = services.assign_mentor(
            coordinator, need, name="Moussa Traoré (consultant eau)",
            email="moussa.traore@exemple.org",
        )  # fmt: skip
        services.log_session(
            mentorship.mentor, mentorship, held_on=_days_ago(3), format="remote",
            notes="Relecture de la trame avec le groupe central : les clauses de paiement des "
            "artisans sont à revoir ; exemple du Mali partagé.",
            next_steps="Le groupe central réécrit l'article 4 ; nouvelle séance dans deux semaines.",
        )  # fmt: skip
        created += 1
    youth = Community.objects.filter(slug="jeunes-entrepreneurs-ess").first()
    if youth is not None:
        services.add_need(
            youth.lead, youth, subject="funding", scope="collective", urgency="normal",
            description="Trouver des financements pour le forum régional.",
        )  # fmt: skip
    stdout.write(f"Accompaniment: {created} accompaniments with their log, 1 need waiting.")
