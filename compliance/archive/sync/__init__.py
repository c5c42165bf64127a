"""Keeping a newswire's archive current: `compliance archive sync` and `--originals URL`.

A source (a WordPress site's REST API, an RSS/Atom feed with its history pages, or a news
sitemap whose pages are fetched and read) is turned into the JSON Lines originals format of
the contract, incrementally: a second sync fetches what changed since the first. Fetching goes
through the audit's polite fetcher (robots.txt, pacing, retries, checked addresses).

Imports the page readers, the fetcher and the originals format; nothing that checks copies.
"""
