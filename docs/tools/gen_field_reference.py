#!/usr/bin/env python3
"""Writes docs/field-reference.md from what tshark says with the built plugin loaded, so
the reference cannot drift from the plugin: every dnsfail field (`tshark -G fields`, with
value strings from `-G values`), every expert item, and every dnsfail preference
(`-G defaultprefs`).

    gen_field_reference.py --runner tests/helpers/tshark_as_user.sh \\
        --plugin build/dnsfail.so --ws-minor 4.0 --source-dir . --output docs/field-reference.md

Wireshark 4.0's tshark cannot list an expert item's severity and group (`-G fields` shows
it as an FT_NONE field with its summary), so those two come from the plugin's
ei_register_info table in the sources; the script stops if the sources and tshark do not
list the same expert items. The meaning of each field is in docs/fields.md, by hand.
"""
import argparse
import glob
import os
import re
import sys

# tshark run through the tests' runner (tests/helpers/tshark_as_user.sh), as the tests do.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "helpers"))
from tshark_fields import tshark  # noqa: E402

PROTO = "dnsfail"

# Short type names, as docs/fields.md writes them; a type not listed is printed raw.
TYPES = {
    "FT_PROTOCOL": "Protocol", "FT_NONE": "Label", "FT_BOOLEAN": "Boolean",
    "FT_UINT8": "Unsigned 8", "FT_UINT16": "Unsigned 16", "FT_UINT24": "Unsigned 24",
    "FT_UINT32": "Unsigned 32", "FT_UINT64": "Unsigned 64", "FT_INT32": "Signed 32",
    "FT_STRING": "String", "FT_STRINGZ": "String", "FT_IPv4": "IPv4 address",
    "FT_IPv6": "IPv6 address", "FT_FRAMENUM": "Frame number", "FT_RELATIVE_TIME": "Time offset",
    "FT_ABSOLUTE_TIME": "Date and time", "FT_BYTES": "Bytes", "FT_DOUBLE": "Double",
}
# Wireshark's own names (epan/expert.c expert_severity_vals, expert_group_vals).
SEVERITIES = {"PI_ERROR": "Error", "PI_WARN": "Warning", "PI_NOTE": "Note", "PI_CHAT": "Chat",
              "PI_COMMENT": "Comment"}
GROUPS = {"PI_CHECKSUM": "Checksum", "PI_SEQUENCE": "Sequence", "PI_RESPONSE_CODE": "Response",
          "PI_REQUEST_CODE": "Request", "PI_UNDECODED": "Undecoded", "PI_REASSEMBLE": "Reassemble",
          "PI_MALFORMED": "Malformed", "PI_DEBUG": "Debug", "PI_PROTOCOL": "Protocol",
          "PI_SECURITY": "Security", "PI_COMMENTS_GROUP": "Comment", "PI_DECRYPTION": "Decryption",
          "PI_ASSUMPTION": "Assumption", "PI_DEPRECATED": "Deprecated"}
# One ei_register_info entry: {&ei, {"name", GROUP, SEVERITY, "summary", EXPFILL}}
EI_ENTRY = re.compile(r'\{\s*&[^,{}]+,\s*\{\s*"([^"]+)"\s*,\s*(PI_\w+)\s*,\s*(PI_\w+)\s*,')


def ours(name):
    return name == PROTO or name.startswith(PROTO + ".")


def cell(text):
    """A Markdown table cell: | would end it, and a line break would end the row."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def read_fields(args):
    protocols, fields = [], []
    for line in tshark(args, "-G", "fields").splitlines():
        cols = line.split("\t")
        if cols[0] == "P" and len(cols) >= 3 and ours(cols[2]):
            protocols.append((cols[2], cols[1]))  # dnsfail, and its post-dissector's helper
        elif cols[0] == "F" and len(cols) >= 8 and ours(cols[2]):
            fields.append({"name": cols[1], "abbrev": cols[2], "type": cols[3], "blurb": cols[7]})
    if PROTO not in dict(protocols) or not fields:
        sys.exit("tshark -G fields lists no dnsfail protocol or fields: is the plugin loaded?")
    return sorted(protocols), fields


def read_values(args):
    values = {}
    for line in tshark(args, "-G", "values").splitlines():
        cols = line.split("\t")
        if cols[0] == "V" and len(cols) >= 4 and ours(cols[1]):
            values.setdefault(cols[1], []).append((int(cols[2], 0), cols[3]))
        elif cols[0] == "T" and len(cols) >= 4 and ours(cols[1]):
            values.setdefault(cols[1], []).extend([(1, cols[2]), (0, cols[3])])
    return values


def read_prefs(args):
    """-G defaultprefs: '# description' lines, a '# type hint' line, then '#name: default'."""
    prefs, comments = [], []
    for line in tshark(args, "-G", "defaultprefs").splitlines():
        m = re.match(r"^#(%s\.[\w.]+): ?(.*)$" % PROTO, line)
        if m:
            # The last comment line is the type hint ("A decimal number"); those before it
            # are the description.
            prefs.append({"name": m.group(1), "default": m.group(2), "description": " ".join(comments[:-1])})
            comments = []
        elif line.startswith("# "):
            comments.append(line[2:])
        else:
            comments = []
    return prefs


def read_expert_source(source_dir):
    experts = {}
    for path in sorted(glob.glob(os.path.join(source_dir, "plugin", "*.c"))):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for m in EI_ENTRY.finditer(text):
            if ours(m.group(1)):
                experts[m.group(1)] = (GROUPS.get(m.group(2), m.group(2)), SEVERITIES.get(m.group(3), m.group(3)))
    return experts


def render(protocols, fields, values, prefs, experts_src):
    experts = [f for f in fields if f["abbrev"] in experts_src]
    plain = [f for f in fields if f["abbrev"] not in experts_src]
    # Expert items are FT_NONE fields to tshark 4.0; a label field would be misfiled.
    stray = [f["abbrev"] for f in plain if f["type"] == "FT_NONE"]
    missing = sorted(set(experts_src) - {f["abbrev"] for f in experts})
    if stray or missing:
        sys.exit(f"expert items differ: FT_NONE fields not in the sources' ei tables: {stray}; "
                 f"in the sources but not registered: {missing}")
    out = [
        "# dnsfail field reference (generated)",
        "",
        "<!-- Generated by docs/tools/gen_field_reference.py from tshark -G fields, -G values and",
        "     -G defaultprefs with the plugin loaded. Do not edit: regenerate with",
        "     cmake --build build --target field_reference (the test field_reference_current",
        "     fails when this file is not current). -->",
        "",
        "Every display filter field, expert item and preference the plugin registers, as tshark",
        "lists them. What each field means, where it appears and how to use it is in",
        "[fields.md](fields.md); the statistics (`-z dnsfail,tree`, `-z dnsfail,report`) are in",
        "[statistics.md](statistics.md) and in the man page [dnsfail(7)](man/dnsfail.7).",
        "",
        "## Protocol",
        "",
        "| Filter name | Name |",
        "|---|---|",
        *[f"| `{abbrev}` | {cell(name)} |" for abbrev, name in protocols],
        "",
        f"## Fields ({len(plain)})",
        "",
        "| Filter name | Name | Type | Description |",
        "|---|---|---|---|",
    ]
    for f in plain:
        blurb = f["blurb"]
        if f["abbrev"] in values:
            listed = ", ".join(f"{v} {cell(s)}" for v, s in sorted(values[f["abbrev"]]))
            blurb = f"{blurb} Values: {listed}." if blurb else f"Values: {listed}."
        out.append(f"| `{f['abbrev']}` | {cell(f['name'])} | {TYPES.get(f['type'], f['type'])} | {cell(blurb)} |")
    out += [
        "",
        f"## Expert items ({len(experts)})",
        "",
        "Each is also a display filter field of its own name (`-Y dnsfail.timeout`).",
        "",
        "| Filter name | Severity | Group | Summary |",
        "|---|---|---|---|",
    ]
    for f in experts:
        group, severity = experts_src[f["abbrev"]]
        out.append(f"| `{f['abbrev']}` | {severity} | {group} | {cell(f['name'])} |")
    out += [
        "",
        f"## Preferences ({len(prefs)})",
        "",
        "Set with `tshark -o NAME:VALUE`, or in Edit > Preferences > Protocols > DNSFAIL.",
        "",
        "| Name | Default | Description |",
        "|---|---|---|",
    ]
    for p in prefs:
        out.append(f"| `{p['name']}` | `{cell(p['default'])}` | {cell(p['description'])} |")
    return "\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runner", required=True, help="tests/helpers/tshark_as_user.sh")
    p.add_argument("--plugin", required=True, help="the built dnsfail.so")
    p.add_argument("--ws-minor", required=True, help="Wireshark minor version, e.g. 4.0")
    p.add_argument("--source-dir", required=True, help="the dnsfail source tree (for the expert tables)")
    p.add_argument("--output", required=True)
    args = p.parse_args()
    protocols, fields = read_fields(args)
    prefs = read_prefs(args)
    if not prefs:
        sys.exit("tshark -G defaultprefs lists no dnsfail preference")
    text = render(protocols, fields, read_values(args), prefs, read_expert_source(args.source_dir))
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
