"""The agency's content pack: services, wording, units, calendar, SLA classes.

Everything an agency changes lives in YAML files under ``content/<pack>/``;
this package validates and loads it. See ``schema.py`` for the shapes.
"""
from bot.content.loader import ContentError, Problem, check_content_dir, load_pack
from bot.content.schema import Agency, Pack, Service
from bot.content.convert import service_yaml_from_parsed

__all__ = [
    "Agency", "ContentError", "Pack", "Problem", "Service",
    "check_content_dir", "load_pack", "service_yaml_from_parsed",
]
