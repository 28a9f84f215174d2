#!/usr/bin/env python3
"""Whole-process comparison against the Python stack: `yibao-bot ask --json` against a
scikit-learn TF-IDF matcher (character 1- and 2-grams, cosine similarity) over the same
phrasings (every entry's question and alternates, every section's title and alternates),
answering the same batch of questions. Both are timed as processes from start to exit
(interpreter or binary start, loading, indexing, answering, printing): CPU time (user +
system) and wall time, medians of several runs.

Usage: python3 benches/sklearn_tfidf.py [--bin target/release/yibao-bot] [--runs 5]
           [--python PYTHON] [--questions FILE]

PYTHON is the interpreter that has scikit-learn (default: this one). Without
--questions the batch is the one `benches/throughput.py` uses: tests/data/labelled.tsv
and labelled-2.tsv, ten times over.
"""
import glob, json, os, resource, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")


def phrasings():
    """(entry id, text) for every phrasing the bot indexes."""
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "faq", "*.json"))):
        for e in json.load(open(path, encoding="utf-8")):
            for text in [e["question"], *e.get("alternates", [])]:
                out.append((e["id"], text))
            for s in e.get("sections", []):
                for text in [s["title"], *s.get("alternates", [])]:
                    out.append((e["id"], text))
    return out


def tfidf_child():
    """The Python matcher: one JSON line per stdin line, the best entry and its score."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    ids, texts = zip(*phrasings())
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2))
    matrix = vectorizer.fit_transform(texts)
    questions = sys.stdin.read().splitlines()
    out = sys.stdout
    chunk = 1000
    for start in range(0, len(questions), chunk):
        scores = linear_kernel(vectorizer.transform(questions[start:start + chunk]), matrix)
        for row in scores:
            best = int(row.argmax())
            out.write(json.dumps({"id": ids[best], "score": round(float(row[best]), 3)}) + "\n")


def default_batch():
    questions = []
    for name in ("labelled.tsv", "labelled-2.tsv"):
        for line in open(os.path.join(ROOT, "tests", "data", name), encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                questions.append(line.rstrip("\n").split("\t", 1)[1])
    return questions * 10


def timed(cmd, stdin):
    """(CPU seconds, wall seconds, stdout) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"{cmd} failed: {p.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, p.stdout


def main():
    args = sys.argv[1:]
    if args == ["--tfidf-child"]:
        return tfidf_child()
    binp, runs, python, qfile = "target/release/yibao-bot", 5, sys.executable, None
    while args:
        a = args.pop(0)
        if a == "--bin": binp = args.pop(0)
        elif a == "--runs": runs = int(args.pop(0))
        elif a == "--python": python = args.pop(0)
        elif a == "--questions": qfile = args.pop(0)
        else: sys.exit(__doc__)
    check = subprocess.run([python, "-c", "import sklearn"], capture_output=True)
    if check.returncode != 0:
        sys.exit(f"{python} has no scikit-learn: pip install scikit-learn, or pass --python")
    if qfile:
        questions = [l.rstrip("\n") for l in open(qfile, encoding="utf-8")]
    else:
        questions = default_batch()
    batch = "".join(q.replace("\n", " ") + "\n" for q in questions)
    n = len(questions)
    contenders = {
        "yibao-bot ask --json": [os.path.abspath(os.path.join(ROOT, binp)) if not os.path.isabs(binp) else binp, "ask", "--json"],
        "scikit-learn TF-IDF (char 1+2-grams)": [python, os.path.abspath(__file__), "--tfidf-child"],
    }
    figures = {name: ([], []) for name in contenders}
    for _ in range(runs):
        for name, cmd in contenders.items():
            cpu, wall, out = timed(cmd, batch)
            assert len(out.splitlines()) == n, f"{name}: {len(out.splitlines())} lines for {n} questions"
            figures[name][0].append(cpu)
            figures[name][1].append(wall)
    print(f"{n} questions over {len(phrasings())} phrasings, whole process, medians of {runs} runs:")
    medians = {}
    for name, (cpus, walls) in figures.items():
        medians[name] = statistics.median(cpus)
        print(f"  {name}: CPU {medians[name]:.2f} s, wall {statistics.median(walls):.2f} s")
    bot, py = medians.values()
    print(f"scikit-learn uses {py / bot:.1f}x the CPU time of yibao-bot")


if __name__ == "__main__":
    main()
