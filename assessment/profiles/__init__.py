"""Enterprise profiles: identity, industry, size class, province."""
