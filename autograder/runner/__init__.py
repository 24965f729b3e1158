"""A grading worker: one notebook at a time, its kernel in a sandbox, the trusted checks beside it."""
