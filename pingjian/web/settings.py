"""Settings, read from the environment in one place. (Placeholder: the web issue fleshes it out.)"""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "placeholder"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True
