//! `yibao-bot import`: a plain FAQ table, as people keep one, becomes a corpus that
//! `check` passes (warnings only) and `ask` answers from, first time.

use std::path::Path;
use std::process::Command;

fn yibao(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_yibao-bot"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run yibao-bot");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const CITIES: [&str; 20] = [
    "北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "重庆", "天津", "苏州",
    "长沙", "郑州", "青岛", "沈阳", "厦门", "昆明", "合肥", "福州",
];
const TOPICS: [(&str, &str, &str); 10] = [
    (
        "异地就医怎么备案",
        "可以在国家医保服务平台APP上备案。",
        "备案",
    ),
    (
        "门诊报销比例是多少",
        "在职职工门诊报销比例一般为50%到70%，退休人员更高。",
        "报销",
    ),
    (
        "住院起付线是多少",
        "一级医院起付线较低，三级医院较高，具体以当年公布为准。",
        "报销",
    ),
    (
        "医保卡丢了怎么补办",
        "带身份证到社保经办窗口或在线上办理挂失补办。",
        "医保卡",
    ),
    (
        "灵活就业人员怎么交医保",
        "可以在税务APP或银行渠道按月或按年缴纳。",
        "缴费",
    ),
    (
        "新生儿怎么参保",
        "出生后在户籍地办理居民医保参保登记。",
        "参保",
    ),
    (
        "个人账户余额能给家人用吗",
        "开通家庭共济后，可以给配偶、父母和子女使用。",
        "个人账户",
    ),
    (
        "慢特病怎么申请",
        "带上诊断证明和病历，到定点医院或经办机构申请认定。",
        "慢特病",
    ),
    (
        "居民医保每年什么时候交",
        "一般在每年9月到12月集中缴纳下一年的费用。",
        "缴费",
    ),
    (
        "退休后还要交医保吗",
        "缴费年限达到当地规定的，退休后不再缴纳。",
        "缴费",
    ),
];

/// The 200 questions, and a CSV of them the way a spreadsheet saves it: a byte-order
/// mark, a header, quoted cells with commas and line breaks, Windows line ends, a
/// question repeated in traditional characters, a row without an answer.
fn table() -> (Vec<String>, String) {
    let mut questions = Vec::new();
    let mut csv = String::from("\u{feff}问题,答案,分类\r\n");
    for city in CITIES {
        for (topic, answer, category) in TOPICS {
            let question = format!("{city}{topic}？");
            let answer =
                format!("{city}：{answer}\n\n详细情况请咨询{city}医保经办机构，或拨打12393。");
            csv.push_str(&format!(
                "{question},\"{}\",{category}\r\n",
                answer.replace('"', "\"\"")
            ));
            questions.push(question);
        }
    }
    csv.push_str("北京異地就醫怎麼備案,另一个答案。,备案\r\n");
    csv.push_str("只有问题没有答案,,其他\r\n");
    (questions, csv)
}

fn ids(dir: &Path) -> Vec<String> {
    let mut ids = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for file in files {
        let entries: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        ids.extend(
            entries
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_string()),
        );
    }
    ids
}

#[test]
fn a_plain_table_of_200_pairs_imports_checks_and_answers_first_time() {
    let (questions, csv) = table();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("faq.csv");
    std::fs::write(&file, &csv).unwrap();
    let out = dir.path().join("corpus");
    let (code, stdout, stderr) = yibao(
        &[
            "import",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("imported 200 entries from 203 rows"),
        "{stdout}"
    );
    assert!(stdout.contains("check: OK — 200 entries"), "{stdout}");
    assert!(
        stderr.contains("row 202: \"北京異地就醫怎麼備案\" is the question of row 2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("row 203: \"只有问题没有答案\" has no answer: skipped"),
        "{stderr}"
    );

    // `check` passes: warnings (no alternates, no sources), no errors.
    let (code, stdout, stderr) = yibao(&["check", "--faq", out.to_str().unwrap()], None);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("OK — 200 entries") && stdout.contains("warning(s)"),
        "{stdout}"
    );

    // Every question is answered by its own entry, its conclusion the first sentence.
    let input = questions.join("\n") + "\n";
    let (code, stdout, stderr) = yibao(
        &["ask", "--json", "--faq", out.to_str().unwrap()],
        Some(&input),
    );
    assert_eq!(code, 0, "{stderr}");
    let answers: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), 200);
    let wrong: Vec<String> = questions
        .iter()
        .zip(&answers)
        .filter(|(q, a)| a["status"] != "answer" || a["question"] != q.as_str())
        .map(|(q, a)| format!("{q}: {} {}", a["status"], a["question"]))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} not answered by their entry:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    let first = answers[0]["answer"].as_str().unwrap();
    assert!(
        first.starts_with("北京：可以在国家医保服务平台APP上备案。\n\n"),
        "{first}"
    );

    // Importing the same table again gives the same ids.
    let again = dir.path().join("again");
    let (code, ..) = yibao(
        &[
            "import",
            file.to_str().unwrap(),
            "--out",
            again.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0);
    let first_ids = ids(&out);
    assert_eq!(first_ids.len(), 200);
    assert_eq!(first_ids, ids(&again));
    // A folder with entries already is not written over.
    let (code, _, stderr) = yibao(
        &[
            "import",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("already holds entries files"), "{stderr}");
}

#[test]
fn a_tsv_with_alternates_and_a_gbk_csv_import_too() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("faq.tsv");
    std::fs::write(
        &tsv,
        "question\tanswer\talternates\n异地就医怎么备案\t在APP上备案。\t备案怎么办|怎么备案\n",
    )
    .unwrap();
    let out = dir.path().join("a");
    let (code, stdout, stderr) = yibao(
        &[
            "import",
            tsv.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let (_, stdout, _) = yibao(
        &[
            "ask",
            "--json",
            "--faq",
            out.to_str().unwrap(),
            "备案怎么办",
        ],
        None,
    );
    assert!(stdout.contains("\"status\":\"answer\""), "{stdout}");

    // "CSV" as Chinese Excel saves it: GB18030.
    let (gbk, _, _) = encoding_rs::GB18030.encode("问题,答案\n家庭共济能绑几个人,最多5人。\n");
    let csv = dir.path().join("gbk.csv");
    std::fs::write(&csv, &*gbk).unwrap();
    let out = dir.path().join("b");
    let (code, stdout, stderr) = yibao(
        &[
            "import",
            csv.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let (_, stdout, _) = yibao(
        &[
            "ask",
            "--json",
            "--faq",
            out.to_str().unwrap(),
            "家庭共济能绑几个人",
        ],
        None,
    );
    assert!(stdout.contains("最多5人"), "{stdout}");
}
