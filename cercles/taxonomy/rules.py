import rules

from cercles.accounts.rules import is_coordinator

rules.add_perm("taxonomy.manage_themes", is_coordinator)
