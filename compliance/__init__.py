"""compliance: check republished newswire articles against the newswire's syndication terms."""

__version__ = "0.1.0"
