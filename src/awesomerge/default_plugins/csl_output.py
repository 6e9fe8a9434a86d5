"""The csl-json output (being written)."""
