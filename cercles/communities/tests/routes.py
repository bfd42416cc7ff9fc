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
    # Recruiting with allies and the support of organisations (issue 11).
    "communities:key_people": statuses(302, 403, 200),
    "communities:key_person_status": statuses(302, 405, 405),
    "communities:key_person_delete": statuses(302, 405, 405),
    "communities:set_relay": statuses(302, 405, 405),
    "communities:support": statuses(302, 403, 403),
    "communities:support_letter": statuses(302, 403, 404),
    "communities:import_members": statuses(302, 403, 200),
    "communities:import_detail": statuses(302, 403, 404),
    "communities:export": statuses(302, 403, 200),
    "communities:export_download": statuses(302, 403, 404),
}


def route_values(community, member):
    from cercles.communities.models import Task

    milestone = community.milestones.first()
    from cercles.communities.models import KeyPerson

    task = Task.objects.create(milestone=milestone, title="Rédiger la fiche", owner=member)
    person = KeyPerson.objects.create(community=community, name="Awa", reason="Tête de réseau")
    return {"milestone_id": milestone.pk, "task_id": task.pk, "person_id": person.pk}
