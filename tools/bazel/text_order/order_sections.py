#!/usr/bin/env python3
"""Writes the linker script fragment that puts the code a workload ran first.

usage: order_sections.py --map MAP --out SCRIPT TRACE_DIR...

MAP is GNU ld's map (-Wl,-Map) of the binary that trace_functions traced; each
TRACE_DIR holds trace_functions' records of one workload, the first one the
workload that matters most (`hull run`). The script places, in one output
section before .text, the input sections holding a function any of them
entered: the sections only the first workload's first image of hull entered,
then those both it and the re-executed image entered, then those only the
re-executed one did (each image's code is then one contiguous run), then what
each further workload adds. Each group keeps the order of first entry. (In a
`hull run`, the first image only seals itself, before libc's start;
the re-executed one is the launcher, and the container's init its clone.)

An input section is named by its section name when that is a function's own
(-ffunction-sections: Hull's code, libstdc++.a, inline functions); Debian's
archives put a whole object file's code in one .text, which is then named by
archive and member. A name that no longer exists matches nothing, so a stale
script still links; it only places less.
"""

import argparse
import bisect
import os
import re
import sys

# Section names that say nothing about the function: the file names them.
GENERIC = {'.text', '.text.unlikely', '.text.startup', '.text.hot', '.text.exit'}
# What a section name or file name may hold to appear in a script unquoted.
PLAIN = re.compile(r'^[A-Za-z0-9_.$+-]+$')


def parse_map(path):
    """The .text* input sections in the link's .text (or in the
    .text.start_path an earlier script made): sorted (address, size, name,
    file). .init, .fini, .plt and orphan sections stay where the default
    script puts them."""
    sections = []
    pending = None
    in_layout = False
    output = None
    with open(path) as lines:
        for line in lines:
            if line.startswith('Linker script and memory map'):
                in_layout = True
                continue
            if not in_layout:
                continue
            if line[:1] not in ('', ' ', '\n'):
                output = line.split()[0]
                continue
            if output not in ('.text', '.text.start_path'):
                continue
            if pending is not None:
                m = re.match(r'^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$', line)
                if m:
                    sections.append((int(m.group(1), 16), int(m.group(2), 16), pending, m.group(3).strip()))
                pending = None
                continue
            m = re.match(r'^ ([^*\s]\S*)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$', line)
            if m:
                sections.append((int(m.group(2), 16), int(m.group(3), 16), m.group(1), m.group(4).strip()))
                continue
            m = re.match(r'^ ([^*\s]\S*)$', line)
            if m:
                pending = m.group(1)
    return sorted(s for s in sections if s[0] and s[1] and s[2].startswith('.text'))


def read_traces(trace_dir):
    """(launcher hits, reexec hits): the addresses in first-entry order."""
    launcher, reexec = [], []
    for name in sorted(os.listdir(trace_dir), key=lambda n: [int(p) for p in n.split('.')]):
        with open(os.path.join(trace_dir, name)) as f:
            header = f.readline()
            hits = [int(line, 16) for line in f if line.strip()]
        (reexec if header.startswith('# reexec') else launcher).extend(hits)
    return launcher, reexec


def pattern(section):
    _, _, name, path = section
    if name not in GENERIC:
        return '*(%s)' % name if PLAIN.match(name) else None
    m = re.match(r'^.*?([^/]+\.a)\(([^)]+)\)$', path)
    archive, member = (m.group(1), m.group(2)) if m else (None, os.path.basename(path))
    if not PLAIN.match(member) or (archive and not PLAIN.match(archive)):
        return None
    return '*/%s:%s(%s)' % (archive, member, name) if archive else '*/%s(%s)' % (member, name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--map', required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('trace_dirs', nargs='+')
    args = parser.parse_args()

    sections = parse_map(args.map)
    starts = [s[0] for s in sections]

    def section_of(address):
        i = bisect.bisect_right(starts, address) - 1
        if i >= 0 and address < sections[i][0] + sections[i][1]:
            return i
        return None

    def in_order(addresses):
        seen, order = set(), []
        for i in map(section_of, addresses):
            if i is not None and i not in seen:
                seen.add(i)
                order.append(i)
        return order

    groups = []
    placed = set()
    for n, trace_dir in enumerate(args.trace_dirs):
        launcher, reexec = (in_order(a) for a in read_traces(trace_dir))
        workload = os.path.basename(os.path.normpath(trace_dir))
        if n == 0:
            in_reexec, in_launcher = set(reexec), set(launcher)
            groups.append(('%s: first image only' % workload, [i for i in launcher if i not in in_reexec]))
            groups.append(('%s: both images' % workload, [i for i in launcher if i in in_reexec]))
            groups.append(('%s: re-executed image only' % workload, [i for i in reexec if i not in in_launcher]))
        else:
            groups.append(('%s: not placed yet' % workload, [i for i in launcher + reexec if i not in placed]))
        placed.update(i for _, g in groups for i in g)

    out = [
        '/* Generated by tools/bazel/text_order/regenerate.sh: do not edit (see',
        '   tools/bazel/text_order/README.md). The code of the workloads traced, in',
        '   one run before .text: fault-around then maps little of the rest. */',
        'SECTIONS',
        '{',
        '  .text.start_path :',
        '  {',
    ]
    written = set()
    unnamed = 0
    for title, group in groups:
        lines = []
        for i in group:
            p = pattern(sections[i])
            if p is None:
                unnamed += 1
            elif p not in written:
                written.add(p)
                lines.append('    ' + p)
        size = sum(sections[i][1] for i in group)
        out.append('    /* %s: %d sections, %d bytes */' % (title, len(group), size))
        out.extend(lines)
    out += ['  }', '}', 'INSERT BEFORE .text;', '']
    with open(args.out, 'w') as f:
        f.write('\n'.join(out))
    for title, group in groups:
        print('%-40s %5d sections %9d bytes' % (title, len(group), sum(sections[i][1] for i in group)))
    if unnamed:
        print('%d sections left out: their names cannot appear in a script' % unnamed, file=sys.stderr)


if __name__ == '__main__':
    main()
