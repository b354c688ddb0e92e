from __future__ import annotations

from pathlib import Path

import orjson
from typer.testing import CliRunner

from services.cli import app
from services.enrich.models import Models
from tests.unit.enrich.dedup_fixtures import SYNDICATED_BODY, WIRE_BODY
from tests.unit.enrich.stories import SUMMIT, story


def test_enrich_command_prints_enriched_json_lines_and_links_duplicates(models: Models, tmp_path: Path) -> None:
    stories = [story(SUMMIT[0], WIRE_BODY, story_id="ap-1", city="VILNIUS"),
               story("Allies promise air defence", SYNDICATED_BODY, story_id="site-2")]
    lines = b"\n".join(orjson.dumps(s.model_dump(mode="json")) for s in stories)
    source = tmp_path / "normalized.jsonl"
    source.write_bytes(lines + b"\n")
    result = CliRunner().invoke(app, ["enrich", str(source)])
    assert result.exit_code == 0, result.output
    docs = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert [d["story_id"] for d in docs] == ["ap-1", "site-2"]
    assert docs[0]["places"][0]["name"] == "Vilnius"
    assert docs[1]["duplicate_of"] == "ap-1"
    assert docs[0]["cluster_id"] == docs[1]["cluster_id"]


def test_enrich_command_reads_stdin_and_reports_bad_input(models: Models) -> None:
    empty = story("Nothing", ("  ",), story_id="e-1").model_dump(mode="json")
    payload = orjson.dumps([empty, {"error": "no_article", "file": "x.html"}])
    result = CliRunner().invoke(app, ["enrich", "-"], input=payload)
    assert result.exit_code == 1
    docs = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert [d["error"] for d in docs] == ["empty_body", "no_article"]
