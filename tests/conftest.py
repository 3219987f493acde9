"""Test-wide settings. The dental claims-stage cache (pingjian/dental/cache.py) is off, so every
test computes what it checks (an engine-equality test must not read the other engine's result
from the cache); tests/dental/test_cache.py turns it on in a temporary directory."""

import os

os.environ["PINGJIAN_DENTAL_CACHE"] = "off"
