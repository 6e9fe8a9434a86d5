"""The blog-post source (being written)."""
