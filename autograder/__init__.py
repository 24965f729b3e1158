"""The course's grading tool on top of nbgrader (``python -m autograder --help``)."""
