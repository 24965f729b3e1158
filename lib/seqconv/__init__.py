"""seqconv: convolutions on sequences in vectorized NumPy (see README.md)."""
