#!/usr/bin/env python3
"""The man page docs/man/dnsfail.7 (docs/docs.cmake installs it).

  renders    groff formats it with every warning on (-ww) and says nothing, and its .TH
             names the project's version;
  z-options  every -z option the plugin registers (what `tshark -z help` lists with the
             plugin and not without it) has its own "-z OPTION" entry in the page's
             STATISTICS section, and every "-z dnsfail,..." the page shows is registered.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys


def render(page):
    """The page as plain text (what man shows), or exit with groff's warnings."""
    out = subprocess.run(["groff", "-man", "-ww", "-Tutf8", "-P-c", "-P-b", "-P-u", page],
                         capture_output=True, text=True, check=False,
                         env=dict(os.environ, LC_ALL="C.UTF-8"))
    if out.returncode != 0 or out.stderr.strip():
        sys.exit(f"FAIL: groff -man -ww {page} exited {out.returncode}:\n{out.stderr}")
    # groff turns - into U+2010 or U+2212 in UTF-8 output; the analyst types an ASCII hyphen.
    return out.stdout.replace("\u2010", "-").replace("\u2212", "-")


def z_options(args, plugin):
    cmd = [args.runner, plugin, args.ws_minor, "tshark", "-z", "help"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    # tshark -z help prints the list and exits 0 (some versions print it on stderr).
    text = out.stdout + out.stderr
    opts = {line.strip() for line in text.splitlines() if line.startswith("     ") and line.strip()}
    if out.returncode != 0 or not opts:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {out.returncode} with no list:\n{text}")
    return opts


def main():
    p = argparse.ArgumentParser()
    p.add_argument("check", choices=("renders", "z-options"))
    p.add_argument("--page", required=True)
    p.add_argument("--version")
    p.add_argument("--runner")
    p.add_argument("--plugin")
    p.add_argument("--ws-minor")
    args = p.parse_args()
    if shutil.which("groff") is None:
        # .ci/test-deps installs groff-base on the host; a root without it (Debian 13's minbase) skips.
        print("SKIP: groff is not installed (Debian package groff-base)")
        return 77
    text = render(args.page)
    if args.check == "renders":
        with open(args.page, encoding="utf-8") as f:
            th = next((l for l in f if l.startswith(".TH ")), "")
        if f'"dnsfail {args.version}"' not in th:
            sys.exit(f"FAIL: the page's .TH line does not name dnsfail {args.version}: {th.strip()!r}")
        print(f"{args.page}: renders without warnings ({len(text.splitlines())} lines), {th.strip()}")
        return 0
    # "dnsfail,tree," is registered for the tree's filtered form (plugin/totals_tree.c): the
    # entry of "dnsfail,tree" documents it.
    registered = sorted({o.rstrip(",") for o in z_options(args, args.plugin) - z_options(args, "none")})
    if not registered:
        sys.exit("FAIL: tshark -z help lists no option of the plugin's: is it loaded?")
    # Documented means described under STATISTICS, not only named in the synopsis.
    m = re.search(r"^STATISTICS\n(.*?)^[A-Z]", text, re.S | re.M)
    if not m:
        sys.exit("FAIL: the page has no STATISTICS section")
    stats = m.group(1)
    missing = [o for o in registered if not re.search(r"^ +-z " + re.escape(o) + r"(?![\w.-])", stats, re.M)]
    shown = set(re.findall(r"-z '?(dnsfail,[a-z_]+)", text))
    unknown = sorted(shown - set(registered))
    if missing or unknown:
        sys.exit(f"FAIL: registered but not in the page: {missing}; in the page but not registered: {unknown}")
    print(f"the plugin registers {', '.join(registered)}; {args.page} documents each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
