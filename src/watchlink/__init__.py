"""watchlink: shared watchlists, encounter screening and hit routing for partner agencies."""

__version__ = "0.1.0"
__all__ = ["__version__"]
