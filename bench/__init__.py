"""Speed measurements that print figures (tests never assert timings)."""
