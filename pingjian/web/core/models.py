"""Core has no models: it holds the base templates, filters, navigation and the access choke point."""
