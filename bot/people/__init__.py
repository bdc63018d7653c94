"""Residents, staff and provider members: who they are, what they agreed to share, and forgetting them."""
