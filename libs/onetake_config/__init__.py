"""Configuration from the OS environment and an optional `.env` file, typed and validated."""
