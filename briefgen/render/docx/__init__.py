"""Word: python-docx writer, Word XML helpers, footnotes and reference documents."""
