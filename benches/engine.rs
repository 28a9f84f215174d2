//! Answer-engine benchmarks (criterion): one question on the shipped corpus, the same on
//! a generated corpus of 10,000 entries, cold start (dictionary + corpus load), and the
//! command line as a whole process: `ask --json` on 20,000 questions, and one question
//! end to end. `cargo bench --bench engine`; `benches/throughput.py` adds peak memory,
//! `benches/sklearn_tfidf.py` the comparison with scikit-learn.

use std::hint::black_box;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use criterion::{Criterion, criterion_group, criterion_main};
use yibao_bot::{Corpus, Entry, Matcher, Source};

/// Questions as users type them: answers, near twins, typos, traditional characters,
/// and things to decline.
const QUESTIONS: &[&str] = &[
    "异地医保余额可以用吗",
    "在外地看病能刷医保卡里的余额吗",
    "家庭共济能绑父母吗",
    "家庭共济最多绑几个人",
    "异地就医被案怎么弄",
    "異地醫保餘額能用嗎",
    "运城异地透析报销比例",
    "江苏医保在江西能用吗",
    "铁岭隐睾手术能走医保吗",
    "2024年河南新农合怎么交",
    "@yibao_bot 医保卡余额怎么取出来",
    "成都异地就医报销需要什么条件",
    "金昌哪个医院看眼睛好",
    "公积金怎么提取",
    "明天会下雨吗",
    "少儿医保异地就医备案",
];

fn shipped() -> Corpus {
    Corpus::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("faq")).expect("shipped corpus")
}

/// A corpus of `n` entries: the shipped data files, with entries generated from
/// question templates over every place in `places.txt` (and years, when places run out).
fn generated(n: usize) -> Corpus {
    let mut corpus = shipped();
    let places: Vec<String> = corpus.places.names().map(str::to_string).collect();
    const TEMPLATES: &[(&str, &[&str])] = &[
        (
            "{p}{y}年医保缴费标准",
            &[
                "{p}医保一年交多少钱",
                "{p}居民医保交多少",
                "{p}{y}医保个人缴费多少",
                "{p}医保费用标准",
                "{p}新农合交多少钱",
                "{p}医保缴费档次",
                "{p}城乡居民医保缴费",
                "{p}医保多少钱一年",
            ],
        ),
        (
            "{p}异地就医备案怎么办理",
            &[
                "{p}异地备案流程",
                "{p}医保异地备案在哪办",
                "{p}外地看病怎么备案",
                "{p}异地就医登记",
                "{p}跨省就医备案",
                "{p}医保备案手续",
                "{p}异地备案要什么材料",
                "{p}网上怎么备案",
            ],
        ),
        (
            "{p}{y}年住院报销比例",
            &[
                "{p}住院能报多少",
                "{p}医保住院报销标准",
                "{p}住院报销百分之几",
                "{p}{y}住院报销政策",
                "{p}三级医院报销比例",
                "{p}住院起付线多少",
                "{p}职工医保住院报多少",
                "{p}居民医保住院报销",
            ],
        ),
        (
            "{p}医保卡余额怎么取出",
            &[
                "{p}医保卡的钱能取吗",
                "{p}个人账户余额提现",
                "{p}医保余额取出来",
                "{p}医保卡里的钱怎么用",
                "{p}个账余额能转吗",
                "{p}医保余额清零吗",
                "{p}离职医保余额怎么办",
                "{p}医保卡钱取现",
            ],
        ),
        (
            "{p}家庭共济怎么绑定",
            &[
                "{p}家庭共济绑父母",
                "{p}医保共济怎么开通",
                "{p}家人共用医保",
                "{p}共济账户绑定",
                "{p}家庭共济能绑几个人",
                "{p}医保给家人用",
                "{p}亲情账户怎么绑",
                "{p}家庭共济办理",
            ],
        ),
        (
            "{p}门诊慢特病怎么申请",
            &[
                "{p}慢病怎么办理",
                "{p}门慢申请流程",
                "{p}慢性病医保认定",
                "{p}慢特病待遇",
                "{p}门特申请材料",
                "{p}慢病报销比例",
                "{p}慢病卡怎么办",
                "{p}门诊慢性病报销",
            ],
        ),
        (
            "{p}{y}年生育津贴怎么领",
            &[
                "{p}生育津贴能领多少",
                "{p}产假工资怎么算",
                "{p}生育保险报销",
                "{p}生育津贴申请",
                "{p}{y}生育补贴标准",
                "{p}生育津贴发放时间",
                "{p}男方生育津贴",
                "{p}生育津贴材料",
            ],
        ),
        (
            "{p}灵活就业人员医保怎么交",
            &[
                "{p}个人交职工医保",
                "{p}自由职业医保",
                "{p}灵活就业参保",
                "{p}个体户医保怎么交",
                "{p}没工作怎么交医保",
                "{p}灵活就业医保多少钱",
                "{p}个人参保流程",
                "{p}断缴医保怎么补",
            ],
        ),
    ];
    let years = ["2023", "2024", "2025", "2026"];
    let mut entries = Vec::with_capacity(n);
    'outer: for y in years {
        for p in &places {
            for (t, (question, alternates)) in TEMPLATES.iter().enumerate() {
                if entries.len() == n {
                    break 'outer;
                }
                let fill = |s: &str| s.replace("{p}", p).replace("{y}", y);
                let question = fill(question);
                entries.push(Entry {
                    id: format!("gen-{}", entries.len()),
                    alternates: alternates
                        .iter()
                        .map(|a| format!("{} {}", fill(a), y))
                        .collect(),
                    category: format!("类别{t}"),
                    answer: format!("结论。\n\n{question}的答案。"),
                    source: Some(Source {
                        file: "generated".into(),
                        title: question.clone(),
                        date: None,
                    }),
                    sections: Vec::new(),
                    roles: None,
                    short: None,
                    points: Vec::new(),
                    question,
                });
            }
        }
    }
    corpus.entries = entries;
    corpus
}

fn ask(c: &mut Criterion, name: &str, matcher: &Matcher) {
    let mut i = 0;
    c.bench_function(name, |b| {
        b.iter(|| {
            i = (i + 1) % QUESTIONS.len();
            black_box(matcher.ask(black_box(QUESTIONS[i])))
        })
    });
}

fn benches(c: &mut Criterion) {
    let matcher = Matcher::new(shipped());
    ask(c, "ask: shipped corpus", &matcher);

    let big = Matcher::new(generated(10_000));
    assert_eq!(big.corpus().entries.len(), 10_000);
    ask(c, "ask: generated corpus, 10,000 entries", &big);

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("faq");
    let mut group = c.benchmark_group("cold start");
    group.sample_size(10);
    group.bench_function("load + index the shipped corpus", |b| {
        b.iter(|| black_box(Matcher::load(&dir).expect("valid")))
    });
    group.finish();

    let bin = env!("CARGO_BIN_EXE_yibao-bot");
    let batch = batch(20_000);
    let mut group = c.benchmark_group("process");
    group.sample_size(10);
    group.bench_function("ask --json, 20,000 questions", |b| {
        b.iter(|| run(bin, &["ask", "--json"], batch.as_bytes()))
    });
    group.bench_function("one question end to end (start, load, answer)", |b| {
        b.iter(|| run(bin, &["ask", "--json", "异地医保余额可以用吗"], b""))
    });
    group.finish();
}

/// `n` questions, one a line: the labelled sets' questions over and over.
fn batch(n: usize) -> String {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut questions = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&data)
        .expect("tests/data")
        .map(|f| f.expect("tests/data entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a labelled set");
        questions.extend(
            text.lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split_once('\t'))
                .map(|(_, q)| q.to_string()),
        );
    }
    let mut out = String::new();
    for q in questions.iter().cycle().take(n) {
        out.push_str(q);
        out.push('\n');
    }
    out
}

/// Runs the binary with `stdin`, from the crate root (for `faq/`), to its end.
fn run(bin: &str, args: &[&str], stdin: &[u8]) -> usize {
    let mut child = Command::new(bin)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&stdin));
    let out = child.wait_with_output().expect("the binary runs");
    writer.join().expect("writer").expect("stdin written");
    assert!(out.status.success());
    out.stdout.len()
}

criterion_group!(engine, benches);
criterion_main!(engine);
