"""A community's export: a ZIP of its framing, members, discussions, meetings, library…

Each app contributes its part through `register_export_part` from its AppConfig.ready() (the
discussions, the meetings, the library; surveys will add their results), so that communities
needs no knowledge of the apps built on it. A part is written only when the person asking may
read it (`permission` on the community). Parts write a piece at a time (querysets read with
`.iterator()`, files copied in chunks), so that exporting a community of thousands of members
and posts uses bounded memory.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from .framing import framing_fields


@dataclass(frozen=True)
class ExportPart:
    key: str  # the folder in the archive
    label: object
    write: Callable  # write(community, writer, folder)
    permission: str = "communities.view_content"
    order: int = 100


EXPORT_PARTS: dict[str, ExportPart] = {}


def register_export_part(key, label, write, *, permission="communities.view_content", order=100):
    EXPORT_PARTS[key] = ExportPart(key, label, write, permission, order)


def parts_for(user, community):
    return [
        part
        for part in sorted(EXPORT_PARTS.values(), key=lambda p: (p.order, p.key))
        if user.has_perm(part.permission, community)
    ]


def export_filename(community):
    return f"cercles-{community.slug}-{timezone.localdate():%Y-%m-%d}.zip"


def write_community_export(community, requester, writer):
    """Write the whole export of `community` as `requester` may read it."""
    parts = parts_for(requester, community)
    writer.text("README.md", _readme(community, requester, parts))
    for part in parts:
        part.write(community, writer, part.key)
    if writer.missing:
        writer.text(
            "MISSING.md",
            _("These files could not be found in storage when the export was made:")
            + "\n\n"
            + "\n".join(f"- {name}" for name in writer.missing)
            + "\n",
        )


def _readme(community, requester, parts):
    lines = [
        f"# {community.title}",
        "",
        _("Export of the community “%(title)s” made on %(date)s for %(name)s.")
        % {
            "title": community.title,
            "date": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "name": requester.name,
        },
        "",
        _("State: %(state)s. Address: %(url)s")
        % {"state": community.get_state_display(), "url": community.get_absolute_url()},
        "",
        "## " + _("Contents"),
        "",
    ]
    lines += [f"- `{part.key}/`: {part.label}" for part in parts]
    lines += [
        "",
        _(
            "Texts are in Markdown (.md), tables in CSV (UTF-8, comma-separated), meetings in "
            "iCalendar (.ics) for calendar programs. Files keep the names they were given."
        ),
        "",
    ]
    return "\n".join(lines)


# --- The parts of the communities app ---------------------------------------------------------


def md_heading(text, level=2):
    return "#" * level + " " + " ".join(str(text).split()) + "\n\n"


def write_framing(community, writer, folder):
    def chunks():
        yield md_heading(community.title, 1)
        yield f"*{community.get_state_display()}*\n\n"
        for label, text in framing_fields(community):
            if text:
                yield md_heading(label) + text.strip() + "\n\n"
        if community.next_steps:
            yield md_heading(_("Next steps")) + community.next_steps.strip() + "\n\n"
        yield md_heading(_("History"))
        for change in community.state_changes.select_related("actor").order_by("created_at"):
            line = f"- {timezone.localtime(change.created_at):%Y-%m-%d}: "
            line += f"{change.get_from_state_display() or '—'} → {change.get_to_state_display()}"
            if change.actor:
                line += f" ({change.actor.name})"
            if change.reason:
                line += f": {' '.join(change.reason.split())}"
            yield line + "\n"

    writer.lines(f"{folder}/framing.md", chunks())
    writer.csv(
        f"{folder}/milestones.csv",
        [_("Milestone"), _("Date"), _("Owner"), _("Reached"), _("Task"), _("Task status")],
        _milestone_rows(community),
    )


def _milestone_rows(community):
    milestones = community.milestones.select_related("owner").prefetch_related("tasks__owner")
    for milestone in milestones:
        owner = milestone.owner.name if milestone.owner else ""
        yield [milestone.title, milestone.due_date, owner, _yes_no(milestone.done), "", ""]
        for task in milestone.tasks.all():
            yield ["", task.due_date or "", task.owner.name if task.owner else "", "",
                   task.title, task.get_status_display()]  # fmt: skip


def _yes_no(value):
    return _("yes") if value else _("no")


def write_members(community, writer, folder):
    from .circles import in_circle_order

    memberships = (
        in_circle_order(community.memberships.active())
        .select_related("user")
        .only(
            "role",
            "involvement",
            "objective",
            "joined_at",
            "user__display_name",
            "user__email",
            "user__username",
            "user__organisation",
            "user__deleted_at",
        )  # fmt: skip
    )
    writer.csv(
        f"{folder}/members.csv",
        [
            _("Name"),
            _("Organisation"),
            _("Role"),
            _("Involvement"),
            _("What they expect"),
            _("Joined"),
        ],  # fmt: skip
        (
            [
                m.user.name,
                m.user.organisation,
                m.get_role_display(),
                m.get_involvement_display(),
                m.objective,
                timezone.localtime(m.joined_at).date() if m.joined_at else "",
            ]
            for m in memberships.iterator(chunk_size=1000)
        ),
    )
