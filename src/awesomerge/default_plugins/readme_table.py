"""The readme-table source (being written)."""
