"""Assemble: (topic, audience) -> one render-neutral Briefing, furniture included."""
