"""Reporting: value-creation stories, the stage of life, the quarterly report, the statistics."""

import rules

from cercles.accounts.rules import is_coordinator, is_member
from cercles.communities.rules import can_see_content, is_active_member, is_leading, is_writable


@rules.predicate
def leads_story_community(user, story):
    return story is not None and is_leading(user, story.community)


@rules.predicate
def story_community_writable(user, story):
    return story is not None and is_writable(user, story.community)


@rules.predicate
def is_story_author(user, story):
    return story is not None and user.is_authenticated and story.author_id == user.pk


# Stories: any active member tells one; whoever reads the community reads them; its leads
# feature them (for the quarterly report and the celebration page).
rules.add_perm("reporting.view_stories", can_see_content)
rules.add_perm("reporting.tell_story", is_active_member & is_writable)
rules.add_perm("reporting.feature_story", is_leading & is_writable)
rules.add_perm(
    "reporting.delete_story",
    (is_story_author | leads_story_community | is_coordinator) & story_community_writable,
)

# The stage: shown with the community's content; coordinators may set another with a reason.
rules.add_perm("reporting.view_stage", can_see_content)
rules.add_perm("reporting.override_stage", is_coordinator & is_writable)

# Coordinators' pages: story counts, statistics, the quarterly report being written.
rules.add_perm("reporting.view_story_counts", is_coordinator)
rules.add_perm("reporting.view_statistics", is_coordinator)
rules.add_perm("reporting.manage_reports", is_coordinator)
# Leads and members write a piece for their own community's block; the lead of a private
# community chooses whether its compiled figures show.
rules.add_perm("reporting.contribute", is_active_member & is_writable)
rules.add_perm("reporting.share_report_details", is_leading & is_writable)
# A published report is read by every member of the network.
rules.add_perm("reporting.view_published_reports", is_member)
