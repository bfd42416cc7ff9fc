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
