#!/usr/bin/env python3
"""Runs every code block of the user guide (docs/guide/*.md) against a fresh test server.

A block runs when its fence names a language and a name:

    ```python name=list-pods        ```c name=list-pods        ```swift name=list-pods

Every python, c and swift block in the guide must carry a name (an unnamed one fails the
check), so no example can escape testing. Other fences (sh, yaml, text) are prose. Names are
unique per page and language. Each block is a complete program that reads the kubeconfig
the usual way ($KUBECONFIG), creates what it needs under unique names, cleans up, and exits
0; stdout and stderr are shown only when it fails.

How each language runs:
- Python: the block is written to a file and run with the venv's interpreter
  (.venv/bin/python, else python3), PYTHONPATH=bindings/python.
- C: the block is a whole program; it is compiled with `cc -std=c99 -Wall -Wextra -Werror`
  against include/ and the debug library .build/debug/libkubeclient.so (through a folder
  holding libkubeclient.so and its SONAME libkubeclient.so.0, as Tests/c/run.sh does) plus
  jansson, then run.
- Swift: compiling each block as its own executable costs a minute of linking each, so all
  blocks go into ONE generated main.swift: each block's `import` lines are hoisted to the top
  and the rest becomes the body of its own function (`func guide_<n>() throws`), which keeps
  the blocks' names apart. The file is compiled with swiftc against the modules SwiftPM has
  already built (.build/debug/Modules, with the -I / -Xcc module-map flags SwiftPM itself
  used for the KubeRuntimeTests and KubeClientsetTests targets, read from .build/debug.yaml)
  and linked with the object files SwiftPM links into the KubeBench and kubeclient-testserver
  executables (their Objects.LinkFileList, minus those executables' own main objects). That
  takes seconds, not minutes, and needs no generated file in the repository. Each block then
  runs as `guide-swift <n>` in its own process. The debug build must be current
  (`swift build --build-tests`, the first step of scripts/test.sh).

The test server is `.build/debug/kubeclient-testserver --port 0 --kubeconfig-out FILE`; its
first stdout line is the URL. Blocks run one after another (they share one server).

Usage: scripts/test-guide.py [--only SUBSTRING] [--lang python|c|swift] [--keep] [--list]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guide"
BUILD = ROOT / ".build"
TIMEOUT = 120  # seconds per block
LANGUAGES = ("python", "c", "swift")
ALIASES = {"py": "python", "python3": "python", "h": "c"}  # would silently escape the check
FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*([A-Za-z0-9_+-]*)\s*(.*)$")


@dataclass
class Block:
    page: str
    line: int
    lang: str
    name: str
    code: str

    @property
    def label(self) -> str:
        return f"{self.page}:{self.line} {self.lang} {self.name}"


def extract(path: Path) -> tuple[list[Block], list[str]]:
    """The named blocks of one page, and problems (unnamed or duplicate blocks)."""
    blocks: list[Block] = []
    problems: list[str] = []
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence, lang, info = match.groups()
        start = i + 1
        j = start
        while j < len(lines) and not lines[j].strip().startswith(fence[:3]):
            j += 1
        body = "\n".join(line[len(indent):] if line.startswith(indent) else line for line in lines[start:j])
        lang = lang.lower()
        if lang in ALIASES:
            problems.append(f"{path.name}:{i + 1}: write ```{ALIASES[lang]}, not ```{lang} (only those are run)")
        elif lang in LANGUAGES:
            attrs = dict(re.findall(r"(\w+)=(\S+)", info))
            name = attrs.get("name")
            if not name:
                problems.append(f"{path.name}:{i + 1}: a {lang} block without name=... (every one is run)")
            elif any(b.lang == lang and b.name == name for b in blocks):
                problems.append(f"{path.name}:{i + 1}: duplicate {lang} block name {name!r}")
            else:
                blocks.append(Block(path.name, i + 1, lang, name, body + "\n"))
        i = j + 1
    return blocks, problems


# --- the test server ---------------------------------------------------------------------

class Server:
    def __init__(self, work: Path) -> None:
        binary = os.environ.get("KUBECLIENT_TESTSERVER") or str(BUILD / "debug" / "kubeclient-testserver")
        if not Path(binary).is_file():
            subprocess.run(["swift", "build", "--product", "kubeclient-testserver"], cwd=ROOT, check=True)
        self.binary = str(Path(binary).resolve())
        self.kubeconfig = work / "kubeconfig"
        self.log = open(work / "server.log", "w")
        self.process = subprocess.Popen([binary, "--port", "0", "--kubeconfig-out", str(self.kubeconfig)],
                                        stdout=subprocess.PIPE, stderr=self.log, text=True)
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise SystemExit(f"test-guide: the test server did not start (first line {self.url!r})")
        # Keep draining stdout so the server never blocks on a full pipe.
        threading.Thread(target=self.process.stdout.read, daemon=True).start()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


# --- running ------------------------------------------------------------------------------

def run(label: str, argv: list[str], env: dict, cwd: Path) -> bool:
    started = time.monotonic()
    try:
        result = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, timeout=TIMEOUT)
        ok, output = result.returncode == 0, result.stdout
        why = f"exit {result.returncode}"
    except subprocess.TimeoutExpired as error:
        ok, output = False, (error.stdout or b"").decode() if isinstance(error.stdout, bytes) else (error.stdout or "")
        why = f"timed out after {TIMEOUT} s"
    elapsed = time.monotonic() - started
    if ok:
        print(f"  ok    {label} ({elapsed:.1f} s)", flush=True)
    else:
        print(f"  FAIL  {label}: {why}", flush=True)
        lines = output.rstrip().splitlines()
        if len(lines) > 80:  # a compiler's first errors and a program's last words matter most
            lines = lines[:50] + [f"... ({len(lines) - 80} lines)"] + lines[-30:]
        for line in lines:
            print(f"        | {line[:400]}")
    return ok


def library_dir() -> Path:
    return BUILD / "debug"


def c_lib_folder(work: Path) -> Path:
    """libkubeclient.so under both names (the SONAME is libkubeclient.so.0)."""
    folder = work / "lib"
    folder.mkdir(exist_ok=True)
    library = (library_dir() / "libkubeclient.so").resolve()
    if not library.is_file():
        subprocess.run(["swift", "build", "--product", "kubeclient"], cwd=ROOT, check=True)
    for name in ("libkubeclient.so", "libkubeclient.so.0"):
        link = folder / name
        if not link.exists():
            link.symlink_to(library)
    return folder


def run_python(blocks: list[Block], work: Path, env: dict) -> list[str]:
    python = ROOT / ".venv" / "bin" / "python"
    interpreter = str(python) if python.is_file() else sys.executable
    env = dict(env, PYTHONPATH=str(ROOT / "bindings" / "python"),
               KUBECLIENT_LIBRARY=str((library_dir() / "libkubeclient.so").resolve()))
    failed = []
    for block in blocks:
        # Named after the page, and padded so that traceback line numbers are the page's.
        source = work / f"{Path(block.page).stem}--{safe(block.name)}.py"
        source.write_text("\n" * block.line + block.code)
        if not run(block.label, [interpreter, str(source)], env, work):
            failed.append(block.label)
    return failed


def run_c(blocks: list[Block], work: Path, env: dict) -> list[str]:
    lib = c_lib_folder(work)
    failed = []
    for index, block in enumerate(blocks):
        stem = f"c_{index}_{safe(block.name)}"
        source = work / f"{stem}.c"
        # #line: compiler errors point at the guide's page and line.
        source.write_text(f'#line {block.line + 1} "docs/guide/{block.page}"\n' + block.code)
        compile_argv = ["cc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-g", f"-I{ROOT / 'include'}",
                        str(source), "-o", str(work / stem), f"-L{lib}", "-lkubeclient", f"-Wl,-rpath,{lib}",
                        "-ljansson", "-lpthread", "-lm"]
        if not run(block.label + " (compile)", compile_argv, env, work):
            failed.append(block.label)
            continue
        if not run(block.label, [str(work / stem)], env, work):
            failed.append(block.label)
    return failed


def swift_compile_flags() -> list[str]:
    """The -I and -Xcc flags SwiftPM used for test targets that import every module we need."""
    text = (BUILD / "debug.yaml").read_text()
    flags: list[str] = []
    for target in ("KubeRuntimeTests", "KubeClientsetTests"):
        match = re.search(r'"C\.%s-[^"]*-debug\.module":\n(.*?)\n\n' % target, text, re.S)
        if not match:
            raise SystemExit(f"test-guide: no compile command for {target} in .build/debug.yaml; run swift build --build-tests")
        args = json.loads(re.search(r"args: (\[.*\])", match.group(1)).group(1))
        i = 0
        while i < len(args):
            if args[i] in ("-I", "-Xcc"):
                flags += args[i:i + 2]
                i += 2
            else:
                if args[i].startswith("-I"):
                    flags.append(args[i])
                i += 1
    return flags


def swift_link_objects(debug: Path) -> list[str]:
    """The library objects SwiftPM links into executables using KubeClient, KubeClientset,
    KubeModels, KubeRuntime (KubeBench) and KubeTestServer (the test server CLI)."""
    objects: list[str] = []
    for product, own in (("KubeBench", "KubeBench.build"), ("kubeclient-testserver", "KubeTestServerCLI.build")):
        listing = debug / f"{product}.product" / "Objects.LinkFileList"
        if not listing.is_file():
            raise SystemExit(f"test-guide: {listing} is missing; run swift build --build-tests")
        for item in shlex.split(listing.read_text()):
            if f"/{own}/" not in item and item not in objects:
                objects.append(item)
    return objects


def swift_source(blocks: list[Block]) -> str:
    """One main.swift: the blocks' imports on top, each block the body of `guide_<n>()`, and a
    main that runs the block named on the command line. `#sourceLocation` makes compiler
    errors point at the page and line of the guide."""
    imports: list[str] = ["import Foundation"]
    functions: list[str] = []
    cases: list[str] = []
    for index, block in enumerate(blocks):
        body = []
        for line in block.code.splitlines():
            if re.match(r"^import \w+\s*$", line):
                if line.strip() not in imports:
                    imports.append(line.strip())
                body.append("")  # keeps the line numbers
            else:
                body.append(line)
        functions.append(f"// {block.label}\nfunc guide_{index}() throws {{\n"
                         f'#sourceLocation(file: "docs/guide/{block.page}", line: {block.line + 1})\n'
                         + "\n".join(body) + "\n#sourceLocation()\n}\n")
        cases.append(f'    case "{index}": try guide_{index}()')
    return ("// Generated by scripts/test-guide.py from docs/guide: one function per Swift block.\n"
            + "\n".join(imports) + "\n\n" + "\n".join(functions)
            + "\ndo {\n    switch CommandLine.arguments[1] {\n" + "\n".join(cases)
            + '\n    default: fatalError("no such block")\n    }\n'
            + '} catch {\n    FileHandle.standardError.write(Data("error: \\(error)\\n".utf8))\n    exit(1)\n}\n')


def run_swift(blocks: list[Block], work: Path, env: dict) -> list[str]:
    debug = (BUILD / "debug").resolve()
    source = work / "main.swift"
    source.write_text(swift_source(blocks))
    binary = work / "guide-swift"
    compile_argv = (["swiftc", "-swift-version", "6", "-Onone", "-g", "-module-name", "GuideSnippets",
                     "-module-cache-path", str(work / "ModuleCache"), "-c", str(source), "-o", str(work / "main.o")]
                    + swift_compile_flags())
    objects = work / "objects.txt"
    objects.write_text("\n".join(shlex.quote(o) for o in swift_link_objects(debug)))
    link_argv = ["swiftc", "-emit-executable", "-o", str(binary), str(work / "main.o"), f"@{objects}",
                 "-L", str(debug), "-lcurl", "-lyaml", "-lstdc++"]
    if not (run(f"swift: compile {len(blocks)} blocks", compile_argv, env, work)
            and run("swift: link", link_argv, env, work)):
        print(f"        (generated source: {source})")
        return [b.label for b in blocks]
    return [b.label for index, b in enumerate(blocks) if not run(b.label, [str(binary), str(index)], env, work)]


def safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="run only blocks whose page or name contains this")
    parser.add_argument("--lang", choices=LANGUAGES, action="append", help="run only this language (repeatable)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (generated sources)")
    parser.add_argument("--list", action="store_true", help="list the blocks and exit")
    args = parser.parse_args()

    blocks: list[Block] = []
    problems: list[str] = []
    pages = sorted(GUIDE.glob("*.md"))
    for page in pages:
        found, wrong = extract(page)
        blocks += found
        problems += wrong
    if problems:
        print("test-guide: " + "\n test-guide: ".join(problems))
        return 1
    if args.only:
        blocks = [b for b in blocks if args.only in b.page or args.only in b.name]
    if args.lang:
        blocks = [b for b in blocks if b.lang in args.lang]
    if args.list:
        for block in blocks:
            print(block.label)
        return 0
    print(f"test-guide: {len(pages)} pages, {len(blocks)} blocks "
          + ", ".join(f"{sum(b.lang == l for b in blocks)} {l}" for l in LANGUAGES))

    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="kubeclient-guide-"))
    server = Server(work)
    # The test-server page's examples start servers of their own: tell them where it is.
    env = dict(os.environ, KUBECONFIG=str(server.kubeconfig), KUBECLIENT_TESTSERVER=server.binary)
    env.pop("KUBECLIENT_LIBRARY", None)
    print(f"test-guide: test server at {server.url}; work folder {work}", flush=True)
    failed: list[str] = []
    try:
        for lang, runner in (("python", run_python), ("c", run_c), ("swift", run_swift)):
            chosen = [b for b in blocks if b.lang == lang]
            if chosen:
                print(f"test-guide: {lang}", flush=True)
                failed += runner(chosen, work, env)
    finally:
        server.stop()
        if args.keep or failed:
            print(f"test-guide: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    elapsed = time.monotonic() - started
    if failed:
        print(f"test-guide: {len(failed)} of {len(blocks)} blocks failed ({elapsed:.0f} s):")
        for label in failed:
            print(f"  {label}")
        return 1
    print(f"test-guide: all {len(blocks)} blocks passed ({elapsed:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
