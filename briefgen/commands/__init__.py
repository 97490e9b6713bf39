"""Commands beside build: validate, serve, scaffold (init, templates list and eject)."""
