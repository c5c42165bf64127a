"""The newswire's weekly audit: sources expanded to pages, pages fetched politely and checked
within a budget, history kept in a store, and the week-over-week report in its formats, with
fix requests for republishers.

May import every stage up to `compliance.engine`, `compliance.report` and `compliance.ci`.
"""
