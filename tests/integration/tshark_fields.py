"""Shared helper: run tshark with the plugin and read fields as a list of dicts."""
import subprocess
import sys


def add_runner_args(parser):
    parser.add_argument("--runner", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--ws-minor", required=True)


def tshark(args, *tshark_args):
    cmd = [args.runner, args.plugin, args.ws_minor, "tshark", *tshark_args]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit(f"tshark failed ({out.returncode}): {' '.join(cmd)}\n{out.stderr}")
    return out.stdout


def fields(args, capture, display_filter, names, two_pass=False, extra=()):
    extra = (["-2"] if two_pass else []) + list(extra)
    cols = []
    for n in names:
        cols += ["-e", n]
    text = tshark(args, "-n", "-r", capture, *extra, "-Y", display_filter, "-T", "fields", "-E", "separator=/t",
                  "-E", "occurrence=a", "-E", "aggregator=,", *cols)
    rows = []
    for line in text.splitlines():
        values = line.split("\t")
        rows.append(dict(zip(names, values + [""] * (len(names) - len(values)))))
    return rows
