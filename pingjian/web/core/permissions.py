"""Core permissions: none of its own (see accounts.permissions for the role predicates)."""
