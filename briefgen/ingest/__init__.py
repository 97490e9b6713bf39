"""Ingest: raw documents in, draft sources and topics out; provenance checks against them."""
