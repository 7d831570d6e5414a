"""Every variable a service reads is documented, and nothing documented is unknown to the code."""

import re
from pathlib import Path

from config_probe import variables_read

# ONETAKE_ENV_FILE is read by the loader itself, before any service's settings.
LOADER_VARIABLES = {"ONETAKE_ENV_FILE"}
ALL_READ = variables_read("analytics_ingest") | variables_read("reco_service")


def test_env_example_lists_exactly_the_variables_the_services_read() -> None:
    text = Path(".env.example").read_text()
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))
    assert documented - LOADER_VARIABLES == ALL_READ


def test_readme_table_lists_exactly_the_variables_the_services_read() -> None:
    text = Path("README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", text, flags=re.MULTILINE))
    assert documented - LOADER_VARIABLES == ALL_READ


def test_readme_says_which_service_reads_each_variable() -> None:
    rows = re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \| (\w+) \|", Path("README.md").read_text(), re.M)
    expected = {
        name: "both" if name in variables_read("analytics_ingest") & variables_read("reco_service")
        else "ingest" if name in variables_read("analytics_ingest")
        else "reco"
        for name in ALL_READ
    }  # fmt: skip
    assert {name: used_by for name, used_by in rows if name in ALL_READ} == expected
