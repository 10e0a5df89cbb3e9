"""tenants.web.local_path: the one check every "go back to" redirect uses."""

from __future__ import annotations

import pytest

from tenants.web import local_path

PREFIX = "/t/acme/"


@pytest.mark.parametrize("target", [
    "/t/acme/assessments/1/pages/lean", "/t/acme/", "/t/acme/results?x=1#top"])
def test_a_path_of_the_tenant_is_kept(target):
    assert local_path(target, PREFIX) == target


@pytest.mark.parametrize("target", [
    None, "", "https://evil.example/t/acme/", "//evil.example/t/acme/", "/\\evil.example",
    "/t/other/assessments", "/t/acmeco/x", "t/acme/x", "/t/acme/\nx", "/t/acme/\x7f",
    "javascript:alert(1)"])
def test_anything_else_is_refused(target):
    assert local_path(target, PREFIX) is None


def test_without_a_prefix_any_path_of_the_site_is_kept():
    assert local_path("/settings") == "/settings"
    assert local_path("//evil.example") is None
