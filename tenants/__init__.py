"""The platform: tenants, users, memberships, links between tenants, billing, web plumbing.

``create_app`` calls :func:`init_app` after loading the settings (``tenants.config``),
configuring logging and binding the extensions (``tenants.extensions``).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire the platform into ``app``: its services, pages, error pages, request guards,
    response headers and commands. Knows nothing of assessments."""
    from tenants import (
        billing,
        cli,
        housekeeping,
        http,
        jobs,
        mail,
        notifications,
        signin,
        storage,
        throttle,
        web,
    )
    from tenants.billing import views as billing_views
    from tenants.views import auth, core, tenant

    signin.init_app(app)
    throttle.init_app(app)
    jobs.init_app(app)
    mail.init_app(app)
    storage.init_app(app)
    billing.init_app(app)
    notifications.init_app(app)
    housekeeping.init_app(app)
    for blueprint in (core.bp, auth.bp, tenant.bp, billing_views.bp, billing_views.webhook_bp):
        app.register_blueprint(blueprint)
    web.register_error_handlers(app)
    web.register_request_scope(app)
    web.register_input_guards(app)
    http.init_app(app)
    cli.register(app)
