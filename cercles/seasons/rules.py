"""Season permissions. Community-level ones take the community, the others a season or an
objective. Every write ends with `& is_writable`: nothing changes in an archived community."""

import rules

from cercles.communities.lifecycle import State
from cercles.communities.rules import (
    can_see_content,
    is_core_or_leading,
    is_ended,
    is_leading,
    is_running,
    is_writable,
)


@rules.predicate
def is_reframing(user, community):
    return community is not None and community.state == State.REFRAMING


def _on_community(predicate):
    @rules.predicate(name=f"season_{predicate.name}")
    def on_season(user, obj):
        return obj is not None and predicate.test(user, obj.community)

    return on_season


@rules.predicate
def is_published(user, season):
    return season is not None and season.is_published


@rules.predicate
def has_started(user, season):
    return season is not None and season.has_started()


# The lead plans the seasons of a running community, and of one being reframed (the season it
# prepares for the coordinators' review).
plans = is_leading & (is_running | is_reframing) & is_writable

rules.add_perm("seasons.view_seasons", can_see_content)
rules.add_perm("seasons.plan_seasons", plans)
rules.add_perm("seasons.change_season", _on_community(plans) & ~is_published)
rules.add_perm("seasons.change_objective", _on_community(plans))
rules.add_perm(
    "seasons.move_objective", _on_community(is_core_or_leading & is_running) & is_writable
)
rules.add_perm(
    "seasons.review_season",
    _on_community(is_leading & (is_running | is_ended)) & has_started & ~is_published & is_writable,
)
rules.add_perm("seasons.view_celebration", _on_community(can_see_content) & is_published)
