"""Progress updates: written by a running community's lead or co-lead, read like its content."""

import rules

from cercles.communities.rules import is_leading, is_running, is_writable

rules.add_perm("coordination.post_update", is_leading & is_running & is_writable)
