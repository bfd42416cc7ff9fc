"""What Cercles holds about a person, part by part: exported on request, erased on deletion.

Accounts is the ground floor: the apps above register their part here (memberships, posts,
notes, meeting answers, notifications…) from their AppConfig.ready(), so that "download my data"
and "delete my account" cover them without accounts importing them. A part may give:

- `export(person, writer)`: write its files into the person's archive (an `ArchiveWriter`),
  under a folder named after the part's key;
- `erase(person, actor)`: erase or detach what must not outlive the account (called inside the
  deletion's transaction, before the account row is anonymised);
- `blockers(person)`: reasons the person cannot delete their account themselves yet (a lead
  must hand over first), as translated sentences;
- `warnings(person)`: what a coordinator deleting the account should know first.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonalDataPart:
    key: str
    label: object
    description: object = ""
    export: Callable | None = None
    erase: Callable | None = None
    blockers: Callable | None = None
    warnings: Callable | None = None
    order: int = 100


PARTS: dict[str, PersonalDataPart] = {}


def register(key, label, *, description="", export=None, erase=None, blockers=None,
             warnings=None, order=100):  # fmt: skip
    PARTS[key] = PersonalDataPart(key, label, description, export, erase, blockers, warnings, order)


def parts():
    return sorted(PARTS.values(), key=lambda part: (part.order, part.key))


def deletion_blockers(person):
    return [reason for part in parts() if part.blockers for reason in part.blockers(person)]


def deletion_warnings(person):
    return [warning for part in parts() if part.warnings for warning in part.warnings(person)]


def write_personal_data(person, writer):
    for part in parts():
        if part.export:
            part.export(person, writer)


def erase_personal_data(person, actor):
    for part in parts():
        if part.erase:
            part.erase(person, actor)


# --- The account's own part -------------------------------------------------------------------

README = """# {title}

{intro}

{parts}
"""


def export_profile(person, writer):
    from django.utils import timezone
    from django.utils.translation import gettext as _

    writer.text(
        "README.md",
        README.format(
            title=_("Your data in Cercles"),
            intro=_(
                "This archive holds what Cercles keeps about you on %(date)s: one folder per "
                "part, in JSON (for programs) and Markdown (to read)."
            )
            % {"date": timezone.localdate().isoformat()},
            parts="\n".join(
                f"- `{part.key}/`: {part.label}"
                + (f" — {part.description}" if part.description else "")
                for part in parts()
                if part.export
            ),
        ),
    )
    writer.json(
        "profile/profile.json",
        {
            "username": person.username,
            "email": person.email,
            "display_name": person.display_name,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "organisation": person.organisation,
            "job_title": person.job_title,
            "country": str(person.country or ""),
            "region": person.region,
            "themes": [theme.name for theme in person.themes.all()],
            "skills": [skill.name for skill in person.skills.all()],
            "spoken_languages": person.spoken_languages,
            "bio": person.bio,
            "sought_objectives": person.sought_objectives,
            "looking_for": person.looking_for,
            "language": person.language,
            "timezone": person.timezone,
            "is_coordinator": person.is_coordinator,
            "date_joined": person.date_joined,
            "last_login": person.last_login,
        },
    )
    if person.avatar:
        writer.file("profile/avatar.jpg", person.avatar)
    writer.json(
        "profile/consents.json",
        {
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in person.emailaddress_set.all()
            ],
            "api_tokens": [
                {
                    "name": token.name,
                    "scope": token.scope,
                    "created_at": token.created_at,
                    "expires_at": token.expires_at,
                    "last_used_at": token.last_used_at,
                    "revoked_at": token.revoked_at,
                }
                for token in person.api_tokens.all()
            ],
        },
    )
