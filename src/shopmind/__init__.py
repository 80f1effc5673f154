"""ShopMind: the AI features of the largest marketplaces, for any online shop."""

__version__ = "0.1.0"
