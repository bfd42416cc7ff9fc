"""Routes of the action plan (milestones and tasks) for cercles/core/tests/test_routes.py."""

from cercles.core.tests.test_routes import statuses

EXPECTED = {
    "communities:milestones": statuses(302, 200, 200),
    "communities:milestone_add": statuses(302, 403, 403),
    "communities:milestone_edit": statuses(302, 403, 403),
    "communities:milestone_complete": statuses(302, 405, 405),
    "communities:task_add": statuses(302, 403, 403),
    "communities:task_edit": statuses(302, 403, 403),
    "communities:task_status": statuses(302, 405, 405),
    "communities:task_volunteer": statuses(302, 405, 405),
    "communities:import_members": statuses(302, 403, 200),
    "communities:import_detail": statuses(302, 403, 404),
    "communities:export": statuses(302, 403, 200),
    "communities:export_download": statuses(302, 403, 404),
}


def route_values(community, member):
    from cercles.communities.models import Task

    milestone = community.milestones.first()
    task = Task.objects.create(milestone=milestone, title="Rédiger la fiche", owner=member)
    return {"milestone_id": milestone.pk, "task_id": task.pk}
