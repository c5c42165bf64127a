"""Finding the copies: a newswire's partners, the listings of their sites, and which listed
pages are worth fetching.

The boundary: this stage turns a partners file into audit targets (with what each listing
said of them) and counts what it looked at and left. It fetches only listings (robots.txt,
sitemaps, feeds, home pages) through the audit's polite fetcher; pages are fetched and
checked by the audit runner, as for any other source.

May import every stage up to the audit (its store keeps discovery's memory, its targets are
what discovery hands over); only the command line imports it.
"""
