"""The app's frame: who may do what, sign-in, the shared view (as-of date, filters,
links that keep it), the style and the warm-up of the landing page."""
