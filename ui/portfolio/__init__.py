"""Parts of the Portfolio views (Overview, Outcomes, Delivery, Project)."""
