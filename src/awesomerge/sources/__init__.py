"""The built-in source plugins: one per input shape, each registered like a third party's."""
