"""Reading a page: from bytes (a file, standard input, a URL) to an `Article`: encodings, the
HTML tree and its regions, Markdown and plain text, metadata, bylines and people's names,
the links that name an original, the article's paragraphs, and `inspect`'s view of it all.

May import: `compliance.model`, `compliance.errors`, `compliance.common`, `compliance.web`.
"""
