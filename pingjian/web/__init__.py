"""The web application (Django 5.2): calls the rules core; the core never imports it."""
