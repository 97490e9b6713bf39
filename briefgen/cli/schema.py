"""The schema command: JSON Schema files for editors, beside the project's YAML."""

from __future__ import annotations

from pathlib import Path

import click

from briefgen.cli.main import Session, handled


@click.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the schemas to. Default: schemas/ in the project.",
)
@click.pass_obj
@handled
def schema(obj: Session, output: Path | None) -> None:
    """Write JSON Schema for briefgen.yaml, theme.yaml and every content file kind (for editors)."""
    from briefgen.commands.schema import CONFIG_SCHEMA, MODELINE, SCHEMA_DIR, write_schemas

    dest = output if output is not None else obj.root / SCHEMA_DIR
    for path in write_schemas(dest):
        obj.say(f"wrote {path}")
    obj.say(f"point a YAML file at one with a first line like: {MODELINE}{SCHEMA_DIR}/{CONFIG_SCHEMA}")


COMMANDS = [schema]
