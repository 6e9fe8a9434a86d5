"""The readme output (being written)."""
