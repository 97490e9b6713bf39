"""The command line: briefgen CMD ...; the trunk is cli/main.py, commands live beside it by concern."""
