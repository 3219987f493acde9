"""Visits have no pages yet; the site-visit stage adds them."""
