"""The grader's main process: find and check submissions, sanitize, record in the gradebook, write the reports."""
