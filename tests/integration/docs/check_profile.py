#!/usr/bin/env python3
"""The "dnsfail" configuration profile (profile/dnsfail/) works in tshark as it should in
the GUI: the runner copies it into the temporary HOME (DNSFAIL_TEST_PROFILE_DIR) and
tshark runs with -C dnsfail.

  columns  the preset columns are the profile's, with real values on the failure frames;
  filters  every display filter button and every coloring rule compiles, and selects the
           frames it should on the bundled captures (a rule or button without expectations
           here fails: a new one needs them); every I/O graph is a valid row of Wireshark
           4.0's io_graphs, and its filter counts per second what it should (tshark's
           -z io,stat, which counts as the GUI's I/O graph does);
  colors   tshark --color (on a terminal) paints each failure frame with its dnsfail rule's
           colors, and other frames with Wireshark's default rules;
  zip      the importable zip holds the profile folder, and the profile unpacked from it works;
  install  cmake --install of the profile and man components, for either scope, puts the
           profile where Wireshark finds it (system: <data dir>/profiles, tried through
           WIRESHARK_DATA_DIR; user: the personal profiles) and tshark -C dnsfail uses
           it; the zip and the man page go to share/doc/dnsfail and share/man/man7
           (under ~/.local for one user).
"""
import argparse
import concurrent.futures
import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

PROFILE_FILES = ("colorfilters", "dfilter_buttons", "io_graphs", "preferences", "recent")
INCIDENT = "incident-port-unreachable.pcapng"
QNAME = "www.yummyrecipesforme.com"
COLUMNS = ["No.", "Time", "Source", "Destination", "Protocol", "Length",
           "Query name", "Failure", "Attempt", "Reason", "Info"]

# How many frames each button and each dnsfail coloring rule selects: (capture, two-pass) -> count.
# Counted by hand from the captures' dnsfail.kind values (docs/fields.md); the incident
# capture, single pass and -2, is given for every one of them so that none selects too much.
def _incident(single, two):
    return {(INCIDENT, False): single, (INCIDENT, True): two}


BUTTONS = {
    "DNS failures": {**_incident(3, 3), ("error-answers.pcapng", False): 6, ("timeouts.pcapng", True): 5,
                     ("tcp-rst.pcapng", False): 1, ("ordinary-dns.pcapng", False): 0,
                     ("late-answer.pcapng", False): 0},
    "ICMP errors": {**_incident(3, 3), ("ipv6.pcapng", False): 7, ("error-answers.pcapng", False): 0},
    "Error answers": {**_incident(0, 0), ("error-answers.pcapng", False): 6, ("tcp-answers.pcapng", False): 2,
                      ("timeouts.pcapng", True): 0},
    "TCP refused": {**_incident(0, 0), ("tcp-rst.pcapng", False): 1},
    "Timeouts": {**_incident(0, 0), ("timeouts.pcapng", True): 5, ("timeouts.pcapng", False): 0,
                 ("tcp-answers.pcapng", True): 1},
    "Late answers": {**_incident(0, 0), ("timeouts.pcapng", True): 3, ("late-answer.pcapng", False): 1},
    "NXDOMAIN": {**_incident(0, 0), ("ordinary-dns.pcapng", False): 1, ("error-answers.pcapng", False): 1},
    "Failed queries": {**_incident(0, 3), ("timeouts.pcapng", True): 5},
    "All dnsfail": {**_incident(3, 6), ("timeouts.pcapng", True): 8},
}
RULES = {
    "dnsfail: query answered by an ICMP error": {**_incident(3, 3), ("ipv6.pcapng", False): 7},
    "dnsfail: error answer (SERVFAIL, REFUSED, ...)": {**_incident(0, 0), ("error-answers.pcapng", False): 6,
                                                       ("timeouts.pcapng", True): 0},
    "dnsfail: TCP connection refused": {**_incident(0, 0), ("tcp-rst.pcapng", False): 1},
    "dnsfail: query timed out": {**_incident(0, 0), ("timeouts.pcapng", True): 5},
    "dnsfail: late or undeliverable answer": {**_incident(0, 0), ("timeouts.pcapng", True): 3},
    "dnsfail: NXDOMAIN": {**_incident(0, 0), ("ordinary-dns.pcapng", False): 1},
    "dnsfail: query that failed": {**_incident(0, 3), ("error-answers.pcapng", True): 6},
}
# The I/O graphs (io_graphs): name -> {(capture, two-pass): {second: frames}}, seconds with
# no frame left out. timeouts.pcapng sends its 6 queries at 0, 5, 10, 15 (two) and 21 s,
# and 5 of them time out (known with -2, as in the GUI); the incident's 3 queries and 3
# ICMP errors quoting them are all in its first second: the errors are failures, and not
# queries.
IO_GRAPHS = {
    "DNS failures": {("timeouts.pcapng", True): {0: 1, 5: 1, 10: 1, 15: 1, 21: 1},
                     (INCIDENT, False): {0: 3}, ("ordinary-dns.pcapng", True): {}},
    "DNS queries": {("timeouts.pcapng", True): {0: 1, 5: 1, 10: 1, 15: 2, 21: 1},
                    (INCIDENT, False): {0: 3}},
}
# The values wireshark-qt 4.0 accepts in io_graphs (ui/qt/io_graph_dialog.cpp's value strings).
IO_GRAPH_STYLES = {"Line", "Impulse", "Bar", "Stacked Bar", "Dot", "Square", "Diamond", "Cross", "Plus", "Circle"}
IO_GRAPH_Y_AXES = {"Packets", "Bytes", "Bits", "SUM(Y Field)", "COUNT FRAMES(Y Field)", "COUNT FIELDS(Y Field)",
                   "MAX(Y Field)", "MIN(Y Field)", "AVG(Y Field)", "LOAD(Y Field)"}
IO_GRAPH_SMA = {"None", "10 interval SMA", "20 interval SMA", "50 interval SMA", "100 interval SMA",
                "200 interval SMA", "500 interval SMA", "1000 interval SMA"}
# Which dnsfail rule must color a frame, from the frame's own fields (the oracle of the
# colors check): kind -> rule; a query frame with dnsfail.error_in -> "query that failed".
RULE_OF_KIND = {
    "icmp_error": "dnsfail: query answered by an ICMP error",
    "tcp_refused": "dnsfail: TCP connection refused",
    "timeout": "dnsfail: query timed out",
    "late_answer": "dnsfail: late or undeliverable answer",
    "answer_undeliverable": "dnsfail: late or undeliverable answer",
    "nxdomain": "dnsfail: NXDOMAIN",
}
ERROR_ANSWER_RULE = "dnsfail: error answer (SERVFAIL, REFUSED, ...)"
FAILED_QUERY_RULE = "dnsfail: query that failed"


class Runner:
    def __init__(self, args, profile_dir):
        self.args = args
        self.profile_dir = profile_dir

    def run(self, *targs, program=("tshark",), tty=False):
        """(returncode, stdout bytes, stderr text) of the program run through the runner."""
        cmd = [self.args.runner, self.args.plugin, self.args.ws_minor, *program, *targs]
        env = dict(os.environ)
        env.pop("DNSFAIL_TEST_PROFILE_DIR", None)
        if self.profile_dir:
            env["DNSFAIL_TEST_PROFILE_DIR"] = self.profile_dir
        if not tty:
            out = subprocess.run(cmd, capture_output=True, env=env, check=False)
            return out.returncode, out.stdout, out.stderr.decode(errors="replace")
        # tshark colors only a terminal: give it one, and read it until it closes.
        master, slave = pty.openpty()
        proc = subprocess.Popen(cmd, stdout=slave, stderr=subprocess.PIPE, env=env)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: every writer closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        os.close(master)
        err = proc.stderr.read().decode(errors="replace")
        proc.wait()
        return proc.returncode, b"".join(chunks).replace(b"\r\n", b"\n"), err

    def tshark_ok(self, *targs, **kw):
        rc, out, err = self.run(*targs, **kw)
        if rc != 0 or err.strip():
            sys.exit(f"FAIL: tshark {' '.join(targs)} exited {rc}; stderr:\n{err}")
        return out


def parse_colorfilters(path):
    """[(name, filter, (bg r,g,b), (fg r,g,b))] of the enabled rules, as epan/color_filters.c reads them."""
    rules = []
    rule = re.compile(r"^@([^@]+)@([^@]+)@\[(\d+),(\d+),(\d+)\]\[(\d+),(\d+),(\d+)\]\s*$")
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            m = rule.match(line)
            if not m:
                sys.exit(f"FAIL: {path}:{n}: not a coloring rule: {line!r}")
            nums = [int(x) for x in m.groups()[2:]]
            if any(x > 65535 for x in nums):
                sys.exit(f"FAIL: {path}:{n}: a color channel over 65535")
            rules.append((m.group(1), m.group(2), tuple(nums[:3]), tuple(nums[3:])))
    return rules


def parse_uat(path, ncols):
    """Rows of a Wireshark UAT file (epan/uat_load.l): "quoted" fields separated by commas,
    \\xHH escapes inside them, # comments."""
    field = r'"((?:[^"\\]|\\x[0-9a-fA-F]{2}|\\[\\"])*)"'
    row = re.compile(r"^" + r",".join([field] * ncols) + r"\s*$")
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            m = row.match(line)
            if not m:
                sys.exit(f"FAIL: {path}:{n}: not a {ncols}-field UAT row: {line!r}")
            rows.append([re.sub(r"\\x([0-9a-fA-F]{2})|\\([\\\"])",
                                lambda e: chr(int(e.group(1), 16)) if e.group(1) else e.group(2), v)
                         for v in m.groups()])
    return rows


def buttons(profile_dir):
    rows = parse_uat(os.path.join(profile_dir, "dfilter_buttons"), 4)
    for enabled, label, _, _ in rows:
        if enabled not in ("TRUE", "FALSE"):
            sys.exit(f"FAIL: button {label!r}: enabled is {enabled!r}, not TRUE or FALSE")
    return [(label, expr) for enabled, label, expr, _ in rows]


def psml(r, capture, *extra):
    """[{column title: text}] per frame of tshark -T psml with the profile's columns."""
    root = ET.fromstring(r.tshark_ok("-C", "dnsfail", "-r", capture, "-T", "psml", *extra))
    titles = [s.text or "" for s in root.find("structure").findall("section")]
    frames = [dict(zip(titles, [s.text or "" for s in p.findall("section")])) for p in root.findall("packet")]
    return titles, frames


def check_columns(r, captures):
    incident = os.path.join(captures, INCIDENT)
    for two_pass in (False, True):
        titles, frames = psml(r, incident, *(["-2"] if two_pass else []))
        if titles != COLUMNS:
            sys.exit(f"FAIL: columns {titles}, expected {COLUMNS}")
        by_no = {int(f["No."]): f for f in frames}
        for attempt, (query, error) in enumerate(((5, 6), (7, 8), (9, 10)), 1):
            got = {k: by_no[error][k] for k in ("Query name", "Failure", "Attempt", "Reason")}
            want = {"Query name": QNAME, "Failure": "icmp_error", "Attempt": str(attempt),
                    "Reason": "udp port 53 unreachable"}
            if got != want:
                sys.exit(f"FAIL: frame {error} columns {got}, expected {want}")
            # The query frame carries the attempt under dnsfail.error_in, known in the second pass.
            q = by_no[query]
            want_q = str(attempt) if two_pass else ""
            if (q["Query name"], q["Failure"], q["Attempt"]) != ("", "", want_q):
                sys.exit(f"FAIL: query frame {query} (two-pass {two_pass}) columns {q}")
        if by_no[1]["Query name"] or by_no[1]["Failure"]:
            sys.exit(f"FAIL: frame 1 (no DNS) has dnsfail columns: {by_no[1]}")
    # A timeout, on the query frame in the second pass.
    _, frames = psml(r, os.path.join(captures, "timeouts.pcapng"), "-2", "-Y", 'dnsfail.kind == "timeout"')
    names = sorted({(f["Query name"], f["Failure"], f["Reason"]) for f in frames})
    if ("silent.example.com", "timeout", "no answer within 5 s") not in names:
        sys.exit(f"FAIL: timeouts.pcapng -2: timeout columns {names}")
    print(f"columns {titles}: frames 6, 8, 10 show {QNAME}, icmp_error, attempts 1-3, "
          "udp port 53 unreachable; timeouts show on their queries with -2")


def count(r, captures, expr, capture, two_pass):
    out = r.tshark_ok("-C", "dnsfail", "-r", os.path.join(captures, capture), "-Y", expr,
                      "-T", "fields", "-e", "frame.number", *(["-2"] if two_pass else []))
    return len(out.split())


def check_filters(r, captures, profile_dir):
    jobs = []
    btns = buttons(profile_dir)
    rules = [x for x in parse_colorfilters(os.path.join(profile_dir, "colorfilters")) if x[0].startswith("dnsfail")]
    for kind, items, expected in (("button", btns, BUTTONS), ("rule", [(x[0], x[1]) for x in rules], RULES)):
        names = [n for n, _ in items]
        if sorted(names) != sorted(expected):
            sys.exit(f"FAIL: {kind}s in the profile {names}; this test has expectations for {sorted(expected)}")
        for name, expr in items:
            for (capture, two_pass), want in expected[name].items():
                jobs.append((kind, name, expr, capture, two_pass, want))
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = pool.map(lambda j: count(r, captures, j[2], j[3], j[4]), jobs)
        for (kind, name, expr, capture, two_pass, want), got in zip(jobs, results):
            mode = "-2" if two_pass else "single pass"
            line = f"{kind} {name!r} ({expr}) on {capture}, {mode}: {got} frames, expected {want}"
            print(("ok   " if got == want else "FAIL ") + line)
            if got != want:
                failures.append(line)
    if failures:
        sys.exit(f"FAIL: {len(failures)} filter counts differ")
    # Every coloring rule, Wireshark's defaults too, compiles: tshark warns on stderr otherwise.
    r.tshark_ok("-C", "dnsfail", "--color", "-r", os.path.join(captures, INCIDENT), "-c", "1")
    print(f"{len(btns)} buttons and {len(rules)} dnsfail coloring rules compile and select what they should")
    check_io_graphs(r, captures, profile_dir)


def io_graphs(profile_dir):
    """[(name, filter)] of the enabled graphs, each row checked against what wireshark-qt
    4.0 reads (a row it cannot read makes it drop the file for its default graphs, silently)."""
    graphs = []
    for enabled, name, expr, color, style, y_axis, y_field, sma, factor in parse_uat(
            os.path.join(profile_dir, "io_graphs"), 9):
        problems = []
        if enabled not in ("Enabled", "Disabled"):
            problems.append(f"enabled is {enabled!r}, not Enabled or Disabled")
        if not re.fullmatch(r"#[0-9A-Fa-f]{6}", color):
            problems.append(f"color {color!r} is not #RRGGBB")
        if style not in IO_GRAPH_STYLES:
            problems.append(f"style {style!r}")
        if y_axis not in IO_GRAPH_Y_AXES or (y_axis == "Packets") != (y_field == ""):
            problems.append(f"y axis {y_axis!r} with y field {y_field!r}")
        if sma not in IO_GRAPH_SMA or not factor.isdigit():
            problems.append(f"SMA period {sma!r}, y axis factor {factor!r}")
        if problems:
            sys.exit(f"FAIL: I/O graph {name!r}: {'; '.join(problems)}")
        if enabled == "Enabled":
            graphs.append((name, expr))
    return graphs


# "|  5 <>  6 |      1 |   101 |", or "| 0.000 <> 0.492 | ..." for a capture shorter than the interval.
IO_ROW = re.compile(r"^\|\s*(\d+(?:\.\d+)?)\s*<>\s*(?:[\d.]+|Dur)\s*\|(.*)$")


def io_per_second(r, captures, capture, two_pass, exprs):
    """[{second: frames}] per filter, from tshark -z io,stat,1 with the filters as its columns
    (the argument is split at commas, and no shell strips quotes here: a filter with a comma
    cannot be checked this way)."""
    if any("," in e for e in exprs):
        sys.exit(f"FAIL: an I/O graph filter with a comma, which -z io,stat cannot take: {exprs}")
    out = r.tshark_ok("-C", "dnsfail", "-q", "-r", os.path.join(captures, capture), *(["-2"] if two_pass else []),
                      "-z", ",".join(["io,stat,1", *exprs])).decode()
    series = [{} for _ in exprs]
    for line in out.splitlines():
        m = IO_ROW.match(line)
        if not m:
            continue
        cells = [c.strip() for c in m.group(2).split("|") if c.strip()]
        for i in range(len(exprs)):
            frames = int(cells[2 * i])  # each filter has a Frames and a Bytes column
            if frames:
                series[i][int(float(m.group(1)))] = frames
    return series


def check_io_graphs(r, captures, profile_dir):
    graphs = io_graphs(profile_dir)
    if sorted(n for n, _ in graphs) != sorted(IO_GRAPHS):
        sys.exit(f"FAIL: I/O graphs in the profile {[n for n, _ in graphs]}; this test has expectations for "
                 f"{sorted(IO_GRAPHS)}")
    failures = []
    for name, expr in graphs:
        for (capture, two_pass), want in IO_GRAPHS[name].items():
            got = io_per_second(r, captures, capture, two_pass, [expr])[0]
            line = (f"I/O graph {name!r} ({expr}) on {capture}, {'-2' if two_pass else 'single pass'}: "
                    f"frames per second {got}, expected {want}")
            print(("ok   " if got == want else "FAIL ") + line)
            if got != want:
                failures.append(line)
    if failures:
        sys.exit(f"FAIL: {len(failures)} I/O graph series differ")
    print(f"{len(graphs)} I/O graphs are valid rows and count per second what they should")


def escape(rgb_fg, rgb_bg):
    """The escapes tshark prints for a rule (epan/print_stream.c: the 16-bit channels' high bytes)."""
    fg = ";".join(str(c >> 8) for c in rgb_fg)
    bg = ";".join(str(c >> 8) for c in rgb_bg)
    return f"\x1b[38;2;{fg}m\x1b[48;2;{bg}m"


def check_colors(r, captures, profile_dir):
    rules = parse_colorfilters(os.path.join(profile_dir, "colorfilters"))
    by_name = {name: escape(fg, bg) for name, _, bg, fg in rules}
    ours = {e for name, e in by_name.items() if name.startswith("dnsfail")}
    if len(ours) != len([n for n in by_name if n.startswith("dnsfail")]):
        sys.exit("FAIL: two dnsfail rules share their colors: the frames' colors could not tell them apart")
    cases = [(INCIDENT, False), (INCIDENT, True), ("error-answers.pcapng", True), ("timeouts.pcapng", True),
             ("tcp-rst.pcapng", False), ("ordinary-dns.pcapng", False)]
    colored = 0
    for capture, two_pass in cases:
        path = os.path.join(captures, capture)
        extra = ["-2"] if two_pass else []
        fields = r.tshark_ok("-r", path, "-T", "fields", "-e", "frame.number", "-e", "dnsfail.kind",
                             "-e", "dnsfail.error_in", *extra).decode()
        want = {}
        for line in fields.splitlines():
            no, kind, error_in = (line.split("\t") + ["", ""])[:3]
            if kind:
                want[int(no)] = RULE_OF_KIND.get(kind, ERROR_ANSWER_RULE)
            elif error_in:
                want[int(no)] = FAILED_QUERY_RULE
            else:
                want[int(no)] = None
        rc, out, err = r.run("COLORTERM=truecolor", "tshark", "-C", "dnsfail", "--color", "-r", path, *extra,
                             program=("env",), tty=True)
        if rc != 0 or err.strip():
            sys.exit(f"FAIL: tshark --color on {capture} exited {rc}: {err}")
        # Each line is "<fg><bg>text\x1b[K\n\x1b[0m": the reset follows the newline.
        text = out.decode(errors="replace").replace("\x1b[0m", "").replace("\x1b[K", "")
        lines = [l for l in text.split("\n") if l.strip()]
        if len(lines) != len(want):
            sys.exit(f"FAIL: {capture}: {len(lines)} lines for {len(want)} frames")
        for line in lines:
            m = re.match(r"^(\x1b\[38;2;[\d;]+m\x1b\[48;2;[\d;]+m)\s*(\d+) ", line)
            if not m:
                sys.exit(f"FAIL: {capture}: an uncolored line (is the output a terminal?): {line!r}")
            no, esc = int(m.group(2)), m.group(1)
            rule = want[no]
            if rule is not None and esc != by_name[rule]:
                sys.exit(f"FAIL: {capture} frame {no}: colors {esc!r}, expected rule {rule!r} {by_name[rule]!r}")
            if rule is None and esc in ours:
                sys.exit(f"FAIL: {capture} frame {no} has a dnsfail rule's colors but no dnsfail failure")
            colored += rule is not None
        print(f"{capture} ({'-2' if two_pass else 'single pass'}): {len(lines)} frames, "
              f"{sum(1 for v in want.values() if v)} in dnsfail's colors")
    # Wireshark's defaults still apply after dnsfail's rules: the incident's DNS query (frame
    # 5) is in the default "UDP" colors in a single pass.
    rc, out, _ = r.run("COLORTERM=truecolor", "tshark", "-C", "dnsfail", "--color", "-r",
                       os.path.join(captures, INCIDENT), "-Y", "frame.number == 5", program=("env",), tty=True)
    if not out.decode(errors="replace").replace("\x1b[0m", "").startswith(by_name["UDP"]):
        sys.exit(f"FAIL: the DNS query is not in Wireshark's default UDP colors: {out[:80]!r}")
    if colored == 0:
        sys.exit("FAIL: no frame was expected in dnsfail's colors")
    print(f"{colored} failure frames in their rule's colors; other frames in Wireshark's default rules")


def check_zip(r, captures, zip_path, source_dir):
    with zipfile.ZipFile(zip_path) as z:
        names = sorted(z.namelist())
        want = sorted(f"dnsfail/{f}" for f in PROFILE_FILES)
        if names != want:
            sys.exit(f"FAIL: {zip_path} holds {names}, expected {want}")
        for f in PROFILE_FILES:
            with open(os.path.join(source_dir, f), "rb") as src:
                if z.read(f"dnsfail/{f}") != src.read():
                    sys.exit(f"FAIL: dnsfail/{f} in the zip differs from profile/dnsfail/{f}")
        with tempfile.TemporaryDirectory() as tmp:
            z.extractall(tmp)
            unpacked = Runner(r.args, os.path.join(tmp, "dnsfail"))
            titles, _ = psml(unpacked, os.path.join(captures, INCIDENT), "-c", "1")
            if titles != COLUMNS:
                sys.exit(f"FAIL: the profile unpacked from the zip gives columns {titles}")
    print(f"{zip_path}: {', '.join(names)}; unpacked, tshark -C dnsfail shows its columns")


def configure_and_install(source_dir, tmp, scope):
    """Configures the sources with DNSFAIL_INSTALL_SCOPE=scope and a temporary HOME, builds
    the zip, and runs cmake --install for the profile and man components (system: staged
    with DESTDIR). Returns (stage prefix, HOME)."""
    home, build, stage = (os.path.join(tmp, scope, d) for d in ("home", "build", "stage"))
    os.makedirs(home)
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_CONFIG_HOME", "WIRESHARK_CONFIG_DIR")}
    env["HOME"] = home
    quiet = {"env": env, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run(["cmake", "-S", source_dir, "-B", build, f"-DDNSFAIL_INSTALL_SCOPE={scope}",
                    "-DDNSFAIL_TESTS=OFF"], **quiet)
    subprocess.run(["cmake", "--build", build, "--target", "dnsfail_profile_zip"], **quiet)
    if scope == "system":
        env["DESTDIR"] = stage
    for component in ("profile", "man"):
        subprocess.run(["cmake", "--install", build, "--component", component], **quiet)
    return (stage if scope == "system" else ""), home


def installed_columns(runner, capture, data_dir=None):
    program = ("env", f"WIRESHARK_DATA_DIR={data_dir}", "tshark") if data_dir else ("tshark",)
    root = ET.fromstring(runner.tshark_ok("-C", "dnsfail", "-r", capture, "-T", "psml", "-c", "1", program=program))
    return [s.text or "" for s in root.find("structure").findall("section")]


def expect_files(where, names):
    present = sorted(os.listdir(where)) if os.path.isdir(where) else []
    if present != sorted(names):
        sys.exit(f"FAIL: {where} holds {present}, expected {sorted(names)}")


def check_install(r, captures, source_dir):
    capture = os.path.join(captures, INCIDENT)
    with tempfile.TemporaryDirectory() as tmp:
        # Every user: the global profiles, <data dir>/profiles, with Debian's data dir
        # /usr/share/wireshark; the zip and the man page under the prefix.
        stage, _ = configure_and_install(source_dir, tmp, "system")
        staged = [os.path.join(d, f) for d, _, fs in os.walk(stage) for f in fs]
        profile = [f for f in staged if f.endswith("/share/wireshark/profiles/dnsfail/colorfilters")]
        if len(profile) != 1:
            sys.exit(f"FAIL: system scope staged {staged}, no <prefix>/share/wireshark/profiles/dnsfail")
        profile_dir = os.path.dirname(profile[0])
        expect_files(profile_dir, PROFILE_FILES)
        for suffix in ("/share/doc/dnsfail/dnsfail-profile.zip", "/share/man/man7/dnsfail.7"):
            if not any(f.endswith(suffix) for f in staged):
                sys.exit(f"FAIL: system scope staged {staged}, no ...{suffix}")
        # tshark finds it among the global profiles (no personal one: the runner gets no
        # profile folder), in a copy of Wireshark's data folder with the staged profile added.
        real = os.path.dirname(os.path.dirname(profile_dir))[len(stage):]
        # The control, a copy with no profiles at all: the machine's own data folder may
        # hold an installed dnsfail profile already (.ci/setup installs system-wide).
        data, empty = os.path.join(tmp, "data"), os.path.join(tmp, "data-without-profiles")
        for d in (data, empty):
            os.makedirs(os.path.join(d, "profiles"))
            for entry in os.listdir(real):
                if entry != "profiles":
                    os.symlink(os.path.join(real, entry), os.path.join(d, entry))
        shutil.copytree(profile_dir, os.path.join(data, "profiles", "dnsfail"))
        subprocess.run(["chmod", "-R", "a+rX", tmp], check=True)
        global_only = Runner(r.args, None)
        rc, _, err = global_only.run("-C", "dnsfail", "-r", capture, "-c", "1",
                                     program=("env", f"WIRESHARK_DATA_DIR={empty}", "tshark"))
        if rc == 0:
            sys.exit("FAIL: tshark -C dnsfail worked without any dnsfail profile: the check proves nothing")
        titles = installed_columns(global_only, capture, data_dir=data)
        if titles != COLUMNS:
            sys.exit(f"FAIL: the global profile gives columns {titles}")
        print(f"system scope: {profile_dir[len(stage):]}, the zip and dnsfail.7 staged; "
              "tshark -C dnsfail finds the global profile")

        # One user: the personal profiles (~/.config/wireshark/profiles), the zip and the
        # man page under ~/.local.
        _, home = configure_and_install(source_dir, tmp, "user")
        profile_dir = os.path.join(home, ".config", "wireshark", "profiles", "dnsfail")
        expect_files(profile_dir, PROFILE_FILES)
        for f in (".local/share/doc/dnsfail/dnsfail-profile.zip", ".local/share/man/man7/dnsfail.7"):
            if not os.path.isfile(os.path.join(home, f)):
                sys.exit(f"FAIL: user scope did not install ~/{f}")
        titles = installed_columns(Runner(r.args, profile_dir), capture)
        if titles != COLUMNS:
            sys.exit(f"FAIL: the personal profile gives columns {titles}")
        print("user scope: ~/.config/wireshark/profiles/dnsfail, ~/.local/share/doc/dnsfail/dnsfail-profile.zip "
              "and ~/.local/share/man/man7/dnsfail.7; tshark -C dnsfail uses the profile")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("check", choices=("columns", "filters", "colors", "zip", "install"))
    p.add_argument("--runner", required=True)
    p.add_argument("--plugin", required=True)
    p.add_argument("--ws-minor", required=True)
    p.add_argument("--captures", required=True)
    p.add_argument("--profile", required=True, help="profile/dnsfail in the sources")
    p.add_argument("--zip")
    p.add_argument("--source-dir")
    args = p.parse_args()
    r = Runner(args, args.profile)
    if args.check == "columns":
        check_columns(r, args.captures)
    elif args.check == "filters":
        check_filters(r, args.captures, args.profile)
    elif args.check == "colors":
        check_colors(r, args.captures, args.profile)
    elif args.check == "zip":
        check_zip(r, args.captures, args.zip, args.profile)
    else:
        check_install(r, args.captures, args.source_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
