"""The programs the annual report describes, one Django app each, plus the shared machinery."""
