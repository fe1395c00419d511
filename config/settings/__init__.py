"""Settings: ``base`` is what every server runs (development and production, driven by the
environment); ``test`` is the test suite's, starting from ``base``."""
