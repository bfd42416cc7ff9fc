"""Progress updates: written by a running community's lead or co-lead, read like its content."""

import rules

from cercles.accounts.rules import is_coordinator, is_member
from cercles.communities.rules import is_leading, is_running, is_writable

rules.add_perm("coordination.post_update", is_leading & is_running & is_writable)

# The newsletter: coordinators write and send it, see how the sending went; members read the
# archive of the ones sent.
rules.add_perm("coordination.manage_newsletters", is_coordinator)
rules.add_perm("coordination.view_sending", is_coordinator)
rules.add_perm("coordination.view_newsletter_archive", is_member)

# The follow-up of communities (issue 14): the coordinators' own watch.
rules.add_perm("coordination.view_dashboard", is_coordinator)
rules.add_perm("coordination.edit_thresholds", is_coordinator)
rules.add_perm("coordination.view_follow_up", is_coordinator)
rules.add_perm("coordination.write_follow_up_note", is_coordinator)
rules.add_perm("coordination.contact_lead", is_coordinator)
