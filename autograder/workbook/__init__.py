"""The notebooks outside grading: release, the students' own copies, hand-in, the example class."""
