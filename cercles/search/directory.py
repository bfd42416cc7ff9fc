"""The expert directory (/people/): who knows what, where, and why each person matches; and
"people who could help" a community, for its lead to invite.

Filters are conditions in one query over the directory's people; the reasons shown on each card
are read for the page's people only (a bounded number of queries per page).
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from cercles.accounts.models import User
from cercles.communities.lifecycle import JOINABLE_STATES, PUBLISHED_STATES
from cercles.communities.models import (
    LEADING_ROLES,
    Community,
    Membership,
    MembershipStatus,
)

from . import query as search_query
from . import text as t
from .models import SearchEntry

# Issue 14 gives profiles "available to mentor"; the filter appears once the field exists.
MENTOR_FIELDS = ("available_to_mentor", "available_as_mentor", "is_available_to_mentor")


def mentor_field():
    names = {f.name for f in User._meta.get_fields()}
    return next((name for name in MENTOR_FIELDS if name in names), None)


def has_led():
    """People who lead or co-lead a published community, or once did."""
    return Exists(
        Membership.objects.filter(
            user=OuterRef("pk"),
            role__in=LEADING_ROLES,
            community__state__in=PUBLISHED_STATES,
        )
    ) | Exists(Community.objects.filter(lead=OuterRef("pk"), state__in=PUBLISHED_STATES))


@dataclass
class PeopleFilters:
    q: str = ""
    skill: object = None
    theme: object = None
    territory: object = None
    country: str = ""
    organisation: str = ""
    language: str = ""
    mentor: bool = False
    has_led: bool = False

    def __bool__(self):
        return any(
            [
                self.q,
                self.skill,
                self.theme,
                self.territory,
                self.country,
                self.organisation,
                self.language,
                self.mentor,
                self.has_led,
            ]
        )


def people(user, filters):
    """The directory's people matching the filters, in name order (or best match first)."""
    found = User.objects.for_directory().filter(deleted_at__isnull=True)
    if filters.skill is not None:
        found = found.filter(
            pk__in=User.skills.through.objects.filter(skill_id=filters.skill.pk).values("user_id")
        )
    if filters.theme is not None:
        found = found.filter(
            pk__in=User.themes.through.objects.filter(theme_id=filters.theme.pk).values("user_id")
        )
    if filters.territory is not None:
        found = found.filter(country__in=list(filters.territory.countries or []))
    if filters.country:
        found = found.filter(country=filters.country)
    if filters.organisation:
        found = found.filter(organisation__icontains=filters.organisation)
    if filters.language:
        # Stored as a JSON list of codes: matched as the quoted code in its text.
        found = found.filter(spoken_languages__icontains=f'"{filters.language}"')
    if filters.mentor and (name := mentor_field()):
        found = found.filter(**{name: True})
    if filters.has_led:
        found = found.filter(has_led())
    if filters.q:
        query = t.parse(filters.q, last_word_prefix=True)
        if not query:
            return found.none(), query
        matching = SearchEntry.objects.filter(
            search_query.visible(user, ["person"]), search_query._matching(query)
        ).values("object_id")
        found = found.filter(pk__in=matching)
        return found.order_by("display_name", "username"), query
    return found.order_by("display_name", "username"), None


@dataclass
class Card:
    person: User
    reasons: list = field(default_factory=list)  # (label, value, marked?) pairs
    excerpt: str = ""


def cards(people_page, filters, query):
    """Each person of the page with why they match the filters (4 queries for the page)."""
    from django.utils.translation import gettext as _

    persons = list(people_page)
    ids = [p.pk for p in persons]
    skills, themes = {}, {}
    for row in User.skills.through.objects.filter(user_id__in=ids).select_related("skill"):
        skills.setdefault(row.user_id, []).append(row.skill)
    for row in User.themes.through.objects.filter(user_id__in=ids).select_related("theme"):
        themes.setdefault(row.user_id, []).append(row.theme)
    led = {}
    if filters.has_led or filters:
        for membership in (
            Membership.objects.filter(
                user_id__in=ids,
                role__in=LEADING_ROLES,
                community__state__in=PUBLISHED_STATES,
            )
            .select_related("community")
            .only("user_id", "community__title", "community__slug")
        ):
            led.setdefault(membership.user_id, []).append(membership.community)
    texts = {}
    if query:
        texts = dict(
            SearchEntry.objects.filter(kind="person", object_id__in=ids).values_list(
                "object_id", "text"
            )
        )
    test = t.matches(query) if query else (lambda word: False)
    result = []
    for person in persons:
        card = Card(person)
        person_skills = skills.get(person.pk, [])
        person_themes = themes.get(person.pk, [])
        person.card_skills, person.card_themes = person_skills, person_themes
        if filters.skill is not None:
            card.reasons.append((_("Skill"), filters.skill.name))
        if filters.theme is not None:
            card.reasons.append((_("Theme"), filters.theme.name))
        if filters.territory is not None:
            card.reasons.append((_("Territory"), filters.territory.name))
        if filters.country and person.country:
            card.reasons.append((_("Country"), person.country.name))
        if filters.organisation:
            card.reasons.append((_("Organisation"), person.organisation))
        if filters.language:
            names = dict(zip(person.spoken_languages, person.spoken_language_names, strict=False))
            card.reasons.append((_("Speaks"), names.get(filters.language, filters.language)))
        if filters.mentor:
            card.reasons.append((_("Mentoring"), _("available to mentor")))
        if led.get(person.pk) and (filters.has_led or not filters):
            titles = ", ".join(c.title for c in led[person.pk][:3])
            card.reasons.append((_("Has led"), titles))
        if query:
            for skill in person_skills:
                if any(test(w) for w in t.WORD.findall(skill.name)):
                    card.reasons.append((_("Skill"), skill.name))
            for theme in person_themes:
                if any(test(w) for w in t.WORD.findall(f"{theme.name_fr} {theme.name_en}")):
                    card.reasons.append((_("Theme"), theme.name))
            card.excerpt = t.excerpt(texts.get(person.pk, ""), query, length=160)
        result.append(card)
    return result


def could_help(community, *, limit=6):
    """Members of the network, not (yet) in the community, whose skills and themes match its
    framing, best match first: shown to its leads so that they may invite them."""
    from django.db.models import Count, F, Value

    from cercles.taxonomy.models import Skill

    theme_ids = list(community.themes.values_list("pk", flat=True))
    framing = " ".join(
        [
            community.title,
            community.purpose,
            community.problem_statement,
            community.positioning,
            community.expected_productions,
        ]
    )
    stems = {t.stems(w)[0] for w in t.words(framing) if w not in t.STOP_WORDS and len(w) > 2}
    skill_ids = [
        skill.pk
        for skill in Skill.objects.only("pk", "name")
        if any(t.stems(w)[0] in stems for w in t.words(skill.name))
    ]
    if not theme_ids and not skill_ids:
        return []
    already = Membership.objects.filter(
        community=community,
        status__in=[MembershipStatus.ACTIVE, MembershipStatus.PENDING],
    ).values("user_id")
    found = (
        User.objects.for_directory()
        .filter(deleted_at__isnull=True)
        .exclude(pk__in=already)
        .annotate(
            # An empty list in a filter would empty the whole query: 0 stands for it.
            skill_score=Count("skills", filter=Q(skills__in=skill_ids), distinct=True)
            if skill_ids
            else Value(0),
            theme_score=Count("themes", filter=Q(themes__in=theme_ids), distinct=True)
            if theme_ids
            else Value(0),
        )
        .filter(Q(skill_score__gt=0) | Q(theme_score__gt=0))
        .order_by(-(2 * F("skill_score") + F("theme_score")), "display_name", "pk")[:limit]
    )
    found = list(found.prefetch_related("skills", "themes"))
    return [
        {
            "person": person,
            "skills": [s for s in person.skills.all() if s.pk in skill_ids],
            "themes": [th for th in person.themes.all() if th.pk in theme_ids],
        }
        for person in found
    ]


def can_be_invited(community):
    return community.state in JOINABLE_STATES
