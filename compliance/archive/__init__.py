"""The newswire's archive: originals in their formats (JSON Lines, feeds, WordPress exports,
article files), kept current by `sync`, indexed (fingerprints, the on-disk index and its
cache), and matched: a copy aligned paragraph by paragraph with its original.

May import: `compliance.model`, `compliance.errors`, `compliance.common`, `compliance.web`,
`compliance.read`.
"""
