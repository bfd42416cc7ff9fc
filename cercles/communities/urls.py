from django.urls import path

from .views import catalogue, data, framing, home, membership, milestones, recruiting, review

app_name = "communities"

urlpatterns = [
    path("communities/", catalogue.catalogue, name="catalogue"),
    path("communities/propose/", framing.propose, name="propose"),
    path("communities/<slug:slug>/", home.community_detail, name="detail"),
    path("communities/<slug:slug>/framing/", framing.edit_framing, name="framing"),
    path("communities/<slug:slug>/framing/submit", framing.submit, name="submit"),
    path("communities/<slug:slug>/next-steps", home.edit_next_steps, name="next_steps"),
    path("communities/<slug:slug>/state/<str:transition>", home.change_state, name="change_state"),
    path("communities/<slug:slug>/members/", membership.members, name="members"),
    path("communities/<slug:slug>/members/import/", data.import_members, name="import_members"),
    path(
        "communities/<slug:slug>/members/import/<int:import_id>/",
        data.import_detail,
        name="import_detail",
    ),
    path("communities/<slug:slug>/export/", data.export, name="export"),
    path(
        "communities/<slug:slug>/export/<int:export_id>/download",
        data.export_download,
        name="export_download",
    ),
    path("communities/<slug:slug>/join/", membership.join, name="join"),
    path("communities/<slug:slug>/leave/", membership.leave, name="leave"),
    path("communities/<slug:slug>/involvement/", membership.involvement, name="involvement"),
    path("communities/<slug:slug>/invite/", membership.invite, name="invite"),
    path("communities/<slug:slug>/hand-over/", membership.hand_over, name="hand_over"),
    path(
        "communities/<slug:slug>/members/<int:membership_id>/answer",
        membership.answer_request,
        name="answer_request",
    ),
    path("communities/<slug:slug>/key-people/", recruiting.key_people, name="key_people"),
    path(
        "communities/<slug:slug>/key-people/<int:person_id>/status",
        recruiting.key_person_status,
        name="key_person_status",
    ),
    path(
        "communities/<slug:slug>/key-people/<int:person_id>/delete",
        recruiting.key_person_delete,
        name="key_person_delete",
    ),
    path("communities/<slug:slug>/members/support/", recruiting.support, name="support"),
    path(
        "communities/<slug:slug>/members/<int:membership_id>/support-letter",
        recruiting.support_letter,
        name="support_letter",
    ),
    path(
        "communities/<slug:slug>/members/<int:membership_id>/relay",
        recruiting.set_relay,
        name="set_relay",
    ),
    path(
        "communities/<slug:slug>/members/<int:membership_id>/role",
        membership.change_role,
        name="change_role",
    ),
    path(
        "communities/<slug:slug>/members/<int:membership_id>/remove",
        membership.remove,
        name="remove_member",
    ),
    path("invitations/<str:token>/", membership.invitation, name="invitation"),
    path("review/", review.queue, name="review_queue"),
    path("communities/<slug:slug>/review/", review.review, name="review"),
    path("communities/<slug:slug>/milestones/", milestones.milestone_list, name="milestones"),
    path("communities/<slug:slug>/milestones/new", milestones.milestone_add, name="milestone_add"),
    path(
        "communities/<slug:slug>/milestones/<int:milestone_id>/edit",
        milestones.milestone_edit,
        name="milestone_edit",
    ),
    path(
        "communities/<slug:slug>/milestones/<int:milestone_id>/reached",
        milestones.milestone_complete,
        name="milestone_complete",
    ),
    path(
        "communities/<slug:slug>/milestones/<int:milestone_id>/tasks/new",
        milestones.task_add,
        name="task_add",
    ),
    path(
        "communities/<slug:slug>/milestones/tasks/<int:task_id>/edit",
        milestones.task_edit,
        name="task_edit",
    ),
    path(
        "communities/<slug:slug>/milestones/tasks/<int:task_id>/status",
        milestones.task_status,
        name="task_status",
    ),
    path(
        "communities/<slug:slug>/milestones/tasks/<int:task_id>/volunteer",
        milestones.task_volunteer,
        name="task_volunteer",
    ),
]
