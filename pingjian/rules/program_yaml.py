"""Reading program YAML text: PyYAML's safe loader, libyaml's when PyYAML was built with it.

A leaf module, so that both program loaders (`programs`, `dental_program`) use one parser
without importing each other.
"""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's parser when PyYAML was built with it (about 6× faster; same safe constructors)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """`yaml.safe_load`, with libyaml when available."""
    return yaml.load(text, Loader=_YAML_LOADER)
