#!/usr/bin/env python3
"""Every command and code example of one documentation page runs, and prints what the page
shows. The page's fenced blocks follow one convention:

  ```                       a `$ COMMAND` line runs COMMAND with bash (a line ending in `\\`
  $ COMMAND                 continues on the next); the lines under it, up to the next `$ `
  output it printed         line or the end of the block, are its output, compared line for
  ```                       line (trailing blanks ignored). A line `...` stands for any number
                            of lines. Shown no output, the command must only succeed.
  ```sh                     a recipe: its lines run as one bash script (set -e).
  ```lua NAME  (```c NAME)  a file the reader saves as NAME for the commands after it: it is
                            written to the folder the commands run in (C is compiled with
                            -fsyntax-only against Wireshark's and dnsfail's headers).

Commands run as an ordinary user (uid 65534 when the test runs as root), in a scratch
folder holding `captures/` (the bundled captures, so paths to them are relative to the
repository root: captures/incident-port-unreachable.pcapng) and, with --cpack-config, the
package in build/package/. `tshark`, `editcap`, `mergecap` and `capinfos` are the built
plugin's Wireshark (tests/helpers/tshark_as_user.sh). HOME is a scratch home whose
~/.config/wireshark those programs read, so a recipe that writes disabled_protos there
takes effect for the commands after it.

A few blocks cannot run here: they need root, the network, a display, the reader's own
files, or another Wireshark version. NOT_RUN lists each, by page and first line, with the
reason; a block in that list that is no longer on the page is an error, so the list stays
true. Any other block that is not one of the forms above is an error too.

The man page (docs/man/dnsfail.7) writes its examples for the reader's capture.pcapng: each
line of an .EX block in its EXAMPLES section runs with the bundled incident capture in its
place, and must succeed (the page shows no output for them).

A command that exits with a non-zero status fails, unless the page shows its output and
that output is what it printed (an error message the page means to show).

The pages show Wireshark 4.0's output; on another version the check is skipped (77)."""
import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

# What the man page's examples read instead of the reader's capture.pcapng.
MAN_CAPTURE = "captures/incident-port-unreachable.pcapng"

# (page file name, the block's first line, or the `$ ` command) -> why it is not run here.
NOT_RUN = {
    ("README.md", "sudo .ci/setup     # install what building and using needs, build, install the plugin, explain the bundled incident"):
        "root: installs packages and the plugin (.ci/cold_machine.sh runs it)",
    ("README.md", "cmake -S . -B build -DDNSFAIL_INSTALL_SCOPE=user"):
        "installs into the reader's home (the test install_scopes runs it)",
    ("README.md", "cmake -S . -B build -DDNSFAIL_INSTALL_SCOPE=system"):
        "root: installs for every user (the test install_scopes runs it)",
    ("README.md", "cmake -S . -B build && cmake --build build --target deb   # build/package/dnsfail_0.1.0+ws4.0_amd64.deb"):
        "root: installs the package (the test debian_package_install_remove runs it)",
    ("README.md", "sudo apt-get install wireshark-dev libwireshark-dev libglib2.0-dev"):
        "root, and another Wireshark version (the tests wireshark_4_4_baselines and wireshark_4_6_baselines run it)",
    ("admin-guide.md", "sudo apt-get install cmake make gcc pkg-config dpkg-dev wireshark-dev libwireshark-dev libglib2.0-dev"):
        "root: installs packages (the next command's package is built by cpack here)",
    ("admin-guide.md", "sudo apt-get install ./build/package/dnsfail_0.1.0+ws4.0_amd64.deb"):
        "root: installs the package (the test debian_package_install_remove runs it)",
    ("admin-guide.md", "cmake -S . -B build -DDNSFAIL_INSTALL_SCOPE=system"):
        "root: installs for every user (the test install_scopes runs it)",
    ("admin-guide.md", "tshark -r captures/incident-port-unreachable.pcapng -Y dnsfail"):
        "shows Wireshark 4.4 without the 4.0 plugin, after an upgrade of the release",
    ("admin-guide.md", "dpkg-query -W -f='${Version}\\n' dnsfail; tshark --version | head -n 1"):
        "shows an installed package after an upgrade of the release",
    ("admin-guide.md", "sudo apt-get install ./build/package/dnsfail_0.1.0+ws4.4_amd64.deb"):
        "root, on Debian 13 (the test wireshark_4_4_baselines installs that package)",
    ("admin-guide.md", "sudo apt-get install ./build/package/dnsfail_0.1.0+ws4.6_amd64.deb"):
        "root, on Debian 14 (the test wireshark_4_6_baselines installs that package)",
    ("admin-guide.md", "sudo apt-get purge dnsfail"):
        "root: removes the package (the test debian_package_install_remove runs it)",
    ("admin-guide.md", "sudo xargs rm -v < build/install_manifest.txt"):
        "root: removes an installation (the test install_scopes checks the manifest)",
    ("user-guide.md", "dumpcap -i lo -f 'port 53 or port 5353 or port 5355 or icmp or icmp6' -a duration:6 -w dns-incident.pcapng"):
        "captures live traffic (root; the test live_capture_explained runs it)",
    ("user-guide.md", "dig @127.0.0.1 www.yummyrecipesforme.com A +tries=3 +timeout=1"):
        "sends live traffic, with the capture above (the test live_capture_explained)",
    ("user-guide.md", "tshark -r dns-incident.pcapng -Y dnsfail"):
        "reads the capture made above (the test live_capture_explained checks the same)",
    ("user-guide.md", "wireshark captures/incident-port-unreachable.pcapng"):
        "opens the GUI (the test gui_walkthrough does, under Xvfb)",
    ("dnsfail.7", f"wireshark -C dnsfail -r {MAN_CAPTURE}"):
        "opens the GUI (the test gui_walkthrough opens the profile under Xvfb)",
    ("user-guide.md", "ctest --test-dir build -R 'gui_walkthrough|gui_io_graph|gui_resolver_chain'"):
        "a developer's recipe: runs the GUI under Xvfb (the ci tier runs these three tests)",
    ("fuzzing.md", "ctest --test-dir build -R 'fuzz\\.(replay|run)' --output-on-failure  # what CI runs: replay + 30 s per harness"):
        "a developer's recipe: hours of fuzzing (the fuzz.* tests run it)",
    ("fuzzing.md", "/tmp/dnsfail-fuzz-$(id -u)/build/fuzz_quote /tmp/dnsfail-fuzz-$(id -u)/artifacts/quote/crash-..."):
        "needs a crashing input of the reader's",
    ("PERFORMANCE.md", "bench/run.sh --quick                    # a few minutes: 3,000 frames, the not-asked-for modes (summary also on everyday and resolver)"):
        "the benchmark: minutes to an hour on idle CPUs (the full tier's bench_quick runs it)",
}

# Commands that read the Debian package: run when the test has a package target to build it
# with (--cpack-config; cpack writes build/package/ in the scratch folder), else not run.
NEEDS_PACKAGE = {
    ("admin-guide.md", "dpkg-deb -f build/package/dnsfail_0.1.0+ws4.0_amd64.deb Depends"),
}

# Output that differs from one machine to the next, the same way in the page and in what
# tshark printed: the folder the plugin was loaded from.
VARIES = [(re.compile(r"\S*/plugins/(\d+\.\d+)/epan/dnsfail\.so"), r"<plugin folder>/\1/epan/dnsfail.so")]

FENCE = re.compile(r"^( *)```(.*)$")
WRAPPED = ("tshark", "editcap", "mergecap", "capinfos")


class Block:
    def __init__(self, line, info, lines):
        self.line = line            # line number of the opening fence
        self.info = info.split()    # ["lua", "NAME"], ["sh"], []
        self.lines = lines          # [(line number, text)]


def blocks(text):
    """Every fenced block of a page; an indented fence (in a list item) is unindented."""
    found, current = [], None
    for number, line in enumerate(text.split("\n"), 1):
        m = FENCE.match(line)
        if current is None:
            if m:
                current = (number, len(m.group(1)), m.group(2).strip(), [])
        elif m and not m.group(2).strip():
            found.append(Block(current[0], current[2], current[3]))
            current = None
        else:
            current[3].append((number, line[current[1]:] if line[:current[1]].strip() == "" else line))
    return found


def man_examples(text):
    """The .EX blocks of a man page's EXAMPLES section, as blocks of `$ ` commands on the
    bundled capture (roff's \\- and \\e read as - and \\)."""
    found, section, current = [], "", None
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith(".SH "):
            section = line[4:].strip().strip('"')
        elif section == "EXAMPLES" and line.startswith(".EX"):
            current = Block(number, "", [])
        elif current is not None and line.startswith(".EE"):
            found.append(current)
            current = None
        elif current is not None:
            line = line.replace("\\-", "-").replace("\\e", "\\").replace("capture.pcapng", MAN_CAPTURE)
            continuation = current.lines and current.lines[-1][1].endswith("\\")
            current.lines.append((number, line if continuation else "$ " + line))
    return found


def commands(block):
    """(line number, command, [(line number, expected output line)]) for each `$ ` line."""
    result = []
    lines = iter(block.lines)
    for number, text in lines:
        if text.startswith("$ "):
            cmd = text[2:]
            while cmd.endswith("\\"):
                cmd = cmd[:-1] + " " + next(lines)[1].strip()
            result.append([number, cmd, []])
        elif result:
            result[-1][2].append((number, text))
        elif text.strip():
            return None  # text before any command: not a command block
    for r in result:
        while r[2] and not r[2][-1][1].strip():
            r[2].pop()
    return result


def normalise(line):
    for pattern, replacement in VARIES:
        line = pattern.sub(replacement, line)
    return line.rstrip()


def first_difference(want, got):
    """None when got matches want (a `...` line in want matches any lines), else
    (index into want or len(want), index into got) of the first line that cannot match."""
    best = [(0, 0)]
    memo = {}

    def match(i, j):
        # Iterative over plain lines, recursive only at a `...`, so long outputs are fine.
        while True:
            if (i, j) > best[0]:
                best[0] = (i, j)
            if i == len(want):
                return j == len(got)
            if want[i][1].strip() == "...":
                break
            if j >= len(got) or normalise(want[i][1]) != normalise(got[j]):
                return False
            i, j = i + 1, j + 1
        if (i, j) not in memo:
            memo[(i, j)] = any(match(i + 1, k) for k in range(j, len(got) + 1))
        return memo[(i, j)]

    return None if match(0, 0) else best[0]


class Runner:
    def __init__(self, args, page):
        self.args = args
        self.page = page
        self.work = tempfile.mkdtemp(prefix="dnsfail-doc-")
        self.home = os.path.join(self.work, "home")
        self.cwd = os.path.join(self.work, "run")
        bindir = os.path.join(self.work, "bin")
        for d in (self.home, self.cwd, bindir):
            os.makedirs(d)
        os.symlink(os.path.join(args.top, "captures"), os.path.join(self.cwd, "captures"))
        self.package = None  # made when a command first needs it
        for program in WRAPPED:
            path = os.path.join(bindir, program)
            with open(path, "w", encoding="utf-8") as f:
                f.write("#!/bin/sh\n"
                        f'[ -d "$HOME/.config/wireshark" ] && export DNSFAIL_TEST_CONFIG_DIR="$HOME/.config/wireshark"\n'
                        f"exec {shlex.quote(args.runner)} {shlex.quote(args.plugin)} {shlex.quote(args.ws_minor)} "
                        f'{program} "$@"\n')
            os.chmod(path, 0o755)
        self.env = {"PATH": f"{bindir}:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": self.home, "LANG": "C.UTF-8",
                    "TZ": "UTC"}
        for name in ("ASAN_TEST_PRELOAD", "DISPLAY"):
            if os.environ.get(name):
                self.env[name] = os.environ[name]
        # The page's commands run as an ordinary user, as a reader runs them: run as root (CI),
        # a command a page adds without `sudo` cannot change the machine, and Wireshark reads
        # personal settings (tshark_as_user.sh does the same for tshark).
        self.as_user = []
        if os.geteuid() == 0:
            self.as_user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            for root, dirs, files in os.walk(self.work):
                for entry in [root, *(os.path.join(root, n) for n in dirs + files)]:
                    os.lchown(entry, 65534, 65534)

    def package_problem(self):
        """None once build/package/ of the scratch folder holds the package the deb target
        makes, else why it does not."""
        if not self.args.cpack_config:
            return "this build has no package target (no dpkg, a Wireshark from source, or a user-scope build)"
        if self.package is None:
            self.package = self.make_package()
        return self.package or None

    def make_package(self):
        out_dir = os.path.join(self.cwd, "build", "package")
        os.makedirs(out_dir)
        out = subprocess.run([self.args.cpack, "--config", self.args.cpack_config, "-G", "DEB", "-B", out_dir],
                             capture_output=True, text=True, check=False)
        if out.returncode != 0:
            return f"cpack failed:\n{out.stdout}{out.stderr}"
        shutil.rmtree(os.path.join(out_dir, "_CPack_Packages"), ignore_errors=True)
        if self.as_user:
            for root, dirs, files in os.walk(os.path.join(self.cwd, "build")):
                for entry in [root, *(os.path.join(root, n) for n in dirs + files)]:
                    os.lchown(entry, 65534, 65534)
        return ""

    def bash(self, script, errexit=False):
        prefix = "set -e\n" if errexit else ""
        out = subprocess.run([*self.as_user, "bash", "-c", prefix + "exec 2>&1\n" + script], cwd=self.cwd, env=self.env,
                             capture_output=True, check=False)
        return out.returncode, out.stdout.decode("utf-8", "surrogateescape")

    def cleanup(self):
        shutil.rmtree(self.work, ignore_errors=True)


def compile_c(runner, name):
    path = os.path.join(runner.cwd, name)
    flags = subprocess.run(["pkg-config", "--cflags", "wireshark"], capture_output=True, text=True, check=False)
    if flags.returncode != 0:
        return f"pkg-config --cflags wireshark failed: {flags.stderr.strip()}"
    cmd = [runner.args.cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only",
           "-I", os.path.join(runner.args.top, "include"), *shlex.split(flags.stdout), path]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return None if out.returncode == 0 else f"does not compile:\n{out.stderr}"


def check_page(args, runner):
    name = os.path.basename(args.doc)
    with open(args.doc, encoding="utf-8") as f:
        page = f.read()
    failures, ran, skipped, used_not_run = [], 0, 0, set()
    where = lambda line: f"{os.path.relpath(args.doc, args.top)}:{line}"

    def not_run(key):
        """True (and says why) for a block or command this test does not run."""
        if (name, key) in NEEDS_PACKAGE:
            used_not_run.add(key)
            problem = runner.package_problem()
            if problem is None:
                return False
            if runner.args.cpack_config:
                failures.append(f"{where(number)}: cannot run `{key}`: {problem}")
            else:
                print(f"{where(number)}: not run ({problem}): {key}")
            return True
        reason = NOT_RUN.get((name, key))
        if reason is None:
            return False
        used_not_run.add(key)
        print(f"{where(number)}: not run ({reason}): {key}")
        return True

    for block in man_examples(page) if args.doc.endswith(".7") else blocks(page):
        number = block.line
        lang = block.info[0] if block.info else ""
        if lang in ("lua", "c") and len(block.info) == 2:
            path = os.path.join(runner.cwd, block.info[1])
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(t for _, t in block.lines) + "\n")
            if lang == "c":
                problem = compile_c(runner, block.info[1])
                ran += 1
                if problem:
                    failures.append(f"{where(number)}: the C example {block.info[1]} {problem}")
                else:
                    print(f"{where(number)}: the C example {block.info[1]} compiles")
            continue
        if lang == "sh":
            first = next((t for _, t in block.lines if t.strip()), "")
            if not_run(first):
                skipped += 1
                continue
            status, out = runner.bash("\n".join(t for _, t in block.lines), errexit=True)
            ran += 1
            if status != 0:
                failures.append(f"{where(number)}: the recipe failed (exit status {status}):\n{out}")
            else:
                print(f"{where(number)}: recipe ran: {first}")
            continue
        cmds = commands(block) if lang in ("", "console") else None
        if not cmds:
            failures.append(f"{where(number)}: a ```{' '.join(block.info)} block that is neither `$ ` commands with "
                            "their output, a ```sh recipe, nor a ```lua NAME or ```c NAME file: the convention is in "
                            "tests/integration/docs/check_doc_commands.py")
            continue
        for number, cmd, expected in cmds:
            if not_run(cmd):
                skipped += 1
                continue
            status, out = runner.bash(cmd)
            ran += 1
            got = out.split("\n")
            while got and not got[-1].strip():
                got.pop()
            if expected:
                diff = first_difference(expected, got)
                if diff is not None:
                    i, j = diff
                    doc_line = expected[i][0] if i < len(expected) else expected[-1][0] + 1
                    want_text = expected[i][1] if i < len(expected) else "(end of the output shown)"
                    got_text = got[j] if j < len(got) else "(end of what it printed)"
                    failures.append(f"{where(doc_line)}: the output of `{cmd}` (line {number}) differs here:\n"
                                    f"    page: {want_text}\n    now:  {got_text}\n"
                                    f"  it printed (exit status {status}):\n"
                                    + "".join(f"    {l}\n" for l in got[:60])
                                    + ("    ...\n" if len(got) > 60 else ""))
                    continue
            elif status != 0:
                failures.append(f"{where(number)}: `{cmd}` failed (exit status {status}):\n{out}")
                continue
            print(f"{where(number)}: {'same output' if expected else 'ran'}: {cmd}")
    for page_name, key in [*NOT_RUN, *NEEDS_PACKAGE]:
        if page_name == name and key not in used_not_run:
            failures.append(f"{os.path.relpath(args.doc, args.top)}: NOT_RUN in check_doc_commands.py names a "
                            f"block that is not on the page any more: {key}")
    return failures, ran, skipped


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runner", required=True)
    p.add_argument("--plugin", required=True)
    p.add_argument("--ws-minor", required=True)
    p.add_argument("--doc", required=True, help="the page (README.md, docs/NAME.md)")
    p.add_argument("--top", required=True, help="the source tree (captures/ and include/ are under it)")
    p.add_argument("--cc", default="cc", help="the C compiler for ```c examples")
    p.add_argument("--cpack", default="cpack")
    p.add_argument("--cpack-config", help="the build's CPackConfig.cmake: build/package/*.deb in the page's commands")
    args = p.parse_args()
    args.top = os.path.abspath(args.top)
    if args.ws_minor != "4.0":
        print(f"SKIP: the pages show Wireshark 4.0's output, this is {args.ws_minor}")
        return 77
    runner = Runner(args, args.doc)
    try:
        failures, ran, skipped = check_page(args, runner)
    finally:
        runner.cleanup()
    for f in failures:
        print(f"FAIL: {f}")
    print(f"{ran} commands and examples run, {skipped} not run (listed), {len(failures)} failed")
    if ran == 0 and skipped == 0 and not failures:
        print("FAIL: the page has no block to run: its test should not exist (tests/integration/docs/CMakeLists.txt)")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
