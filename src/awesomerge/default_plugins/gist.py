"""The gist source (being written)."""
