"""Data sources: loading with schemas and checksums, one module per national source."""
