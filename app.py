"""ChainGauge composition root: ``create_app`` composes the packages, as the Flask tutorial does.

Settings (each package's table, then ``instance/config.py``, ``CHAINGAUGE_*`` variables and
the mapping given here), logging, extensions, then the platform and the assessment package,
each wiring itself through its ``init_app``. Nothing imports this module.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

import assessment
import tenants
from assessment import config as assessment_config
from tenants import config as tenants_config
from tenants import extensions, logs
from tenants.config import ConfigurationError, instance_secret_key, web_worker_count

__all__ = ["ConfigurationError", "create_app", "instance_secret_key", "web_worker_count"]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True,
                static_folder="static", template_folder="templates")
    _load_config(app, config)
    logs.init_app(app)
    extensions.init_app(app)
    tenants.init_app(app)
    assessment.init_app(app)
    return app


def _load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    os.makedirs(app.instance_path, exist_ok=True)
    for package_config in (tenants_config, assessment_config):
        app.config.from_mapping(package_config.defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("CHAINGAUGE")
    if overrides:
        app.config.from_mapping(overrides)
    tenants_config.init_app(app)  # derived values; refuses an unsafe production setup
