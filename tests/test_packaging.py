"""The deploy stub (scrapy.cfg's [deploy]) builds an egg whose migrations Alembic can run: the egg
is a zip, so govcrawl/storage/db.py reads the migrations through importlib.resources.

Built with the real tool, `scrapyd-deploy --build-egg` (scrapyd-client, a test dependency), in a
copy of the project (it writes a setup.py next to scrapy.cfg), then imported from the zip alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from govcrawl import PROJECT_ROOT

SCRAPYD_DEPLOY = Path(sys.executable).with_name("scrapyd-deploy")

RUN_FROM_EGG = """
import sys
import sqlalchemy as sa
import govcrawl
assert govcrawl.__file__.startswith(sys.argv[1]), govcrawl.__file__  # the zip, not the checkout
from govcrawl.storage.db import get_engine, current_revision, migrations_dir
engine = get_engine("sqlite:///" + sys.argv[2])
print(current_revision(engine), migrations_dir())
print(sorted(sa.inspect(engine).get_view_names()))
import govcrawl.settings
print(govcrawl.settings.BOT_NAME)
# the data tables load from the zip too (importlib.resources), and the catalog check finds the
# spider modules its `spider:NAME` sources name
from govcrawl import agencies, catalog, regions
print(regions.division("520400").name, agencies.identify("安顺市安监局").key, len(catalog.rows()) > 100,
      catalog.problems())
"""


@pytest.fixture(scope="module")
def egg(tmp_path_factory):
    if not SCRAPYD_DEPLOY.exists():
        if os.environ.get("CI"):
            pytest.fail("scrapyd-deploy is missing: pip install -e '.[test]' installs scrapyd-client")
        pytest.skip("scrapyd-client is not installed (pip install -e '.[test]')")
    work = tmp_path_factory.mktemp("deploy")
    for name in ("pyproject.toml", "README.md", "scrapy.cfg"):
        shutil.copy(PROJECT_ROOT / name, work / name)
    shutil.copytree(PROJECT_ROOT / "govcrawl", work / "govcrawl",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    target = work / "govcrawl.egg"
    proc = subprocess.run([str(SCRAPYD_DEPLOY), "--build-egg", str(target)], cwd=work,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and target.is_file(), proc.stderr[-3000:]
    return target


def test_the_egg_carries_the_migrations_and_the_scrapy_entry_point(egg):
    with zipfile.ZipFile(egg) as z:
        names = set(z.namelist())
        entry_points = z.read("EGG-INFO/entry_points.txt").decode()
    versions = {p.name for p in (PROJECT_ROOT / "govcrawl" / "migrations" / "versions").glob("*.py")}
    assert {f"govcrawl/migrations/versions/{v}" for v in versions} <= names
    assert "govcrawl/migrations/env.py" in names and "govcrawl/datasette/report.html" in names
    # scrapyd reads the project's settings module from this entry point
    assert "[scrapy]" in entry_points and "settings = govcrawl.settings" in entry_points


def test_migrations_run_from_the_zipped_egg(egg, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(egg)}
    env.pop("GOVCRAWL_DATABASE_URL", None)
    # cwd outside the checkout, so nothing but the egg can provide govcrawl (the editable
    # install's finder comes after PYTHONPATH)
    proc = subprocess.run([sys.executable, "-c", RUN_FROM_EGG, str(egg), str(tmp_path / "egg.db")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    revision_line, views_line, bot = proc.stdout.splitlines()[:3]
    heads = sorted(p.stem.split("_")[0] for p in
                   (PROJECT_ROOT / "govcrawl" / "migrations" / "versions").glob("0*.py"))
    assert revision_line.split()[0] == heads[-1]
    assert "govcrawl-migrations-" in revision_line  # extracted from the zip for Alembic
    assert views_line == "['report_cells', 'report_checks', 'report_measures', 'scorecard']"
    assert bot == "govcrawl"
    assert proc.stdout.splitlines()[3] == "安顺市 520400:应急管理局 True []"
