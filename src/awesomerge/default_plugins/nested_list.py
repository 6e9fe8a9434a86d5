"""The nested-list source (being written)."""
