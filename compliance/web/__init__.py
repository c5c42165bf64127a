"""Fetching from other people's servers: the address-checked, bounded fetcher (`check URL`,
the audit, the archive sync), politeness (robots.txt, pacing per host) and sitemaps.

May import: `compliance.model`, `compliance.errors`, `compliance.common`.
"""
