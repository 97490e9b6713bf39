"""PDF: the HTML laid out by WeasyPrint, behind a fetcher and layout guards."""
