"""Each package wires itself: every feature folder's blueprints and commands reach the app;
one function tells which language the reader reads."""

from __future__ import annotations

import importlib
import pkgutil

from flask import Blueprint
from flask_babel import force_locale

import assessment
from tenants.language import reader_language


def test_every_blueprint_of_a_feature_folder_is_registered(app):
    declared = set()
    for folder in pkgutil.iter_modules(assessment.__path__):
        if not folder.ispkg:
            continue
        package = importlib.import_module(f"assessment.{folder.name}")
        for module in pkgutil.iter_modules(package.__path__):
            loaded = importlib.import_module(f"{package.__name__}.{module.name}")
            declared |= {value.name for value in vars(loaded).values()
                         if isinstance(value, Blueprint)}
    assert declared, "no blueprint found: the walk is broken"
    assert declared <= set(app.blueprints)


def test_the_feature_folders_commands_are_registered(app):
    wanted = {"assessment", "benchmark", "report", "demo", "db", "jobs", "billing"}
    assert wanted <= set(app.cli.commands)


def test_reader_language_follows_the_readers_locale(app):
    with app.test_request_context("/", headers={"Accept-Language": "en-GB,en;q=0.9"}):
        assert reader_language() == "en"
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}):
        assert reader_language() == "zh"
    with app.test_request_context("/"):
        assert reader_language() == "zh"  # Chinese first
        with force_locale("en"):
            assert reader_language() == "en"
