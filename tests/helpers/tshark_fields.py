"""Shared helper: run tshark with the plugin and read fields as a list of dicts.

The baselines in expected/ and the assertions of the checks are written in tshark 4.0's
output conventions. Later tshark versions print the same dissection differently, and this
module is the one place that knows it: fields_text() and fields() return 4.0's text for
every version (on 4.0 tshark's output unchanged). What 4.2+ tshark (Debian 13 ships 4.4)
prints differently in -T fields:
  - booleans as True/False instead of 1/0;
  - string values with C escapes (a backslash doubled, so dnsfail's \\DDD escapes print as
    \\\\DDD);
  - the Info column as _ws.col.info, which need not hold text appended after the columns
    are made into fields (a post-dissector's, for example); the full Info column is read with -T tabs and a custom column format;
  - a few of Wireshark's own ICMPv6 texts in the Info column capitalised (NEWER_INFO_TEXT);
  - in -V, a shortened label starts with "[\u2026] " instead of " [truncated]" (tree_bytes);
  - in two-pass runs, the DNS dissector's own expert message "DNS response missing" among
    dnsfail's in _ws.expert.message (not dnsfail's, and 4.0 does not add it).
What 4.6+ tshark (Debian 14) prints differently besides:
  - the ICMP and ICMPv6 dissectors' own expert Note "Type indicates an error" on every ICMP
    error, before dnsfail's item in _ws.expert.message;
  - in -V, a relative time in the largest unit that fits ("4.221 microseconds" for 4.0's
    "0.000004221 seconds"; tree_bytes turns it back, digit for digit).
"""
import functools
import re
import subprocess
import sys

INFO = "_ws.col.Info"
EXPERT = "_ws.expert.message"
# Expert messages of other dissectors that only newer tshark versions add (not dnsfail's),
# with the first version that adds each. Only whole messages equal to one of these are
# dropped, and only from that version on: dnsfail's own messages are compared unchanged.
NEWER_EXPERT_NOISE = {
    "DNS response missing": (4, 2),
    "Type indicates an error": (4, 6),
}
# Wireshark's own Info text that newer versions capitalise differently (4.4's ICMPv6 code
# names), mapped back to 4.0's; dnsfail's part of the column ("[DNS ...]") is not touched.
NEWER_INFO_TEXT = {
    "(No route to destination)": "(no route to destination)",
    "(Hop limit exceeded in transit)": "(hop limit exceeded in transit)",
}
_UNESCAPE = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
             '"': '"', "'": "'", "0": "\0"}


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


def _tshark_str(args, *tshark_args):
    """tshark's stdout as str, byte for byte (no newline translation; bytes that are not
    UTF-8 kept as surrogates, so .encode("utf-8", "surrogateescape") gives them back)."""
    cmd = [args.runner, args.plugin, args.ws_minor, "tshark", *tshark_args]
    out = subprocess.run(cmd, capture_output=True, check=False)
    if out.returncode != 0:
        sys.exit(f"tshark failed ({out.returncode}): {' '.join(cmd)}\n{out.stderr.decode(errors='replace')}")
    return out.stdout.decode("utf-8", "surrogateescape")


def _lines(text):
    lines = text.split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


@functools.lru_cache(maxsize=None)
def _version(runner, plugin, ws_minor):
    cmd = [runner, plugin, ws_minor, "tshark", "--version"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    first = out.stdout.splitlines()[0] if out.stdout else ""
    m = re.search(r"(\d+)\.(\d+)", first)
    if out.returncode != 0 or not m:
        sys.exit(f"cannot read tshark's version ({out.returncode}): {first!r}\n{out.stderr}")
    return int(m.group(1)), int(m.group(2))


def tshark_version(args):
    """(major, minor) from the first line of `tshark --version`, e.g. (4, 0) or (4, 4)."""
    return _version(args.runner, args.plugin, args.ws_minor)


def newer_than_4_0(args):
    return tshark_version(args) >= (4, 2)


@functools.lru_cache(maxsize=None)
def _boolean_fields(runner, plugin, ws_minor):
    cmd = [runner, plugin, ws_minor, "tshark", "-G", "fields"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit(f"tshark -G fields failed ({out.returncode})\n{out.stderr}")
    return frozenset(p[2] for p in (line.split("\t") for line in out.stdout.splitlines())
                     if len(p) > 3 and p[0] == "F" and p[3] == "FT_BOOLEAN")


def unescape(value):
    """Undoes the C escapes newer tshark puts in -T fields string values."""
    return re.sub(r"\\(.)", lambda m: _UNESCAPE.get(m.group(1), m.group(0)), value)


def normalise_value(args, name, value):
    """One -T fields value (all occurrences, joined by ',') as tshark 4.0 prints it."""
    if not newer_than_4_0(args):
        return value
    if name in _boolean_fields(args.runner, args.plugin, args.ws_minor):
        return ",".join({"True": "1", "False": "0"}.get(v, v) for v in value.split(",")) if value else value
    value = unescape(value)
    if name == EXPERT and value:
        # Messages can hold commas themselves: drop only whole aggregated items.
        version = tshark_version(args)
        for noise, since in NEWER_EXPERT_NOISE.items():
            if version < since:
                continue
            parts = value.split(",")
            parts = [p for p in parts if p != noise]
            value = ",".join(parts)
    return value


def info_column(args, capture, display_filter, extra=()):
    """{frame number: the full Info column} read with -T tabs (4.2+: -e _ws.col.Info may
    lack what is appended after the columns are made into fields)."""
    text = _tshark_str(args, "-n", "-r", capture, *extra, "-Y", display_filter, "-T", "tabs",
                  "-o", 'gui.column.format:"No.","%m","Info","%i"')
    info = {}
    for line in _lines(text):
        number, _, rest = line.partition("\t")
        ours = rest.find(" [DNS ")
        head, tail = (rest, "") if ours < 0 else (rest[:ours], rest[ours:])
        for newer, old in NEWER_INFO_TEXT.items():
            head = head.replace(newer, old)
        info[number.strip()] = head + tail
    return info


def fields_text(args, capture, display_filter, names, two_pass=False, extra=(), header=False):
    """tshark -T fields output (tab-separated, all occurrences joined by ','), in 4.0's
    conventions whatever the version; on 4.0 exactly what tshark printed."""
    extra = (["-2"] if two_pass else []) + list(extra)
    newer = newer_than_4_0(args)
    asked = list(names)
    if newer and INFO in names:
        asked = [n for n in names if n != INFO]
        if "frame.number" not in asked:
            asked.append("frame.number")
    cols = []
    for n in asked:
        cols += ["-e", n]
    text = _tshark_str(args, "-n", "-r", capture, *extra, "-Y", display_filter, "-T", "fields",
                  "-E", f"header={'y' if header else 'n'}", "-E", "separator=/t",
                  "-E", "occurrence=a", "-E", "aggregator=,", *cols)
    if not newer:
        return text
    lines = _lines(text)
    if header:
        lines = lines[1:]
    info = info_column(args, capture, display_filter, extra) if INFO in names else {}
    out = ["\t".join(names)] if header else []
    for line in lines:
        values = line.split("\t")
        row = dict(zip(asked, values + [""] * (len(asked) - len(values))))
        row = {n: normalise_value(args, n, v) for n, v in row.items()}
        if INFO in names:
            row[INFO] = info.get(row["frame.number"], "")
        out.append("\t".join(row[n] for n in names))
    return "".join(line + "\n" for line in out)


def fields_bytes(args, capture, display_filter, names, two_pass=False, extra=()):
    """fields_text() as the bytes tshark wrote (for checks of raw bytes)."""
    return fields_text(args, capture, display_filter, names, two_pass, extra).encode("utf-8", "surrogateescape")


# A relative time as 4.6+ prints it in -V: the largest unit that fits, and "5 seconds" for
# a whole number of seconds.
_NEWER_TIME = re.compile(rb"(?<=: )(-?)(\d+)(?:\.(\d+))? (seconds?|milliseconds?|microseconds?|nanoseconds?)(?=\])")
_NS_PER = {b"second": 10**9, b"millisecond": 10**6, b"microsecond": 10**3, b"nanosecond": 1}


def _time_as_4_0(m):
    """A 4.6+ relative time back as 4.0's "S.NNNNNNNNN seconds", exactly (in integer
    nanoseconds); left as it is when it is not a whole number of nanoseconds."""
    sign, whole, frac, unit = m.group(1), m.group(2), m.group(3) or b"", m.group(4)
    per = _NS_PER[unit.rstrip(b"s")]
    scaled = int(frac or b"0") * per
    if scaled % 10 ** len(frac):
        return m.group(0)
    ns = int(whole) * per + scaled // 10 ** len(frac)
    return b"%s%d.%09d seconds" % (sign, ns // 10**9, ns % 10**9)


def tree_bytes(args, data):
    """-V (packet tree) output in 4.0's conventions: newer tshark marks a label it shortens
    with a UTF-8 "[\u2026] " at its start where 4.0 writes " [truncated]"; 4.6+ writes a
    relative time in the largest unit that fits ("4.221 microseconds" for 4.0's
    "0.000004221 seconds"), turned back here digit for digit."""
    if newer_than_4_0(args):
        data = data.replace("[\u2026] ".encode("utf-8"), b" [truncated]")
    if tshark_version(args) >= (4, 6):
        data = _NEWER_TIME.sub(_time_as_4_0, data)
    return data


def fields(args, capture, display_filter, names, two_pass=False, extra=()):
    rows = []
    for line in _lines(fields_text(args, capture, display_filter, names, two_pass, extra)):
        values = line.split("\t")
        rows.append(dict(zip(names, values + [""] * (len(names) - len(values)))))
    return rows
