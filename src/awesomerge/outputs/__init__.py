"""The built-in output plugins: one per output file, each registered like a third party's."""
