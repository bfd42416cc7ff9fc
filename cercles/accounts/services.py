import datetime
import secrets

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cercles.core.archives import delete_archive_file
from cercles.core.audit import record_event
from cercles.core.models import ArchiveStatus
from cercles.core.timezones import is_valid_zone
from cercles.taxonomy.services import skills_from_names

from .models import ApiToken, PersonalDataExport, User
from .personal_data import deletion_blockers, erase_personal_data

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


def set_time_zone(person, zone):
    """The zone a person reads times in (chosen at sign-up, on an invitation, in the profile)."""
    if not is_valid_zone(zone):
        raise ValidationError({"timezone": _("Unknown time zone.")})
    if person.timezone != zone:
        person.timezone = zone
        person.save(update_fields=["timezone"])


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


# --- API tokens -------------------------------------------------------------------------------

MAX_LIVE_TOKENS = 20
TOKEN_LIFETIMES_DAYS = (7, 30, 90, 365)
# A token's "last used" date is written at most this often, not on every request.
LAST_USED_PRECISION = datetime.timedelta(minutes=5)


class TokenRejected(Exception):
    """An API token that does not authenticate: unknown, revoked, expired, or its owner gone."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason  # "unknown", "revoked", "expired"


@transaction.atomic
def create_api_token(actor, *, name, scope, lifetime_days):
    """A new personal token; returns (token, the raw token to show once)."""
    if not actor.has_perm("accounts.manage_api_tokens"):
        raise PermissionDenied
    if lifetime_days not in TOKEN_LIFETIMES_DAYS:
        raise ValidationError({"lifetime_days": _("Choose one of the proposed lifetimes.")})
    if ApiToken.objects.filter(user=actor).live().count() >= MAX_LIVE_TOKENS:
        raise ValidationError(
            _("You already have %(count)s valid tokens: revoke one before creating another.")
            % {"count": MAX_LIVE_TOKENS}
        )
    raw = ApiToken.PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=actor,
        name=name.strip(),
        hint=raw[: len(ApiToken.PREFIX) + 6],
        key_hash=ApiToken.hash_of(raw),
        scope=scope,
        expires_at=timezone.now() + datetime.timedelta(days=lifetime_days),
    )
    token.full_clean()
    token.save()
    record_event(actor, "api_token.created", actor, token=token.pk, name=token.name, scope=scope)
    return token, raw


@transaction.atomic
def revoke_api_token(actor, token):
    if not actor.has_perm("accounts.revoke_api_token", token):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(actor, "api_token.revoked", token.user, token=token.pk, name=token.name)
    return token


def authenticate_api_token(raw):
    """The live token for a raw token, with its user; TokenRejected otherwise."""
    if not raw or not raw.startswith(ApiToken.PREFIX) or len(raw) > 200:
        raise TokenRejected("unknown")
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_of(raw)).first()
    if token is None or not token.user.is_active:
        raise TokenRejected("unknown")
    if token.revoked_at is not None:
        raise TokenRejected("revoked")
    now = timezone.now()
    if token.expires_at <= now:
        raise TokenRejected("expired")
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        token.last_used_at = now
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


# --- The person's data: download and deletion -------------------------------------------------


@transaction.atomic
def request_personal_data(actor):
    """Start building the person's archive; one at a time."""
    if not actor.has_perm("accounts.download_own_data"):
        raise PermissionDenied
    if PersonalDataExport.objects.filter(user=actor, status=ArchiveStatus.PENDING).exists():
        raise ValidationError(_("Your archive is already being prepared."))
    export = PersonalDataExport.objects.create(user=actor)
    record_event(actor, "account.data_requested", actor, export=export.pk)
    from .tasks import build_personal_data

    transaction.on_commit(lambda: build_personal_data(export.pk))
    return export


@transaction.atomic
def delete_account(actor, person, *, password=None, reason=""):
    """Delete an account: the person leaves everything, their personal data is erased, what they
    wrote for others stays under "former member".

    The person deletes their own account with their password, once they lead no running
    community; a coordinator deletes one on request, with the reason recorded.
    """
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.deleted_at is not None:
        raise ValidationError(_("This account has already been deleted."))
    by_self = actor.pk == person.pk
    if by_self:
        if not actor.has_perm("accounts.delete_own_account", person):
            raise PermissionDenied
        if not password or not person.check_password(password):
            raise ValidationError({"password": _("This is not your password.")})
        blockers = deletion_blockers(person)
        if blockers:
            raise ValidationError(blockers)
    else:
        if not actor.has_perm("accounts.delete_account", person):
            raise PermissionDenied
        if not reason.strip():
            raise ValidationError({"reason": _("Say who asked for the deletion and why.")})

    erase_personal_data(person, actor)

    ApiToken.objects.filter(user=person, revoked_at__isnull=True).update(revoked_at=timezone.now())
    EmailAddress.objects.filter(user=person).delete()
    old_avatar = person.avatar.name if person.avatar else ""
    storage = person.avatar.storage
    for field in ("display_name", "organisation", "job_title", "region", "bio", "looking_for",
                  "first_name", "last_name"):  # fmt: skip
        setattr(person, field, "")
    person.country = ""
    person.spoken_languages = []
    person.sought_objectives = []
    person.avatar = ""
    person.username = f"deleted-{person.pk}"
    person.email = f"deleted-{person.pk}@deleted.invalid"
    person.is_active = False
    person.is_coordinator = False
    person.is_staff = False
    person.is_superuser = False
    person.deleted_at = timezone.now()
    # A new password hash also ends every session the person had open.
    person.set_unusable_password()
    person.save()
    person.themes.clear()
    person.skills.clear()
    for export in PersonalDataExport.objects.filter(user=person):
        delete_archive_file(export)
    PersonalDataExport.objects.filter(user=person).delete()
    record_event(
        actor,
        "account.deleted",
        person,
        by_self=by_self,
        **({"reason": reason.strip()} if not by_self else {}),
    )
    if old_avatar:
        transaction.on_commit(lambda: storage.delete(old_avatar))
    from .tasks import end_sessions

    transaction.on_commit(lambda: end_sessions(person.pk))
    return person
