"""Web tests: request the app through Flask's test client.

Cheaper password hashing, which the web journeys needed first, now applies to every test
outside tests/unit (``_cheap_password_hashing`` in tests/conftest.py).
"""
