"""Tools every stage shares, knowing nothing of pages, archives or rules: text normalisation
and fuzzy phrases, the bounded YAML loader, the cache directory, atomic file writes, the
budgeted worker pool, and pydantic's errors in the words of someone writing YAML.

May import: `compliance.model`, `compliance.errors`.
"""
