"""Results: overall index, dimensions, radar, indicator table, trace, what-if, year on year,
and "you vs. peers" (:mod:`.peers`)."""
