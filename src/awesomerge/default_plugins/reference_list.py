"""The reference-list source (being written)."""
