"""Turning normalized text and metadata into model inputs."""
