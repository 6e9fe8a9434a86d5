"""The bibtex output (being written)."""
