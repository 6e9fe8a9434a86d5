"""The built-in plugins. Each is an ordinary plugin module, registered like a third party's."""
