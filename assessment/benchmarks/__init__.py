"""Peer benchmarks: cohorts, anonymity, statistics snapshots and their refresh jobs."""
