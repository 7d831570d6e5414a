"""Tools for people and CI: local stack, command-line client, Core stand-in server, smoke tests."""
