"""The project: briefgen.yaml, visual themes and the template search path."""
