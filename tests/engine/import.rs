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

/// A zip archive of `files`, stored (not compressed), as an XLSX file is one.
fn zip(files: &[(&str, String)]) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (name, data) in files {
        let (crc, size, offset) = (crc32(data.as_bytes()), data.len() as u32, out.len() as u32);
        let common = |v: &mut Vec<u8>| {
            for x in [20u16, 0x0800, 0, 0, 0x21] {
                v.extend(x.to_le_bytes());
            }
            for x in [crc, size, size] {
                v.extend(x.to_le_bytes());
            }
            v.extend((name.len() as u16).to_le_bytes());
            v.extend(0u16.to_le_bytes());
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend(name.as_bytes());
        out.extend(data.as_bytes());
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes());
        common(&mut central);
        for x in [0u16, 0, 0] {
            central.extend(x.to_le_bytes());
        }
        central.extend(0u32.to_le_bytes());
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let (cd_offset, cd_size) = (out.len() as u32, central.len() as u32);
    out.extend(central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    for x in [0u16, 0, files.len() as u16, files.len() as u16] {
        out.extend(x.to_le_bytes());
    }
    out.extend(cd_size.to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// The smallest XLSX a spreadsheet program writes: one sheet of inline strings.
fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    const DOC: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut sheet =
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>"#);
    for (r, cells) in rows.iter().enumerate() {
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, cell) in cells.iter().enumerate() {
            let col = (b'A' + c as u8) as char;
            sheet.push_str(&format!(
                r#"<c r="{col}{}" t="inlineStr"><is><t>{cell}</t></is></c>"#,
                r + 1
            ));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    zip(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#
                .to_string(),
        ),
        (
            "_rels/.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets><sheet name="常见问题" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
            ),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ])
}

#[test]
fn an_xlsx_sheet_imports_and_a_missing_sheet_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("faq.xlsx");
    std::fs::write(
        &file,
        xlsx(&[
            &["标准问题", "标准答案", "相似问法（用|分隔）", "分类"],
            &[
                "异地就医怎么备案",
                "在国家医保服务平台APP上备案。当天可办。",
                "备案怎么办|怎么备案",
                "异地就医",
            ],
            &["家庭共济能绑几个人", "最多5人。", "", "家庭共济"],
        ]),
    )
    .unwrap();
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
        stdout.contains("imported 2 entries from 3 rows"),
        "{stdout}"
    );
    assert!(
        stdout.contains("01-yidijiuyi.json, 02-jiatinggongji.json"),
        "{stdout}"
    );
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
    assert!(
        stdout.contains("\"status\":\"answer\"") && stdout.contains("当天可办"),
        "{stdout}"
    );

    let (code, _, stderr) = yibao(
        &[
            "import",
            file.to_str().unwrap(),
            "--out",
            dir.path().join("x").to_str().unwrap(),
            "--sheet",
            "Sheet2",
        ],
        None,
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("has no sheet \"Sheet2\" (it has: 常见问题)"),
        "{stderr}"
    );
}
