"""Write operations of the platform. They change objects and flush; they never commit."""
