"""pingjian (評鑑): quality evaluations of Taiwan's healthcare institutions, end to end."""

__version__ = "0.1.0"
