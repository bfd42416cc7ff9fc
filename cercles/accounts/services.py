from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cercles.core.audit import record_event
from cercles.taxonomy.services import skills_from_names

from .models import User

PROFILE_FIELDS = [
    "display_name", "organisation", "job_title", "country", "region", "spoken_languages",
    "sought_objectives",
    "bio", "looking_for", "language", "timezone",
]  # fmt: skip


@transaction.atomic
def update_profile(
    actor, person, *, themes, skill_names, new_avatar=None, remove_avatar=False, **fields
):
    """Save a person's own profile and preferences."""
    if not actor.has_perm("accounts.change_profile", person):
        raise PermissionDenied
    for name, value in fields.items():
        if name not in PROFILE_FIELDS:
            raise TypeError(f"unknown profile field {name}")
        setattr(person, name, value)
    old_avatar = person.avatar.name if person.avatar else ""
    if new_avatar is not None:
        person.avatar.save(new_avatar.name, new_avatar, save=False)
    elif remove_avatar:
        person.avatar = ""
    person.full_clean(exclude=["password", "username", "email"])
    person.save()
    person.themes.set(themes)
    person.skills.set(skills_from_names(skill_names))
    if old_avatar and old_avatar != (person.avatar.name if person.avatar else ""):
        storage = person.avatar.storage
        transaction.on_commit(lambda: storage.delete(old_avatar))
    record_event(actor, "profile.updated", person)
    return person


def set_language_preference(person, language):
    person.language = language
    person.save(update_fields=["language"])


@transaction.atomic
def grant_coordinator_role(actor, person):
    if not actor.has_perm("accounts.manage_coordinators"):
        raise PermissionDenied
    if person.is_coordinator:
        raise ValidationError(_("%(name)s is already a coordinator.") % {"name": person.name})
    person.is_coordinator = True
    person.save(update_fields=["is_coordinator"])
    record_event(actor, "role.coordinator_granted", person)


@transaction.atomic
def revoke_coordinator_role(actor, person):
    if not actor.has_perm("accounts.manage_coordinators"):
        raise PermissionDenied
    if not person.is_coordinator:
        raise ValidationError(_("%(name)s is not a coordinator.") % {"name": person.name})
    # Lock the coordinators so that two simultaneous removals cannot leave the network without one.
    remaining = User.objects.select_for_update().coordinators().exclude(pk=person.pk)
    if not remaining.exists():
        raise ValidationError(_("The network needs at least one coordinator."))
    person.is_coordinator = False
    person.save(update_fields=["is_coordinator"])
    record_event(actor, "role.coordinator_revoked", person)
