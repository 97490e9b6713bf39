"""Tests of the command line's output for tools and people."""
