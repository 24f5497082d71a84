"""The folder platform/ must never shadow the standard library's `platform` module.

Each entry point puts the project root on sys.path (manage.py its own folder, pytest the
rootdir, celery and gunicorn the working directory). These tests start each one for real.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import platform, foundation; "
    "assert platform.__file__.endswith('platform.py'), platform.__file__; "
    "assert callable(platform.python_version); "
    "print('stdlib', platform.python_version(), 'foundation', list(foundation.__path__)[0])"
)


def run(args, **kwargs):
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120, **kwargs)


def test_pytest_sees_stdlib_platform_and_the_foundation():
    import platform

    import foundation

    assert Path(platform.__file__).name == "platform.py"
    assert platform.python_version().startswith("3.11")
    assert Path(next(iter(foundation.__path__))).resolve() == ROOT / "platform"


def test_python_from_project_root_imports_stdlib_platform():
    result = run([sys.executable, "-c", PROBE])
    assert result.returncode == 0, result.stderr
    assert "stdlib 3.11" in result.stdout


def test_manage_py_runs_with_the_foundation_app():
    result = run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            PROBE + "; from foundation.models import User; print(User._meta.app_label)",
        ]
    )
    assert result.returncode == 0, result.stderr
    assert "foundation" in result.stdout.splitlines()[-1]


def test_celery_worker_loads_the_app_and_its_tasks():
    celery = str(Path(sys.executable).with_name("celery"))
    result = run([celery, "-A", "config", "inspect", "registered", "--help"])
    assert result.returncode == 0, result.stderr
    result = run(
        [
            sys.executable,
            "-c",
            "from config.celery import app; import platform; app.loader.import_default_modules(); "
            "assert 'foundation.tasks.ping' in app.tasks; print(platform.system())",
        ]
    )
    assert result.returncode == 0, result.stderr


def test_gunicorn_loads_the_wsgi_application():
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    result = run([gunicorn, "--check-config", "--print-config", "config.wsgi:application"])
    assert result.returncode == 0, result.stderr + result.stdout
