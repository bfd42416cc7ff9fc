"""Demo action plans: milestones with tasks, some reached, some overdue, built through planning."""

import datetime

from django.utils import timezone

from . import planning
from .models import Community, Milestone, Role, Task, TaskStatus
from .services import active_members_of

# slug → (past milestones: (days ago, title, reached), tasks per milestone title:
# (title, days from today or None, status)); days < 0 are in the past (overdue unless done).
PLANS = {
    "eau-assainissement-sahel": (
        [(60, "Rencontre de lancement à Ouagadougou", True), (12, "Diagnostic des forages", False)],
        {
            "Diagnostic des forages": [
                ("Recenser les forages en panne dans trois communes", -20, TaskStatus.DONE),
                ("Interroger les comités de gestion de Kaya", -5, TaskStatus.DOING),
                ("Synthétiser les pannes les plus fréquentes", -2, TaskStatus.TODO),
            ],
            "Rencontre de démarrage": [
                ("Réserver la salle de la mairie", 8, TaskStatus.DONE),
                ("Envoyer l'ordre du jour aux membres", 2, TaskStatus.TODO),
            ],
            "Premier atelier": [
                ("Rédiger la trame du guide de gestion", 60, TaskStatus.DOING),
                ("Inviter deux élus communaux", 90, TaskStatus.TODO),
                ("Préparer les fiches d'expérience", None, TaskStatus.TODO),
            ],
            "Restitution au réseau": [("Mettre en page le guide", 230, TaskStatus.TODO)],
        },
    ),
    "citoyennete-mondiale": (
        [(45, "Choix des six structures pilotes", True), (7, "Maquette de la mallette", False)],
        {
            "Maquette de la mallette": [
                ("Rassembler les fiches d'animation existantes", -15, TaskStatus.DONE),
                ("Traduire les fiches en anglais", -3, TaskStatus.DOING),
            ],
            "Premier atelier": [
                ("Tester deux fiches avec un groupe de jeunes à Liège", 45, TaskStatus.TODO),
                ("Recueillir les retours des animateurs", 100, TaskStatus.TODO),
            ],
        },
    ),
    "agroecologie-madagascar": (
        [(30, "Visite des parcelles de démonstration", True)],
        {
            "Rencontre de démarrage": [
                ("Lister les semences paysannes disponibles", -4, TaskStatus.TODO),
                ("Organiser le transport depuis Antsirabe", 15, TaskStatus.DOING),
            ],
            "Premier atelier": [("Préparer l'atelier compost", 110, TaskStatus.TODO)],
        },
    ),
    "jeunes-entrepreneurs-ess": (
        [],
        {
            "Rencontre de démarrage": [
                ("Recenser les structures d'accompagnement à Dakar", 10, TaskStatus.DOING),
                ("Préparer le questionnaire aux jeunes porteurs", 18, TaskStatus.TODO),
            ]
        },
    ),
}


def _backdate(model, item, days_ago):
    model.objects.filter(pk=item.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=days_ago)
    )


def seed(stdout):
    created = 0
    for slug, (past_milestones, tasks) in PLANS.items():
        community = Community.objects.filter(slug=slug).select_related("lead").first()
        if community is None or Task.objects.filter(milestone__community=community).exists():
            continue
        lead = community.lead
        members = list(active_members_of(community).exclude(pk=lead.pk).order_by("pk")) or [lead]
        # Past milestones are planned ahead, then moved to the date they really had.
        for days_ago, title, reached in past_milestones:
            milestone = planning.add_milestone(
                lead,
                community,
                title=title,
                due_date=timezone.localdate() + datetime.timedelta(days=1),
                owner=members[created % len(members)],
            )
            _backdate(Milestone, milestone, days_ago)
            if reached:
                planning.complete_milestone(lead, milestone)
        milestones = {m.title: m for m in community.milestones.all()}
        for milestone_title, specs in tasks.items():
            milestone = milestones.get(milestone_title)
            if milestone is None:
                continue
            for title, days, status in specs:
                owner = members[created % len(members)]
                due = timezone.localdate() + datetime.timedelta(days=max(days or 0, 1))
                task = planning.add_task(
                    lead,
                    milestone,
                    title=title,
                    owner=owner,
                    due_date=due if days is not None else None,
                    status=status,
                )
                if days is not None and days < 0:
                    _backdate(Task, task, -days)
                created += 1
    created += _members_own_their_steps()
    stdout.write(f"Action plans: {created} tasks created, {Task.objects.count()} in all.")


def _members_own_their_steps():
    """Issue 11: an unassigned task waits for a volunteer, an outer-circle member volunteered for
    another ("je m'en occupe") and marked it done themselves."""
    community = Community.objects.filter(slug="citoyennete-mondiale").first()
    milestone = community.milestones.order_by("due_date").last() if community else None
    if milestone is None or milestone.tasks.filter(title__startswith="Traduire").exists():
        return 0
    lead = community.lead
    planning.add_task(lead, milestone, title="Trouver une salle pour la restitution")
    taken = planning.add_task(lead, milestone, title="Traduire la fiche ODD 4 en créole")
    outer = community.memberships.active().filter(role=Role.OUTER).select_related("user").first()
    if outer is not None:
        planning.volunteer_for_task(outer.user, taken)
        planning.set_task_status(outer.user, taken, TaskStatus.DONE)
    return 2
