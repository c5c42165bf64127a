"""Rule files: strict validation with file:line:col messages, and safe loading."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.checks import CHECK_TYPES
from compliance.common.yamlsafe import YamlProblem, load_yaml
from compliance.errors import UserError
from compliance.terms.files import bundled_rules_dir
from compliance.terms.loading import load_rulesets
from compliance.terms.reading import parse_rule_file
from compliance.terms.schema import json_schema
from conftest import ROOT

HEADER = """\
schema: 1
id: example
name: Example Wire
terms: Republish freely with credit.
terms_url: https://example.org/terms
"""

TYPES = ", ".join(CHECK_TYPES)


def problems_of(text: str) -> list[str]:
    with pytest.raises(UserError) as caught:
        parse_rule_file(textwrap.dedent(text), "r.yaml")
    return caught.value.problems or [caught.value.message]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "checks:\n  - id: logo\n    type: logo\n    clause: c\n    alt: [x]\n    min_scor: 80\n",
            ["r.yaml:11:5: checks[0].min_scor: unknown key 'min_scor' (did you mean 'min_score'?)"],
        ),
        (
            "checks:\n  - id: b\n    type: bylin\n    clause: c\n",
            [
                "r.yaml:8:11: checks[0].type: unknown check type 'bylin' (did you mean 'byline'?);"
                f" the types are: {TYPES}"
            ],
        ),
        (
            "checks:\n  - id: b\n    type: byline\n",
            ["r.yaml:7:5: checks[0].clause: missing required key 'clause'"],
        ),
        (
            "checks:\n  - id: b\n    type: byline\n    clause: c\n    min_score: lots\n",
            [
                "r.yaml:10:16: checks[0].min_score: Input should be a valid integer,"
                " unable to parse string as an integer"
            ],
        ),
        (
            "checks:\n  - id: b\n    type: byline\n    clause: c\n    severity: fatal\n",
            [
                "r.yaml:10:15: checks[0].severity: unknown value 'fatal'; one of: info, warning, error"
            ],
        ),
        (
            "checks:\n  - id: l\n    type: logo\n    clause: c\n",
            [
                "r.yaml:7:5: checks[0]: a logo check needs at least one 'alt' text, 'src' pattern or reference image"
            ],
        ),
        (
            "checks:\n  - {id: a, type: byline, clause: c}\n  - {id: a, type: byline, clause: c}\n",
            ["r.yaml:8:10: checks[1].id: the id 'a' is used by an earlier check"],
        ),
        (
            "detect:\n  txt: [x]\nchecks:\n  - {id: a, type: byline, clause: c}\n",
            ["r.yaml:7:3: detect.txt: unknown key 'txt' (did you mean 'text'?)"],
        ),
        (
            "checks: []\n",
            ["r.yaml:6:9: checks: List should have at least 1 item after validation, not 0"],
        ),
    ],
    ids=[
        "misspelt-key",
        "unknown-type",
        "missing-clause",
        "wrong-type",
        "bad-enum",
        "logo-without-patterns",
        "duplicate-check-id",
        "nested-unknown-key",
        "no-checks",
    ],
)
def test_rule_file_errors_name_file_line_column(body, expected):
    assert problems_of(HEADER + body) == expected


def test_all_problems_in_a_file_are_reported_together():
    text = HEADER.replace("schema: 1", "schema: 2").replace("id: example", "id: Bad Id")
    text += "colour: red\nchecks:\n  - {id: a, type: lgo, clause: c}\n"
    found = problems_of(text)
    assert found == [
        "r.yaml:1:9: schema: this program reads rule-file schema 1, not 2",
        "r.yaml:2:5: id: 'Bad Id' is not a valid id: use lower-case letters, digits, '-', '_' and '.'",
        "r.yaml:6:1: colour: unknown key 'colour'; the keys here are: schema, id, name, terms,"
        " terms_url, terms_version, verified, contact, domains, extends, abstract, detect,"
        " checks, tests",
        "r.yaml:8:19: checks[0].type: unknown check type 'lgo' (did you mean 'logo'?);"
        f" the types are: {TYPES}",
    ]


def test_yaml_syntax_error_has_position():
    assert problems_of("schema: 1\n  id: [x\n") == [
        "r.yaml:2:5: mapping values are not allowed in this context"
    ]


def test_duplicate_keys_are_an_error_not_silently_the_last():
    checks = "checks:\n  - {id: b, type: byline, clause: c}\n"
    assert problems_of(HEADER + checks + "name: Again\n") == [
        "r.yaml:8:1: duplicate key 'name' (first given on line 3)"
    ]


def test_a_duplicate_key_does_not_hide_the_files_other_problems():
    # Fixing one mistake per run is slow; a duplicate is reported alongside the rest.
    checks = "checks:\n  - {id: b, type: byline, clause: c}\n"
    assert problems_of("schema: 1\nid: a\nid: b\n" + checks) == [
        "r.yaml:1:1: name: missing required key 'name'",
        "r.yaml:1:1: terms: missing required key 'terms'",
        "r.yaml:1:1: terms_url: missing required key 'terms_url'",
        "r.yaml:3:1: duplicate key 'id' (first given on line 2)",
    ]


def test_object_constructing_tags_are_refused():
    found = problems_of("a: !!python/object/apply:os.system ['echo hacked']\n")
    assert found[0].startswith("r.yaml:1:4: the tag")
    assert "not allowed" in found[0]


def test_billion_laughs_is_refused_quickly():
    levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(YamlProblem, match="expands to more than"):
        load_yaml("\n".join(levels))


def test_a_few_legitimate_aliases_still_load():
    data = load_yaml("base: &b {x: 1}\nuse: [*b, *b]\n").data
    assert data["use"] == [{"x": 1}, {"x": 1}]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\n \t?,%@`")), max_size=80))
def test_any_text_loads_or_gives_a_positioned_problem(text):
    try:
        load_yaml(text)
    except YamlProblem as problem:
        assert problem.message


def test_bundled_rules_validate_and_match_the_json_schema():
    rulesets = load_rulesets()
    assert "dcnf" in {r.id for r in rulesets}
    schema = json_schema()
    for file in bundled_rules_dir().glob("*.yaml"):
        jsonschema.validate(load_yaml(file.read_text(encoding="utf-8")).data, schema)


def test_invalid_file_among_valid_ones_is_reported_with_the_rest_loaded_nowhere(tmp_path):
    (tmp_path / "good.yaml").write_text(HEADER + "checks:\n  - {id: a, type: byline, clause: c}\n")
    (tmp_path / "bad.yaml").write_text(HEADER.replace("example", "other") + "checks: 3\n")
    with pytest.raises(UserError) as caught:
        load_rulesets([tmp_path])
    assert caught.value.problems == [
        f"{tmp_path / 'bad.yaml'}:6:9: checks: must be a list (e.g. [a, b]), not a number"
    ]


def test_schema_is_json_serialisable():
    assert json.loads(json.dumps(json_schema()))["title"].startswith("compliance rule file")


def test_rule_files_ship_in_the_package():
    assert (bundled_rules_dir() / "dcnf.yaml").exists()
    assert Path(bundled_rules_dir()).is_dir()


def test_published_schema_is_current():
    """docs/rules.schema.json is what editors load; regenerate it with `compliance rules schema`."""
    published = json.loads((ROOT / "docs" / "rules.schema.json").read_text(encoding="utf-8"))
    assert published == json_schema()


def test_the_rule_cache_serves_unchanged_files_and_revalidates_edited_ones(tmp_path, monkeypatch):
    import shutil

    monkeypatch.setenv("COMPLIANCE_CACHE_DIR", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    rules.mkdir()
    shutil.copy(bundled_rules_dir() / "dcnf.yaml", rules / "dcnf.yaml")
    first = load_rulesets([rules])
    assert list((tmp_path / "cache" / "rules").iterdir()), "the validated rules were cached"
    again = load_rulesets([rules])
    assert [r.spec.to_json() for r in again] == [r.spec.to_json() for r in first]
    assert again[0].path == rules / "dcnf.yaml"

    text = (rules / "dcnf.yaml").read_text(encoding="utf-8")
    (rules / "dcnf.yaml").write_text(text.replace("severity: warning", "severity: info"), "utf-8")
    edited = load_rulesets([rules])[0]
    assert any(c.severity.value == "info" for c in edited.checks)

    (rules / "dcnf.yaml").write_text(text.replace("type: logo", "type: logoo"), "utf-8")
    with pytest.raises(UserError, match="problem"):
        load_rulesets([rules])
