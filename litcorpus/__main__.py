"""`python -m litcorpus` runs the CLI."""

from litcorpus.cli import app

app()
