"""Receiver heads: expression and verification networks on (decoded) semface descriptors."""
