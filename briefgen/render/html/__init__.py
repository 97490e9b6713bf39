"""HTML: the sandboxed Jinja templates and the self-contained HTML format."""
