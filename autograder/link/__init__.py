"""What runs inside the student's kernel and the trusted-checks process, and the plain-data format between them."""
