"""Render: the renderer registry and one subpackage per output format."""
