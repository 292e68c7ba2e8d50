#!/usr/bin/python3
"""layers.py - check libcouncil's rooms (issue 11): cycles, layers, sizes, tables.

Run by Debian's /usr/bin/python3; standard library only.

    layers.py [--root DIR]      check DIR/libcouncil (default: this repo)
    layers.py --graph           print the file graph, then check
    layers.py --self-test       prove each check fires on small synthetic trees

Rules and the judgment calls behind them:
- The module table is `## Modules` in libcouncil/README.md, a markdown table
  `| File | Layer | Tables | What |`. File may list several files (`a.c`, `a.h`);
  Layer is one of pure, storage, log, domain, auditor; Tables is a comma-separated
  list or `-`. Layers bottom up: pure < storage < log < domain; auditor sits on
  pure alone (it may call pure and itself; nothing else may call into it).
- A header X.h belongs to the module of X.c. A header with no X.c (council_int.h)
  is its own node and needs its own README row (say `pure`).
- Nodes of the graph are modules, named by their .c (or lone header). A -> B when
  code in A calls a non-static `council_*`/`council__*` function defined in B, or
  when A `#include`s "B.h" (a header in libcouncil/). Calls are found in function
  bodies and in #define bodies, after comments and string literals are removed.
  Static functions (also `static inline` in headers) make no edges.
- Layer findings: a call, or an #include of a module header, from a file to a
  module its layer may not use. Order findings: inside one layer, a call or an
  include of a file listed below the caller in the Modules table (the table is
  the order, bottom up, so the order inside a layer is checked too).
- Tables are the `CREATE TABLE` names in the schema files (SCHEMA_FILE below:
  store.c, or a later schema.c / migrations.c). SQL is looked for in string
  literals (adjacent literals joined) by its uppercase keywords: FROM (with comma
  lists), JOIN, INTO, UPDATE, TABLE, INDEX .. ON, TRIGGER .. ON. A statement that
  starts with CREATE/ALTER/DROP is DDL, the rest DML. A table may be touched only
  by its owner; schema files may also do DDL on anyone's table, and, in the
  migration list itself (outside any function), seed a table with literal rows
  (INSERT .. VALUES): the first rows of a catalogue are part of the schema's
  version; and rebuild a table (CREATE TABLE new, INSERT INTO new SELECT FROM
  old, DROP TABLE old, ALTER TABLE new RENAME TO old, all in the same SQL):
  schema work that moves no row between owners (the copy is the renamed
  table's, owned by its owner). Any other DML there is reported.
- A statement prepared or finalized with sqlite3_prepare*/sqlite3_finalize outside
  the schema file is reported: every module goes through council__prepare/
  council__finalize (store.c's statement cache), and a cached statement
  finalized behind the cache's back would leave it a freed pointer.
- Files above MAX_LINES lines are reported; so are .c/.h files missing from the
  README table, and README rows whose file does not exist.
Output: a `layers: <kind>: <details>` line a finding, a summary; exit 1 if any.
"""
import bisect
import collections
import os
import re
import shutil
import sys
import tempfile

LAYERS = ("pure", "storage", "log", "domain", "auditor")
RANK = {"pure": 0, "storage": 1, "log": 2, "domain": 3}
MAX_LINES = 1200
SCHEMA_FILE = re.compile(r"^(store|schema|migrat\w*)\.[ch]$")
FUNC_NAME = re.compile(r"\b(council_\w+)\s*\(")
NOT_TABLE = {"IF", "NOT", "EXISTS", "OR", "ON", "SELECT", "WHERE", "VALUES", "SET", "AS"}


def may_use(caller, callee):
    """May a file of layer `caller` call into layer `callee`?"""
    if "auditor" in (caller, callee):
        return callee in ("pure", caller)
    return RANK[callee] <= RANK[caller]


# ------------------------------------------------------------------ reading C

def blank(chars, i, j):
    for k in range(i, j):
        if chars[k] != "\n":
            chars[k] = " "


def strip_c(text):
    """Return (code, nocomment, literals): code has comments and the contents of
    string and char literals blanked, nocomment only comments; literals is a
    list of (start, end, raw contents) of the string literals. Offsets and
    line breaks are kept, so positions map to lines in all three."""
    code, noc, lits = list(text), list(text), []
    i, n = 0, len(text)
    while i < n:
        ch, j = text[i], i + 1
        if text.startswith(("/*", "//"), i):
            block = text[i + 1] == "*"
            j = text.find("*/" if block else "\n", i + 2)
            j = n if j < 0 else j + (2 if block else 0)
            blank(code, i, j)
            blank(noc, i, j)
        elif ch in "\"'":
            j = i + 1
            while j < n and text[j] != ch and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            if ch == '"':
                lits.append((i, j + 1, text[i + 1:j]))
            blank(code, i + 1, min(j, n))
            j += 1
        i = j
    return "".join(code), "".join(noc), lits


def head_function(head):
    """The name of the function whose definition `head` (the text between the
    previous top-level `;`/`}` and a top-level `{`) ends with, or None."""
    h = head.rstrip()
    if not h.endswith(")"):
        return None
    depth, k = 0, len(h) - 1
    while k >= 0:
        depth += {")": 1, "(": -1}.get(h[k], 0)
        if depth == 0:
            break
        k -= 1
    m = re.search(r"(\w+)\s*$", h[:max(k, 0)])
    if m is None or m.group(1) in ("if", "while", "for", "switch", "return", "sizeof"):
        return None
    return m.group(1)


class Source:
    """One library file: its functions, the calls they make, its includes and
    its string literals."""

    def __init__(self, path):
        self.name = os.path.basename(path)
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        self.lines = text.count("\n") + (0 if text.endswith("\n") else 1)
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        code, noc, self.literals = strip_c(text)
        self.code = code
        self.includes = re.findall(r'(?m)^[ \t]*#[ \t]*include[ \t]*"([^"]+)"', noc)
        self.defs = {}      # name -> static?
        self.calls = []     # (in function, callee)
        self.spans = []     # (start, end, function name)
        chars = list(code)
        for m in re.finditer(r"(?m)^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", code):
            d = re.match(r"\s*#\s*define\s+(\w+)", m.group())
            if d:
                for c in FUNC_NAME.finditer(m.group(), d.end()):
                    self.calls.append(("macro " + d.group(1), c.group(1)))
            blank(chars, m.start(), m.end())
        code = "".join(chars)
        depth, stmt, cur = 0, 0, None
        for m in re.finditer(r"[{};]", code):
            c = m.group()
            if c == "{":
                if depth == 0:
                    head = code[stmt:m.start()]
                    name = head_function(head)
                    cur = (name, m.start()) if name else None
                    if name:
                        self.defs[name] = bool(re.search(r"\bstatic\b", head))
                depth += 1
            elif c == "}":
                depth = max(depth - 1, 0)
                if depth == 0:
                    if cur:
                        self.spans.append((cur[1], m.end(), cur[0]))
                        for call in FUNC_NAME.finditer(code, cur[1], m.end()):
                            self.calls.append((cur[0], call.group(1)))
                    cur, stmt = None, m.end()
            elif depth == 0:
                stmt = m.end()

    def line(self, offset):
        return bisect.bisect_right(self.starts, offset)

    def function_at(self, offset):
        for start, end, name in self.spans:
            if start <= offset < end:
                return name
        return "top level"

    def sql_groups(self):
        """Adjacent literals joined: yields (text, starts), starts a list of
        (offset in text, offset in the file) of each literal joined."""
        text, starts, end = None, [], None
        for start, stop, raw in self.literals:
            if text is None or self.code[end:start].strip() != "":
                if text is not None:
                    yield text, starts
                text, starts = "", []
            starts.append((len(text), start))
            text, end = text + raw, stop
        if text is not None:
            yield text, starts

    def sql_line(self, starts, pos):
        """The line of position pos of a joined literal."""
        k = bisect.bisect_right([s for s, _ in starts], pos) - 1
        return self.line(starts[k][1] + 1 + pos - starts[k][0])


# ------------------------------------------------------------------ SQL

def statements(sql):
    """Split on `;`, keeping a CREATE TRIGGER's BEGIN ... END; whole."""
    out, i = [], 0  # (offset, statement)
    while i < len(sql):
        if re.match(r"\s*CREATE\s+(?:TEMP\w*\s+)?TRIGGER\b", sql[i:]):
            m = re.compile(r"\bEND\s*;").search(sql, i)
        else:
            m = re.compile(";").search(sql, i)
        j = m.end() if m else len(sql)
        if sql[i:j].strip():
            out.append((i, sql[i:j]))
        i = j
    return out


def sql_tables(sql, known):
    """(table, 'DDL' | 'DML' | 'SEED', position) for each known table the SQL touches."""
    found, seen = [], set()
    for base, st in statements(re.sub(r"\\[ntr]", "  ", sql)):
        kind = "DDL" if re.match(r"\s*(CREATE|ALTER|DROP)\b", st) else "DML"
        if kind == "DML" and re.match(r"\s*INSERT\s+INTO\s+\w+\s*(\([^)]*\)\s*)?VALUES\b", st):
            kind = "SEED"  # literal rows: a migration's first rows of a catalogue
        m = re.match(r"\s*INSERT\s+INTO\s+(\w+)\s*(?:\([^)]*\)\s*)?SELECT\b[^;]*?\bFROM\s+(\w+)", st)
        if kind == "DML" and m and re.search(r"\bDROP\s+TABLE\s+%s\b" % m.group(2), sql) and \
                re.search(r"\bALTER\s+TABLE\s+%s\s+RENAME\s+TO\s+%s\b" % (m.group(1), m.group(2)), sql):
            kind = "REBUILD"  # a table rebuilt: new copy, rows moved, old dropped, copy renamed
        names = []
        for m in re.finditer(r"\bFROM\s+(\w+(?:\s+(?:AS\s+)?\w+)?(?:\s*,\s*\w+(?:\s+(?:AS\s+)?\w+)?)*)", st):
            names += [(part.split()[0], m.start()) for part in m.group(1).split(",") if part.split()]
        for pattern in (r"\b(?:JOIN|INTO|TABLE)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(\w+)",
                        r"\bUPDATE\s+(?:OR\s+\w+\s+)?(\w+)",
                        r"\bINDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?\w+\s+ON\s+(\w+)",
                        r"\bTRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?\w+\s+[^;]*?\bON\s+(\w+)"):
            names += [(m.group(1), m.start()) for m in re.finditer(pattern, st)]
        for name, pos in names:
            if name in known and name not in NOT_TABLE and (name, kind, base) not in seen:
                seen.add((name, kind, base))
                found.append((name, kind, base + pos))
    return found


# ------------------------------------------------------------------ README

def read_modules(readme, findings):
    """{file: (layer, [tables])} from the `## Modules` table."""
    rows = {}
    try:
        with open(readme, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        findings.append(("readme", "cannot read %s" % readme))
        return rows
    m = re.search(r"(?ms)^## Modules\s*$(.*?)(?=^#{1,2} |\Z)", text)
    if m is None:
        findings.append(("readme", "no '## Modules' section in libcouncil/README.md"))
        return rows
    for line in m.group(1).splitlines():
        cells = [c.strip().strip("`").strip() for c in line.strip().strip("|").split("|")]
        if not line.strip().startswith("|") or len(cells) < 3 or cells[0] == "File" \
                or re.fullmatch(r"[-: ]*", cells[0]):
            continue
        layer = cells[1].strip("`* ").lower()
        files = re.findall(r"[\w.+-]+\.[ch]\b", cells[0])
        if layer not in LAYERS:
            findings.append(("readme", "%s: layer '%s' is not one of %s" % (cells[0], cells[1], ", ".join(LAYERS))))
            continue
        tables = [] if cells[2] in ("-", "") else re.findall(r"\w+", cells[2])
        for name in files:
            if name in rows:
                findings.append(("readme", "%s is listed twice" % name))
            rows[name] = (layer, tables, len(rows))
    return rows


# ------------------------------------------------------------------ the checks

def tarjan(nodes, succ):
    """Strongly connected components (Tarjan), each sorted."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(succ.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            k = stack.index(v)
            comp, stack[k:] = stack[k:], []
            on.difference_update(comp)
            out.append(sorted(comp))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def check(root):
    """Return (findings, stats, edges) for root/libcouncil."""
    lib = os.path.join(root, "libcouncil")
    findings = []
    rows = read_modules(os.path.join(lib, "README.md"), findings)
    names = sorted(n for n in os.listdir(lib) if re.search(r"\.[ch]$", n))
    srcs = {n: Source(os.path.join(lib, n)) for n in names}

    def module(name):
        """The graph node a file belongs to: X.h -> X.c when X.c exists."""
        if name.endswith(".h") and name[:-2] + ".c" in srcs:
            return name[:-2] + ".c"
        return name

    layer, rank = {}, {}
    for n in names:
        row = rows.get(n) or rows.get(module(n))
        if row is None:
            findings.append(("unlisted", "libcouncil/%s is not in the README's Modules table" % n))
        else:
            layer[n] = row[0]
            rank[n] = (rows.get(module(n)) or row)[2]

    def below(a, b):
        """Within one layer, may a use b? Only what the table lists above a."""
        return a not in layer or b not in layer or layer[a] != layer[b] or rank[b] < rank[a]
    for n in sorted(rows):
        if n not in srcs:
            findings.append(("missing", "README lists %s, which is not in libcouncil/" % n))
    for n in names:
        if not SCHEMA_FILE.match(n):
            for m in re.finditer(r"\bsqlite3_(prepare(?:_v2)?|finalize)\s*\(", srcs[n].code):
                findings.append(("stmt", "libcouncil/%s:%d: sqlite3_%s: use council__prepare/"
                                 "council__finalize (store.c keeps statements for the handle's life)"
                                 % (n, srcs[n].line(m.start()), m.group(1))))
        if srcs[n].lines > MAX_LINES:
            findings.append(("long", "libcouncil/%s has %d lines (limit %d)" % (n, srcs[n].lines, MAX_LINES)))

    # The graph: calls to non-static functions of another module, and includes.
    defined = {}
    for n in names:
        for fn, static in srcs[n].defs.items():
            if not static:
                defined.setdefault(fn, n)
    edges = {}          # (from module, to module) -> example
    for n in names:
        src, me = srcs[n], module(n)
        for inc in src.includes:
            inc = os.path.basename(inc)
            if inc in srcs and module(inc) != me:
                edges.setdefault((me, module(inc)), "#include \"%s\" in %s" % (inc, n))
                if n in layer and inc in layer and not may_use(layer[n], layer[inc]):
                    findings.append(("layer", "%s (%s) includes %s (%s)" % (n, layer[n], inc, layer[inc])))
                elif not below(n, inc):
                    findings.append(("order", "%s includes %s, listed below it in the %s layer of the "
                                     "Modules table" % (n, inc, layer[n])))
        seen = set()
        for fn, callee in src.calls:
            where = defined.get(callee)
            if where is None or module(where) == me:
                continue
            edges.setdefault((me, module(where)), "%s calls %s" % (fn, callee))
            if n in layer and where in layer and not may_use(layer[n], layer[where]) \
                    and (fn, callee) not in seen:
                seen.add((fn, callee))
                findings.append(("layer", "%s (%s): %s calls %s in %s (%s)"
                                 % (n, layer[n], fn, callee, where, layer[where])))
            elif not below(n, where) and (fn, callee) not in seen:
                seen.add((fn, callee))
                findings.append(("order", "%s: %s calls %s in %s, listed below it in the %s layer of "
                                 "the Modules table" % (n, fn, callee, where, layer[n])))
    succ, nodes = {}, {module(n) for n in names}
    for a, b in edges:
        succ.setdefault(a, set()).add(b)
    cycles = [c for c in tarjan(nodes, succ) if len(c) > 1]
    for comp in cycles:
        findings.append(("cycle", "%d files import each other: %s" % (len(comp), " ".join(comp))))
        for (a, b), why in sorted(edges.items()):
            if a in comp and b in comp:
                findings.append(("cycle-edge", "%s -> %s (%s)" % (a, b, why)))

    # Tables: the schema's CREATE TABLE names, their owners, and who touches them.
    # A table created under another name and renamed (a rebuild) is the
    # renamed one's, owned by its owner.
    known, renamed = set(), {}
    for n in names:
        if SCHEMA_FILE.match(n):
            for text, _ in srcs[n].sql_groups():
                known.update(re.findall(r"\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", text))
                renamed.update(re.findall(r"\bALTER\s+TABLE\s+(\w+)\s+RENAME\s+TO\s+(\w+)", text))
    owner = {}
    for n, (_, tables, _) in sorted(rows.items()):
        for t in tables:
            if t not in known:
                findings.append(("readme", "%s owns table %s, which no schema file creates" % (n, t)))
            elif t in owner and owner[t] != module(n):
                findings.append(("readme", "table %s has two owners: %s and %s" % (t, owner[t], n)))
            owner[t] = module(n)
    for a, b in renamed.items():
        if a not in owner and b in owner:
            owner[a] = owner[b]
    for t in sorted(known - set(owner)):
        findings.append(("owner", "table %s has no owning module in the README" % t))
    for n in names:
        src = srcs[n]
        for text, starts in src.sql_groups():
            for table, kind, pos in sql_tables(text, known):
                own = owner.get(table)
                if own is None or own == module(n) or (kind == "DDL" and SCHEMA_FILE.match(n)):
                    continue
                off = starts[0][1]
                if kind in ("SEED", "REBUILD") and SCHEMA_FILE.match(n) and \
                        src.function_at(off) == "top level":
                    continue  # a migration seeding a catalogue or rebuilding a table: schema work
                off = starts[0][1]
                findings.append(("sql", "%s:%d (%s): %s on table %s, owned by %s"
                                 % (n, src.sql_line(starts, pos), src.function_at(off), kind, table, own)))
    stats = dict(files=len(names), edges=len(edges), cycles=len(cycles),
                 violations=sum(1 for k, _ in findings if k != "cycle-edge"))
    return findings, stats, edges


def report(root, graph=False):
    findings, stats, edges = check(root)
    if graph:
        for (a, b), why in sorted(edges.items()):
            print("%s -> %s  (%s)" % (a, b, why))
    for kind, detail in findings:
        print("layers: %s: %s" % (kind, detail))
    kinds = collections.Counter(kind for kind, _ in findings)
    print("layers: %d files, %d edges, %d cycles, %d violations%s"
          % (stats["files"], stats["edges"], stats["cycles"], stats["violations"],
             "" if not kinds else " (" + ", ".join("%s %d" % kv for kv in sorted(kinds.items())) + ")"))
    return 1 if findings else 0


# ------------------------------------------------------------------ self-test

CLEAN = {
    "README.md": """# test tree

## Modules

| File | Layer | Tables | What |
|------|-------|--------|------|
| `common.h` | pure | - | shared declarations |
| `low.c` | pure | - | helpers |
| `store.c` | storage | t_store | schema |
| `mid.c`, `mid.h` | domain | t_mid | middle |
| `top.c` | domain | t_top, t_more | top |
| `aud.c` | auditor | - | verifier |

## Another section
| `ghost.c` | pure | - | not in the Modules table, so not a row |
""",
    "common.h": "int council__low(int x);\nint council__mid(void);\n",
    "low.c": '#include "common.h"\n/* council__mid( in a comment */\n'
             'int council__low(int x)\n{\n    const char *s = "council__top(";\n    return x + (s != 0);\n}\n',
    "store.c": '#include "common.h"\nstatic const char *schema =\n'
               '    "CREATE TABLE t_store (a INTEGER);"\n    "CREATE TABLE IF NOT EXISTS t_mid (a);"\n'
               '    "CREATE TABLE t_top (a);" "CREATE TABLE t_more (a);"\n'
               '    "CREATE INDEX t_mid_a ON t_mid (a);" "ALTER TABLE t_top ADD COLUMN b;";\n'
               'int council__store_open(void)\n{\n    return council__low(1) + (schema != 0)'
               ' + (int)sizeof "SELECT a FROM t_store";\n}\n',
    "mid.h": "#define MID_CALL() council__low(2)\nint council__mid2(void);\n",
    "mid.c": '#include "common.h"\n#include "mid.h"\nint council__mid(void)\n{\n'
             '    const char *q = "SELECT a FROM "\n        /* joined */ "t_mid WHERE a = 1";\n'
             '    return MID_CALL() + (q != 0);\n}\nstatic int helper(void) { return 0; }\n'
             'int council__mid2(void)\n{\n    return helper();\n}\n',
    "top.c": '#include "common.h"\n#include "mid.h"\nint council_top(void)\n{\n'
             '    const char *q = "INSERT INTO t_top (a) SELECT a FROM t_more, t_top x;";\n'
             '    return council__mid() + council__mid2() + council__low(3) + (q != 0);\n}\n',
    "aud.c": '#include "common.h"\nint council_aud(void)\n{\n    return council__low(4);\n}\n',
}

CASES = [  # (name, {file: new text or appended text (key prefix '+')}, expected kinds)
    ("a cycle", {"+mid.c": "int council__mid3(void)\n{\n    return council_top();\n}\n"},
     {"cycle", "cycle-edge", "order"}),
    ("an upward call", {"+store.c": "int council__store2(void)\n{\n    return council__mid2();\n}\n"},
     {"layer"}),
    ("the auditor calling the domain", {"+aud.c": "int council__aud2(void)\n{\n    return council__mid();\n}\n"},
     {"layer"}),
    ("an upward include", {"+low.c": '#include "mid.h"\n'}, {"layer", "cycle", "cycle-edge"}),
    ("a statement prepared outside the cache", {"+mid.c": "int council__mid4(void)\n{\n"
                                                "    return sqlite3_finalize(0);\n}\n"}, {"stmt"}),
    ("a long file", {"+low.c": "/* filler */\n" * MAX_LINES}, {"long"}),
    ("a foreign table", {"+top.c": 'static const char *q2 = "DELETE FROM "\n  "t_mid WHERE a = 2";\n'},
     {"sql"}),
    ("DML in the schema file", {"+store.c": 'static const char *q3 = "UPDATE t_top SET a = 1";\n'}, {"sql"}),
    ("a seed in a function of the schema file", {"+store.c": 'int council__seed(void)\n{\n'
                                                 '    return q("INSERT INTO t_top VALUES (1)");\n}\n'}, {"sql"}),
    ("a migration's seed rows", {"+store.c": 'static const char *q5 = "INSERT INTO t_top VALUES (1)";\n'},
     set()),
    ("a migration rebuilding a table", {"+store.c": 'static const char *q6 = "CREATE TABLE t_top_new (a);"\n'
                                        '  "INSERT INTO t_top_new (a) SELECT a FROM t_top;"\n'
                                        '  "DROP TABLE t_top;"\n  "ALTER TABLE t_top_new RENAME TO t_top;";\n'},
     set()),
    ("rows copied out of a table in a migration", {"+store.c": 'static const char *q7 = "INSERT INTO t_mid (a) "\n'
                                                   '  "SELECT a FROM t_top;";\n'}, {"sql"}),
    ("a foreign join", {"+aud.c": 'static const char *q4 = "SELECT 1 FROM t_store s JOIN t_top t ON 1";\n'},
     {"sql"}),
    ("an unlisted file", {"extra.c": "int council__extra(void)\n{\n    return 0;\n}\n"}, {"unlisted"}),
    ("a row without its file", {"README.md": CLEAN["README.md"].replace(
        "| `aud.c` |", "| `gone.c` | pure | - | gone |\n| `aud.c` |")}, {"missing"}),
    ("a call down the table's order", {"README.md": CLEAN["README.md"].replace(
        "| `mid.c`, `mid.h` | domain | t_mid | middle |\n| `top.c` | domain | t_top, t_more | top |",
        "| `top.c` | domain | t_top, t_more | top |\n| `mid.c`, `mid.h` | domain | t_mid | middle |")},
     {"order"}),
    ("a table nobody owns", {"README.md": CLEAN["README.md"].replace("t_top, t_more", "t_top")}, {"owner"}),
]


def self_test():
    tmp = tempfile.mkdtemp(prefix="layers-")
    failures = 0
    try:
        for name, change, expect in [("a clean tree", {}, set())] + CASES:
            lib = os.path.join(tmp, "libcouncil")
            shutil.rmtree(lib, ignore_errors=True)
            os.makedirs(lib)
            files = dict(CLEAN)
            for key, text in change.items():
                if key.startswith("+"):
                    files[key[1:]] += text
                else:
                    files[key] = text
            for fname, text in files.items():
                with open(os.path.join(lib, fname), "w", encoding="utf-8") as f:
                    f.write(text)
            findings, _, _ = check(tmp)
            got = {k for k, _ in findings}
            if got != expect:
                failures += 1
                print("layers: self-test: %s: expected %s, got %s" % (name, sorted(expect) or "nothing", sorted(got)))
                for kind, detail in findings:
                    print("    %s: %s" % (kind, detail))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("layers: self-test: %d of %d cases %s" % (len(CASES) + 1 - failures, len(CASES) + 1,
                                                   "passed" if not failures else "passed; FAILED"))
    return 1 if failures else 0


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if argv == ["--self-test"]:
        return self_test()
    graph = "--graph" in argv
    args = [a for a in argv if a != "--graph"]
    if len(args) == 2 and args[0] == "--root":
        root, args = args[1], []
    if args:
        print("usage: layers.py [--graph] [--root DIR] | --self-test", file=sys.stderr)
        return 2
    return report(root, graph)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
