"""Kernels that grade out of their own reach: bubblewrap around the kernel, a grader beside it.

During autograding of a lab whose hidden test cells use ``graders.remote``,
nbgrader starts each kernel through :class:`SandboxedKernelManager` (set in the
run's config by ``course_lib.course.grading.pipeline``). Before the kernel it
starts that kernel's grader process (``graders.verdicts``, ``python -I``, the
course's own folders as its path) listening on a Unix socket in a private
folder; the kernel itself runs under ``bwrap`` with:

* the whole file system read-only (it cannot patch the course's code, the
  gradebook or the verdicts), a private ``/tmp``, ``/dev`` and ``/proc`` and
  its own PID namespace (it cannot see or trace the grader process);
* ``graders/hidden/``, the generators that could rebuild it (``worldgen/``,
  ``graders/*build*hidden*.py``) and ``.git`` (which holds committed copies)
  replaced by empty mounts;
* the course's ``submitted/``, ``autograded/`` (but its own folder), ``feedback/``
  and ``gradebook.db`` hidden too: no other student's work, no test sources;
* write access only to its notebook's folder and its private ``/tmp``, and
  the socket's folder, read-only (a Unix socket can still be connected).

The verdict file lives in the pipeline's private folder, never mounted in the
sandbox. This module does not parse notebooks nor score (``grading.verdicts``).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from jupyter_client import AsyncKernelManager
from traitlets import Bool, Dict, List, Unicode

from course_lib.course.grading.config import GradingError

APT_PACKAGE = "bubblewrap"
"""The Debian package that provides ``bwrap``."""

SOCKET_ENV = "COSTLAB_GRADER"


def bwrap_problem() -> str | None:
    """``None`` if ``bwrap`` can sandbox a process here, else why not (Spanish)."""
    exe = shutil.which("bwrap")
    if not exe:
        return f"no está instalado bwrap (paquete de Debian/Ubuntu «{APT_PACKAGE}»: apt-get install {APT_PACKAGE})"
    probe = subprocess.run([exe, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-pid",
                            "--tmpfs", "/tmp", "true"], capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        return f"bwrap no puede crear el aislamiento en esta máquina: {probe.stderr.strip()[:300]}"
    return None


def require_bwrap() -> None:
    """Raise a Spanish ``GradingError`` if the sandbox cannot run here."""
    problem = bwrap_problem()
    if problem:
        raise GradingError(
            "Este laboratorio se corrige con las pruebas ocultas fuera del alcance del cuaderno y hace falta "
            f"bubblewrap: {problem}.")


def hidden_paths(roots: list[Path]) -> tuple[list[Path], list[Path]]:
    """Folders and files a kernel must not read, under each course folder in ``roots``.

    >>> from course_lib.paths import REPO_ROOT
    >>> dirs, files = hidden_paths([REPO_ROOT])
    >>> REPO_ROOT / "graders" / "hidden" in dirs, all(f.parent.name == "graders" for f in files)
    (True, True)
    """
    dirs, files = [], []
    for root in dict.fromkeys(Path(r).resolve() for r in roots):
        dirs += [d for d in (root / "graders" / "hidden", root / "worldgen", root / ".git") if d.is_dir()]
        files += sorted(p for p in (root / "graders").glob("*.py") if "build" in p.name and "hidden" in p.name)
        # other students' work and the gradebook (it holds every test cell's source); the kernel's own
        # notebook folder is mounted back inside the emptied autograded/
        dirs += [d for d in (root / "submitted", root / "autograded", root / "feedback") if d.is_dir()]
        files += [f for f in (root / "gradebook.db",) if f.is_file()]
    return dirs, files


def bwrap_command(cmd: list[str], *, workdir: Path, channel: Path, hide_dirs: list[Path],
                  hide_files: list[Path], readonly_home: Path | None = None,
                  connection_file: Path | None = None) -> list[str]:
    """``cmd`` wrapped in bubblewrap as the module docstring describes.

    >>> c = bwrap_command(["python"], workdir=Path("/w"), channel=Path("/tmp/c"), hide_dirs=[Path("/r/h")],
    ...                   hide_files=[Path("/r/b.py")])
    >>> c[:3], c[-2:], "--unshare-pid" in c, ["--tmpfs", "/r/h"] == c[c.index("/r/h") - 1:c.index("/r/h") + 1]
    (['bwrap', '--ro-bind', '/'], ['--', 'python'], True, True)
    """
    args = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
            "--unshare-pid", "--unshare-ipc"]
    for folder in hide_dirs:
        args += ["--tmpfs", str(folder)]
    for path in hide_files:
        args += ["--ro-bind", "/dev/null", str(path)]
    args += ["--bind", str(workdir), str(workdir), "--ro-bind", str(channel), str(channel)]
    if connection_file:  # wherever Jupyter's runtime folder is (it may be under /tmp)
        args += ["--ro-bind", str(connection_file), str(connection_file)]
    if readonly_home and readonly_home.is_dir():  # the tiktoken cache, read-only; writable state in /tmp
        args += ["--ro-bind", str(readonly_home), "/tmp/costlab/tiktoken"]
    args += ["--setenv", "COSTLAB_HOME", "/tmp/costlab", "--setenv", "IPYTHONDIR", "/tmp/ipython",
             "--setenv", "MPLCONFIGDIR", "/tmp/matplotlib",
             "--setenv", "JPY_PARENT_PID", "1",  # its real parent is outside the PID namespace; the manager ends it
             "--chdir", str(workdir), "--"]
    return args + list(cmd)


class SandboxedKernelManager(AsyncKernelManager):
    """Starts a kernel under bwrap, with its own grader process (see the module docstring)."""

    grader_roots = List(Unicode(), help="The course's own folders, first on the grader's sys.path.").tag(config=True)
    specs_by_lab = Dict(help="{lab_id: {grade_id: 'module:function'}} of the remote hidden cells.").tag(config=True)
    verdict_root = Unicode(help="Private folder: verdicts go to <root>/<student>/<lab_id>.json.").tag(config=True)
    isolate = Bool(True, help="Run the kernel under bwrap (False: self-check on a machine without it).").tag(config=True)

    async def _async_pre_start_kernel(self, **kw):
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        workdir = Path(kw.get("cwd") or os.getcwd()).resolve()
        lab_id, student = workdir.name, workdir.parent.name
        verdicts = Path(self.verdict_root) / student / f"{lab_id}.json"
        verdicts.parent.mkdir(parents=True, exist_ok=True)
        channel = Path(tempfile.mkdtemp(prefix="costlab-canal-"))
        socket_path = channel / "corrector.sock"
        from graders.verdicts import grader_command  # the pipeline's own graders; only builds a command line

        self._grader_channel = channel
        self._grader = subprocess.Popen(
            grader_command(self.grader_roots, ["--specs", json.dumps(self.specs_by_lab.get(lab_id, {})),
                                               "--socket", str(socket_path), "--verdicts", str(verdicts)]),
            cwd=self.verdict_root, stdin=subprocess.DEVNULL)
        # not waited for: it gets ready while the kernel starts (hidden_check waits for the socket)
        kw.setdefault("env", dict(os.environ))[SOCKET_ENV] = str(socket_path)
        if not self.isolate:
            return cmd, kw
        dirs, files = hidden_paths([Path(r) for r in self.grader_roots])
        home = Path(os.environ.get("COSTLAB_HOME") or Path.home() / ".costlab") / "tiktoken"
        wrapped = bwrap_command(cmd, workdir=workdir, channel=channel, hide_dirs=dirs + [Path(self.verdict_root)],
                             hide_files=files, readonly_home=home,
                             connection_file=Path(self.connection_file).resolve())
        return wrapped, kw

    async def _async_post_start_kernel(self, **kw) -> None:
        await super()._async_post_start_kernel(**kw)
        process = getattr(self.provisioner, "process", None)
        self._sandbox_group = os.getpgid(process.pid) if process is not None and self.isolate else None

    def _sandboxed_kernels(self) -> list[int]:
        import psutil

        group = getattr(self, "_sandbox_group", None)
        if group is None:
            return []
        try:
            tree = psutil.Process(group).children(recursive=True)
        except psutil.Error:
            return []
        return [p.pid for p in tree if "ipykernel_launcher" in " ".join(p.cmdline() if p.is_running() else [])]

    async def interrupt_kernel(self) -> None:
        """SIGINT to the kernel inside the sandbox only: bwrap itself would die of it and orphan the kernel."""
        if getattr(self, "_sandbox_group", None) is None:
            return await super().interrupt_kernel()
        for pid in self._sandboxed_kernels():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGINT)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        group = getattr(self, "_sandbox_group", None)
        if group is not None and not restart:  # whatever the kernel left running in its sandbox
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
            self._sandbox_group = None
        grader = getattr(self, "_grader", None)
        if grader is not None and grader.poll() not in (None, 0):
            self.log.error("El proceso corrector de las pruebas ocultas terminó con error (%s): "
                           "esas celdas cuentan como no superadas.", grader.returncode)
        if grader is not None and grader.poll() is None:
            grader.terminate()
            try:
                grader.wait(timeout=10)
            except subprocess.TimeoutExpired:
                grader.kill()
                grader.wait()
        channel = getattr(self, "_grader_channel", None)
        if channel is not None:
            shutil.rmtree(channel, ignore_errors=True)
        self._grader = self._grader_channel = None
