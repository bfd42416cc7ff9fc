"""The parts of a community (discussions, meetings, library…), shown as its navigation.

Each app registers its section once, from its AppConfig.ready(); a section appears to a person
only when they hold its permission on the community, so a part that does not exist or that the
person may not read is never shown.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Section:
    key: str
    label: object  # a lazy translation
    url_name: str  # takes the community's slug
    permission: str = "communities.view_content"
    order: int = 100


SECTIONS: dict[str, Section] = {}


def register_section(key, label, url_name, *, permission="communities.view_content", order=100):
    SECTIONS[key] = Section(key, label, url_name, permission, order)


def sections_for(user, community):
    """[(section, url)] the person may open, in order."""
    return [
        (section, reverse(section.url_name, args=[community.slug]))
        for section in sorted(SECTIONS.values(), key=lambda s: s.order)
        if user.has_perm(section.permission, community)
    ]
