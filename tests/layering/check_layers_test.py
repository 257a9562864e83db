#!/usr/bin/env python3
"""The layering check must fail on each kind of violation and pass on a clean
tree: each case builds a small copy of the layout in a temporary folder."""
import pathlib
import subprocess
import sys
import tempfile

CHECK = sys.argv[1]

CLEAN = {
    "core/include/vmargin/error.hpp": "#pragma once\n",
    "core/include/vmargin/numeric/fixed.hpp": '#pragma once\n#include "vmargin/error.hpp"\n',
    "core/include/vmargin/engine/engine.hpp": '#pragma once\n#include "vmargin/numeric/fixed.hpp"\n',
    "core/src/engine/engine.cpp": '#include "vmargin/engine/engine.hpp"\n#include <vector>\n',
    "core/codec/include/vmargin/codec/json.hpp": '#pragma once\n#include <nlohmann/json.hpp>\n#include "vmargin/engine/engine.hpp"\n',
    "core/signing/src/sign.cpp": '#include <sodium.h>\n#include "vmargin/codec/json.hpp"\n',
    "native/src/main.cpp": '#include "table.hpp"\n#include "vmargin/codec/json.hpp"\n',
    "native/src/table.hpp": "#pragma once\n",
}

# (name, files to add or replace, text the report must contain)
CASES = [
    ("a lower module includes a higher one", {"core/src/numeric/bad.cpp": '#include "vmargin/engine/engine.hpp"\n'},
     "the numeric layer includes vmargin/engine/engine.hpp from the higher engine layer"),
    ("the pure core includes the codec", {"core/src/engine/bad.cpp": '#include "vmargin/codec/json.hpp"\n'},
     "the engine layer includes vmargin/codec/json.hpp from the higher codec layer"),
    ("the pure core includes nlohmann/json", {"core/src/engine/bad.cpp": "#include <nlohmann/json.hpp>\n"},
     "the pure core (engine) includes <nlohmann/json.hpp>"),
    ("the pure core does I/O", {"core/src/engine/bad.cpp": "#include <cstdio>\n"},
     "the pure core (engine) includes <cstdio>"),
    ("the codec includes libsodium", {"core/codec/src/bad.cpp": "#include <sodium.h>\n"},
     "the codec includes <sodium.h>"),
    ("the codec includes signing", {"core/codec/src/bad.cpp": '#include "vmargin/signing/sign.hpp"\n'},
     "the codec layer includes vmargin/signing/sign.hpp from the higher signing layer"),
    ("a private header shared across folders", {"core/src/engine/bad.cpp": '#include "../numeric/private.hpp"\n',
                                                 "core/src/numeric/private.hpp": "#pragma once\n"},
     'is a private header outside core/src/engine/'),
    ("a file outside every module", {"core/src/misc/bad.cpp": "\n"}, "core/src/misc/bad.cpp: not in any layer"),
    ("signing includes the auditor", {"core/signing/src/bad.cpp": '#include "vmargin/audit/bulk_audit.hpp"\n'},
     "the signing layer includes vmargin/audit/bulk_audit.hpp from the higher audit layer"),
    ("the auditor includes the CLI's private header", {"native/audit/src/bad.cpp": '#include "../../src/io.hpp"\n',
                                                       "native/src/io.hpp": "#pragma once\n"},
     'is a private header outside native/audit/src/'),
]


def run(files):
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        r = subprocess.run([sys.executable, CHECK, str(root)], capture_output=True, text=True)
        return r.returncode, r.stdout


failures = 0
code, out = run(CLEAN)
if code != 0:
    print(f"FAIL clean tree rejected:\n{out}")
    failures += 1
for name, extra, expected in CASES:
    code, out = run({**CLEAN, **extra})
    if code == 0 or expected not in out:
        print(f"FAIL {name}: exit {code}, expected a line containing {expected!r}, got:\n{out}")
        failures += 1
    else:
        print(f"ok   {name}")
print(f"{len(CASES) + 1 - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
