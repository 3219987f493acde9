"""The roof has no models (its notification and reminder models moved to those apps)."""
