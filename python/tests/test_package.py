"""The installed wheel: the command, python -m, the Python API and the files it ships."""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import losslens
from conftest import SAMPLES


def run(arguments, **kwargs):
    return subprocess.run(arguments, capture_output=True, text=True, timeout=300, **kwargs)


def test_the_command_on_path_and_python_m_are_the_binary():
    command = shutil.which("losslens")
    assert command is not None, "pip put losslens on the PATH"
    version = run([command, "--version"])
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == losslens.__version__
    module = run([sys.executable, "-m", "losslens", "--version"])
    assert module.returncode == 0 and module.stdout == version.stdout


def test_analyze_from_the_command_line_reads_the_samples():
    result = run(["losslens", "analyze", "--format", "json", str(SAMPLES)])
    assert result.returncode == 1, result.stderr  # the samples show failing trainings on purpose
    report = json.loads(result.stdout)
    assert len(report["runs"]) >= 8
    assert any(f["rule"] == "non-finite" for r in report["runs"] for f in r["findings"])


def test_exit_status_and_stdin_pass_through_the_wrapper():
    log = "Epoch 1, Loss: 0.9\nEpoch 2, Loss: 0.6\nEpoch 3, Loss: 0.4\n"
    result = run([sys.executable, "-m", "losslens", "analyze", "--format", "text", "--fail-on", "never"], input=log)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<stdin> · ")
    assert run(["losslens", "analyze", "/no/such/log"]).returncode == 2


def test_the_python_api_returns_the_json_report():
    report = losslens.analyze(SAMPLES / "keras-console-nan-at-epoch-1.log")
    assert report["schemaVersion"] == 1
    assert report["runs"][0]["findings"][0]["rule"] == "non-finite"
    filtered = losslens.analyze([str(SAMPLES)], ignore=["non-finite", "too-short"], min_severity="warning")
    assert set(filtered["ignoredRules"]) == {"non-finite", "too-short"}
    assert all(f["severity"] != "info" for r in filtered["runs"] for f in r["findings"])
    missing = losslens.analyze(["/no/such/log"])
    assert missing["runs"] == [] and missing["errors"][0]["source"] == "/no/such/log"


def test_the_python_api_refuses_what_it_cannot_honour():
    with pytest.raises(TypeError):
        losslens.analyze(SAMPLES, format="markdown")
    with pytest.raises(losslens.LossLensError, match="no-such-rule"):
        losslens.analyze(SAMPLES, ignore=["no-such-rule"])


def test_the_api_leaves_a_ci_summary_alone(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    losslens.analyze(SAMPLES / "pytorch-healthy.log")
    assert summary.read_text() == ""


def test_importing_losslens_imports_no_framework():
    code = (
        "import sys, losslens, losslens.keras, losslens.lightning, losslens.transformers; "
        "print(sorted(m for m in ('keras', 'jax', 'torch', 'tensorflow', 'lightning', 'pytorch_lightning', 'transformers') if m in sys.modules))"
    )
    result = run([sys.executable, "-c", code])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.skipif(os.environ.get("LOSSLENS_BINARY") is not None, reason="checks the wheel's own files")
def test_completions_and_man_page_are_installed():
    prefix = Path(sysconfig.get_paths()["data"])
    for relative in (
        "share/man/man1/losslens.1",
        "share/bash-completion/completions/losslens",
        "share/zsh/site-functions/_losslens",
        "share/fish/vendor_completions.d/losslens.fish",
    ):
        assert (prefix / relative).is_file(), relative
    page = (prefix / "share/man/man1/losslens.1").read_text()
    assert ".Dt LOSSLENS 1" in page or ".TH LOSSLENS" in page.upper()
    assert "analyze" in Path(losslens.data_file("completions/losslens.bash")).read_text()


@pytest.mark.skipif(os.environ.get("LOSSLENS_BINARY") is not None, reason="checks the wheel's own binary")
def test_the_binary_needs_no_swift_and_carries_its_pcre2():
    binary = losslens.binary_path()
    libraries = run(["ldd", binary]).stdout
    pcre = [line for line in libraries.splitlines() if "libpcre2-8" in line]
    assert pcre and "losslens.libs" in pcre[0], libraries
    assert "swift" not in libraries.lower() and "Foundation" not in libraries, libraries
