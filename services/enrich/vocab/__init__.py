"""One-off builders of the enrich service's shipped data files (run by hand, never at run time)."""
