"""The JSON Schema for editors stays in sync with the models and the glossary."""

import json

from analytics import paths
from analytics.cli import main
from analytics.glossary import load_glossary
from analytics.schema import json_schema

SCHEMA_FILE = paths.CASES_DIR / "schema.json"


def test_schema_json_is_in_sync():
    shipped = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert shipped == json_schema(load_glossary()), "run: analytics schema > data/cases/schema.json"


def test_cli_prints_the_same_schema(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema(load_glossary())


def test_glossary_keys_are_enums_for_editors():
    schema = json_schema(load_glossary())
    unit = schema["$defs"]["Unit"]["properties"]["unit_type"]
    assert unit["enum"] == load_glossary().keys("unit_types")
    tie = schema["$defs"]["Tie"]["properties"]["resources"]
    assert tie["items"]["enum"] == load_glossary().keys("resources")


def test_every_case_file_points_editors_at_the_schema():
    for path in sorted(paths.CASES_DIR.glob("*.yml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=schema.json", path.name
