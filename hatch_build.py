"""Build hook: compile the optional C kernels (src/spamguard/*.c) into the wheel.

spamguard works without them (pure-Python fallbacks give identical results, only slower), so a machine without a
C compiler still installs: the hook warns and builds a pure-Python wheel. setuptools is used only as the portable
way to call this platform's compiler with Python's own flags (it is a build requirement, not a runtime one).
For an editable install the compiled module is written next to its source, where the editable path finds it.
After editing a .c file, ``python hatch_build.py`` rebuilds the modules in place (or reinstall).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sysconfig
import tempfile
from pathlib import Path

try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # run as a script (see below), outside a build
    BuildHookInterface = object

PACKAGE = Path("src") / "spamguard"
RECORD = ".kernels-built.json"  # in a source tree: the source hash each in-place module was built from


def source_hash(source: Path) -> str:
    """Hash of a kernel's source and the headers beside it (what its build depended on)."""
    digest = hashlib.sha256(source.read_bytes())
    for header in sorted(source.parent.glob("*.h")):
        digest.update(header.read_bytes())
    return digest.hexdigest()


def record_build(source: Path) -> None:
    """Remember which source an in-place module was built from: spamguard._compiled refuses a module whose source
    has changed since (it would run old code under new Python), and says to rebuild."""
    record = source.parent / RECORD
    try:
        built = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        built = {}
    built[source.stem] = source_hash(source)
    record.write_text(json.dumps(built, indent=1, sort_keys=True), encoding="utf-8")


def compile_extension(name: str, source: Path, out_dir: Path) -> Path:
    """Compile ``source`` into the extension module ``spamguard.<name>``; returns the built file."""
    from setuptools import Distribution, Extension

    extension = Extension(f"spamguard.{name}", [str(source)], extra_compile_args=_flags())
    dist = Distribution({"name": "spamguard-kernels", "ext_modules": [extension]})
    command = dist.get_command_obj("build_ext")
    with tempfile.TemporaryDirectory() as temp:
        command.build_lib = str(out_dir)
        command.build_temp = temp
        command.ensure_finalized()
        command.run()
    return Path(command.get_ext_fullpath(f"spamguard.{name}"))


def install_in_place(built: Path, target: Path) -> None:
    """Copy a built module over ``target`` through a new file: rewriting the old file in place would corrupt it
    under any process that has it loaded (a running test session, say), and crash that process."""
    staging = target.with_name(f".{target.name}.new")
    shutil.copyfile(built, staging)
    os.replace(staging, target)


def _flags() -> list[str]:
    if sysconfig.get_platform().startswith("win"):
        return ["/O2", "/fp:precise"]
    # No fused multiply-add: the kernels' floating point must equal NumPy's operation for operation (and without
    # -ffast-math, -O3 may not reorder it either). -O3 vectorizes more of the byte loops than -O2 does: 3% fewer
    # instructions for the text pipeline (benchmarks/count_instructions.py short).
    return ["-O3", "-std=c99", "-ffp-contract=off"]


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or os.environ.get("SPAMGUARD_NO_EXTENSIONS"):
            return
        root = Path(self.root)
        built_any = False
        for source in sorted((root / PACKAGE).glob("*.c")):
            name = source.stem
            try:
                with tempfile.TemporaryDirectory() as out:
                    built = compile_extension(name, source, Path(out))
                    target = root / PACKAGE / built.name
                    if version == "editable":
                        install_in_place(built, target)
                        record_build(source)
                    else:
                        kept = Path(self.directory) / "_extensions" / built.name
                        kept.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(built, kept)
                        build_data["force_include"][str(kept)] = f"spamguard/{built.name}"
                built_any = True
            except Exception as exc:  # no compiler, no headers: the pure-Python path is used instead
                if version == "editable":  # and not an older build of this module left in the tree
                    (root / PACKAGE / f"{name}{sysconfig.get_config_var('EXT_SUFFIX')}").unlink(missing_ok=True)
                self.app.display_warning(f"spamguard: could not compile {source.name} ({exc}); "
                                         "installing without it (pure Python, same results, slower)")
        if built_any:
            build_data["pure_python"] = False
            build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        shutil.rmtree(Path(self.directory) / "_extensions", ignore_errors=True)


if __name__ == "__main__":
    for source in sorted((Path(__file__).parent / PACKAGE).glob("*.c")):
        with tempfile.TemporaryDirectory() as out:
            built = compile_extension(source.stem, source, Path(out))
            install_in_place(built, source.parent / built.name)
            record_build(source)
            print(f"built {source.parent / built.name}")
