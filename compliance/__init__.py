"""compliance: check republished newswire articles against the newswire's syndication terms."""

__version__ = "0.1.0"

# The name on the package index. "compliance" there is an unrelated project, so the
# distribution has its own name; the import package and the command keep "compliance".
DISTRIBUTION = "syndication-compliance"
