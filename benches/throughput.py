#!/usr/bin/env python3
"""Command-line figures for the README: `ask --json` throughput on a batch of questions,
the process's peak memory, and one question end to end (process start, dictionary and
corpus load, answer). Medians of several runs; run it on a quiet machine.

Usage: python3 benches/throughput.py [--bin target/release/yibao-bot] [--runs 5]
"""
import os, resource, statistics, subprocess, sys, time

def main():
    args = sys.argv[1:]
    binp, runs = "target/release/yibao-bot", 5
    while args:
        a = args.pop(0)
        if a == "--bin": binp = args.pop(0)
        elif a == "--runs": runs = int(args.pop(0))
        else: sys.exit(__doc__)
    here = os.path.dirname(os.path.abspath(__file__))
    questions = []
    for name in ("labelled.tsv", "labelled-2.tsv"):
        for line in open(os.path.join(here, "..", "tests", "data", name), encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                questions.append(line.rstrip("\n").split("\t", 1)[1])
    batch = "\n".join(questions * 10) + "\n"
    n = len(questions) * 10

    def run(cmd, stdin):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t = time.perf_counter()
        p = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
        elapsed = time.perf_counter() - t
        if p.returncode != 0:
            sys.exit(f"{cmd} failed: {p.stderr}")
        return elapsed, p.stdout, before

    batch_times, one_times = [], []
    for _ in range(runs):
        elapsed, out, _ = run([binp, "ask", "--json"], batch)
        assert len(out.splitlines()) == n
        batch_times.append(elapsed)
        elapsed, _, _ = run([binp, "ask", "--json", "异地医保余额可以用吗"], None)
        one_times.append(elapsed)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    one = statistics.median(one_times)
    batch_t = statistics.median(batch_times)
    print(f"one question, end to end (start, load, answer): median {one*1000:.0f} ms over {runs} runs")
    print(f"ask --json on {n} questions: median {batch_t:.2f} s, {n / (batch_t - one):.0f} questions/s after start-up")
    print(f"peak memory (max RSS of any run): {peak_kib / 1024:.0f} MiB")

if __name__ == "__main__":
    main()
