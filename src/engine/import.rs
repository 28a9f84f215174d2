//! A plain FAQ — a table of questions and answers, as a spreadsheet holds it — turned into
//! the entries of a corpus folder that `check` accepts (with warnings, for what a table
//! does not say: alternates, dates).
//!
//! The table's columns are found by its header row (Chinese or English names: 问题 /
//! question, 答案 / answer, 相似问题 / alternates, 分类 / category, 来源 / source, 日期 /
//! date), or taken in that order when it has none. Each row becomes an entry:
//! - its id is made from the question alone (pinyin initials and a short hash of the
//!   question as the matcher reads it), so importing the table again keeps every id of an
//!   unchanged question, and traditional and simplified spellings share one;
//! - its conclusion is the answer's first sentence (cut at a comma, with `…`, past
//!   [`MAX_CONCLUSION_CHARS`]) and its content the rest of the answer (all of it, when
//!   the conclusion had to be cut);
//! - its alternates are the alternates cells split on `|`, `；` (or `;`) and line breaks,
//!   without those another entry already uses.
//!
//! A row whose question another row already asked (after normalisation: `異地就醫` is
//! `异地就医`) is merged into the first, its alternates kept; what is skipped or merged
//! is said in [`Imported::notes`], with the row's number.

use std::collections::{HashMap, HashSet};

use pinyin::ToPinyin;
use serde::Serialize;

use super::normalize::Normalizer;
use super::validate::{DEFAULT_CATEGORY, MAX_CONCLUSION_CHARS, MAX_ID_LEN, phrasing_key};

/// One row of the table: its number as the file counts it (1-based), and its cells.
#[derive(Debug, Clone)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<String>,
}

/// What the table becomes: entries files (one per category, in the order the table
/// names them, or one when it has no categories) and what was done along the way.
#[derive(Debug)]
pub struct Imported {
    pub files: Vec<EntriesFile>,
    /// How the columns were read, one line.
    pub columns: String,
    /// Rows skipped or merged, alternates dropped, dates not understood: one line each.
    pub notes: Vec<String>,
}

impl Imported {
    pub fn entries(&self) -> usize {
        self.files.iter().map(|f| f.entries.len()).sum()
    }
}

/// One `*.json` file of entries.
#[derive(Debug)]
pub struct EntriesFile {
    pub name: String,
    pub entries: Vec<ImportedEntry>,
}

/// An entry as written to its file (the fields in the order faq/README.md lists them).
#[derive(Debug, Clone, Serialize)]
pub struct ImportedEntry {
    pub id: String,
    pub question: String,
    pub alternates: Vec<String>,
    pub category: String,
    pub answer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<ImportedSource>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportedSource {
    pub file: String,
    pub title: String,
    pub date: Option<String>,
}

/// Why a table cannot be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the table is empty")]
    Empty,
    #[error(
        "the header row names {found}, but no {missing} column (name it `{hint}`, or leave out the header row and put the question first, the answer second)"
    )]
    MissingColumn {
        found: String,
        missing: &'static str,
        hint: &'static str,
    },
    #[error(
        "the first row has one column: a table of at least two columns, question and answer, is needed (for a CSV file saved with another separator, use `,`, `;` or a tab)"
    )]
    OneColumn,
    #[error("no row has both a question and an answer")]
    NoEntries,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Question,
    Answer,
    Alternates,
    Category,
    Source,
    Date,
}

impl Column {
    /// In the order a table without a header row is read.
    const ALL: [Column; 6] = [
        Column::Question,
        Column::Answer,
        Column::Alternates,
        Column::Category,
        Column::Source,
        Column::Date,
    ];

    fn name(self) -> &'static str {
        match self {
            Column::Question => "question",
            Column::Answer => "answer",
            Column::Alternates => "alternates",
            Column::Category => "category",
            Column::Source => "source",
            Column::Date => "date",
        }
    }

    /// Header names, exactly (after [`header_key`]); more specific kinds first.
    fn names(self) -> &'static [&'static str] {
        match self {
            Column::Alternates => &[
                "相似问题",
                "相似问",
                "相似问法",
                "其他问法",
                "其它问法",
                "其他问题",
                "其它问题",
                "其他说法",
                "同义问法",
                "同义问",
                "扩展问",
                "扩展问题",
                "别名",
                "问法",
                "alternates",
                "alternate",
                "alternatives",
                "aliases",
                "variants",
                "similar",
                "similarquestions",
                "paraphrases",
            ],
            Column::Question => &[
                "问题",
                "问",
                "提问",
                "标准问题",
                "标准问",
                "常见问题",
                "题目",
                "question",
                "questions",
                "q",
                "faq",
            ],
            Column::Answer => &[
                "答案",
                "回答",
                "答",
                "解答",
                "答复",
                "回复",
                "标准答案",
                "answer",
                "answers",
                "a",
                "reply",
                "response",
            ],
            Column::Category => &[
                "分类",
                "类别",
                "类目",
                "栏目",
                "主题",
                "类型",
                "category",
                "categories",
                "topic",
                "section",
            ],
            Column::Source => &[
                "来源",
                "出处",
                "依据",
                "参考",
                "链接",
                "网址",
                "source",
                "reference",
                "ref",
                "url",
                "link",
            ],
            Column::Date => &[
                "日期",
                "发布日期",
                "更新日期",
                "发布时间",
                "更新时间",
                "时间",
                "date",
                "updated",
            ],
        }
    }

    /// A word that names the column inside a longer header (`相似问题（用|分隔）`).
    fn part(self) -> &'static [&'static str] {
        match self {
            Column::Alternates => &["相似", "问法", "别名", "同义", "扩展问", "alternat"],
            Column::Answer => &["答", "answer"],
            Column::Question => &["问", "question"],
            Column::Category => &["分类", "类别", "categor"],
            Column::Source => &["来源", "出处", "source"],
            Column::Date => &["日期", "date"],
        }
    }
}

/// A header cell as compared: lower case, without spaces, punctuation, a note in
/// brackets or a trailing number (`相似问题2`).
fn header_key(cell: &str) -> String {
    let cell = cell.trim().trim_start_matches('\u{feff}');
    let cell = cell.split(['(', '（', '[', '【']).next().unwrap_or(cell);
    let key: String = cell
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    key.trim_end_matches(|c: char| c.is_ascii_digit())
        .to_string()
}

fn header_column(cell: &str) -> Option<Column> {
    let key = header_key(cell);
    if key.is_empty() {
        return None;
    }
    let order = [
        Column::Alternates,
        Column::Question,
        Column::Answer,
        Column::Category,
        Column::Source,
        Column::Date,
    ];
    order
        .into_iter()
        .find(|c| c.names().contains(&key.as_str()))
        .or_else(|| {
            order
                .into_iter()
                .find(|c| c.part().iter().any(|p| key.contains(p)))
        })
}

/// Which cells hold what.
struct Layout {
    /// Column kind per cell position.
    columns: Vec<Option<Column>>,
    /// Whether the first row is the header (and so not an entry).
    header: bool,
}

impl Layout {
    fn of(first: &[String]) -> Result<(Layout, String), ImportError> {
        let named: Vec<Option<Column>> = first.iter().map(|c| header_column(c)).collect();
        let has = |kind| named.contains(&Some(kind));
        let recognised = named.iter().flatten().count();
        if has(Column::Question) && has(Column::Answer) {
            let mut seen = HashSet::new();
            let mut described = Vec::new();
            let columns = named
                .iter()
                .zip(first)
                .enumerate()
                .map(|(i, (kind, cell))| {
                    let cell = cell.trim();
                    match kind {
                        // Several alternates columns are all read.
                        Some(Column::Alternates) => {
                            described.push(format!("{cell} → alternates"));
                            Some(Column::Alternates)
                        }
                        Some(kind) if seen.insert(*kind) => {
                            described.push(format!("{cell} → {}", kind.name()));
                            Some(*kind)
                        }
                        _ => {
                            described.push(format!("column {} ({cell}) ignored", i + 1));
                            None
                        }
                    }
                })
                .collect();
            return Ok((
                Layout {
                    columns,
                    header: true,
                },
                format!("header row: {}", described.join(", ")),
            ));
        }
        if recognised >= 2 || (recognised == 1 && first.len() <= 2 && has(Column::Question)) {
            let found = named
                .iter()
                .flatten()
                .map(|c| c.name())
                .collect::<Vec<_>>()
                .join(" and ");
            let (missing, hint) = if has(Column::Question) {
                ("answer", "答案")
            } else {
                ("question", "问题")
            };
            return Err(ImportError::MissingColumn {
                found,
                missing,
                hint,
            });
        }
        if first.len() < 2 {
            return Err(ImportError::OneColumn);
        }
        let columns: Vec<Option<Column>> = (0..first.len())
            .map(|i| Column::ALL.get(i).copied())
            .collect();
        let names: Vec<&str> = columns.iter().flatten().map(|c| c.name()).collect();
        Ok((
            Layout {
                columns,
                header: false,
            },
            format!("no header row: columns read as {}", names.join(", ")),
        ))
    }

    /// The cells of `row` that hold `kind`, trimmed, non-empty.
    fn cells<'r>(&self, row: &'r Row, kind: Column) -> impl Iterator<Item = &'r str> {
        row.cells
            .iter()
            .zip(&self.columns)
            .filter(move |(_, c)| **c == Some(kind))
            .map(|(cell, _)| cell.trim())
            .filter(|cell| !cell.is_empty())
    }

    fn cell<'r>(&self, row: &'r Row, kind: Column) -> Option<&'r str> {
        self.cells(row, kind).next()
    }
}

/// An entry being built, with where it came from.
struct Draft {
    row: usize,
    key: String,
    question: String,
    alternates: Vec<(usize, String)>,
    category: String,
    answer: String,
    source: Option<ImportedSource>,
}

/// Turns the rows of a table into entries files.
pub fn import(rows: &[Row]) -> Result<Imported, ImportError> {
    let normalizer = Normalizer::new();
    let key = |text: &str| phrasing_key(&normalizer, text);
    let rows: Vec<&Row> = rows
        .iter()
        .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    let first = rows.first().ok_or(ImportError::Empty)?;
    let (layout, columns) = Layout::of(&first.cells)?;
    let has_source = layout.columns.contains(&Some(Column::Source));
    let mut notes = Vec::new();
    if !has_source && layout.columns.contains(&Some(Column::Date)) {
        notes.push(
            "the date column is left out: a date is its source's, and there is no source column"
                .to_string(),
        );
    }

    // Rows to drafts; a question asked again is merged into its first row.
    let mut drafts: Vec<Draft> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for row in rows.iter().skip(usize::from(layout.header)) {
        let n = row.number;
        let question = layout
            .cell(row, Column::Question)
            .map(|q| q.split_whitespace().collect::<Vec<_>>().join(" "));
        let answer = layout.cell(row, Column::Answer).map(clean_text);
        let (question, answer) = match (question, answer) {
            (Some(q), Some(a)) => (q, a),
            (None, _) => {
                notes.push(format!("row {n}: no question: skipped"));
                continue;
            }
            (Some(q), None) => {
                notes.push(format!("row {n}: \"{q}\" has no answer: skipped"));
                continue;
            }
        };
        let question_key = key(&question);
        if question_key.is_empty() {
            notes.push(format!(
                "row {n}: the question \"{question}\" has no words: skipped"
            ));
            continue;
        }
        let alternates: Vec<(usize, String)> = layout
            .cells(row, Column::Alternates)
            .flat_map(split_alternates)
            .map(|a| (n, a))
            .collect();
        if let Some(&first) = by_key.get(&question_key) {
            let kept = &mut drafts[first];
            let differs = if kept.answer == answer {
                String::new()
            } else {
                format!(" (its answer differs: row {}'s is kept)", kept.row)
            };
            notes.push(format!(
                "row {n}: \"{question}\" is the question of row {}{differs}: merged into it",
                kept.row
            ));
            kept.alternates.extend(alternates);
            continue;
        }
        let category = layout
            .cell(row, Column::Category)
            .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| DEFAULT_CATEGORY.to_string());
        let source = layout.cell(row, Column::Source).map(|title| {
            let date = layout.cell(row, Column::Date).and_then(|d| {
                let date = parse_date(d);
                if date.is_none() {
                    notes.push(format!(
                        "row {n}: date \"{d}\" is not a date (YYYY-MM-DD): left out"
                    ));
                }
                date
            });
            ImportedSource {
                file: String::new(),
                title: title.split_whitespace().collect::<Vec<_>>().join(" "),
                date,
            }
        });
        if source.is_none() && has_source && layout.cell(row, Column::Date).is_some() {
            notes.push(format!(
                "row {n}: a date but no source: the date is left out (it is the source's)"
            ));
        }
        by_key.insert(question_key.clone(), drafts.len());
        drafts.push(Draft {
            row: n,
            key: question_key,
            question,
            alternates,
            category,
            answer,
            source,
        });
    }
    if drafts.is_empty() {
        return Err(ImportError::NoEntries);
    }

    // Alternates: each phrasing once in the corpus, and never another entry's question.
    let mut claimed: HashMap<String, usize> = HashMap::new();
    let mut entries: Vec<ImportedEntry> = Vec::with_capacity(drafts.len());
    let mut ids: HashSet<String> = HashSet::new();
    for (i, draft) in drafts.iter().enumerate() {
        let mut own: HashSet<String> = HashSet::from([draft.key.clone()]);
        let mut alternates = Vec::new();
        for (n, alternate) in &draft.alternates {
            let k = key(alternate);
            if k.is_empty() || !own.insert(k.clone()) {
                continue;
            }
            if let Some(&other) = by_key.get(&k).filter(|&&other| other != i) {
                notes.push(format!(
                    "row {n}: alternate \"{alternate}\" is the question of row {}: left out",
                    drafts[other].row
                ));
                continue;
            }
            if let Some(&other) = claimed.get(&k) {
                notes.push(format!(
                    "row {n}: alternate \"{alternate}\" is already one of row {}: left out",
                    drafts[other].row
                ));
                continue;
            }
            claimed.insert(k, i);
            alternates.push(alternate.clone());
        }
        let id = unique_id(&draft.key, &mut ids);
        let (conclusion, content) = conclusion_and_content(&draft.answer);
        let answer = if content.is_empty() {
            conclusion
        } else {
            format!("{conclusion}\n\n{content}")
        };
        entries.push(ImportedEntry {
            id,
            question: draft.question.clone(),
            alternates,
            category: draft.category.clone(),
            answer,
            source: draft.source.clone(),
        });
    }

    Ok(Imported {
        files: into_files(entries, layout.columns.contains(&Some(Column::Category))),
        columns,
        notes,
    })
}

/// Line breaks as `\n`, each line trimmed at its end, no blank lines at either end.
fn clean_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.join("\n").trim().to_string()
}

/// An alternates cell, split on `|`, `｜`, `；`, `;` and line breaks.
fn split_alternates(cell: &str) -> Vec<String> {
    cell.split(['|', '｜', '；', ';', '\n', '\r'])
        .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|a| !a.is_empty())
        .collect()
}

/// `YYYY-MM-DD` from `2025-03-01`, `2025/3/1`, `2025.03.01`, `2025年3月1日` or
/// `2025-03-01 00:00:00` (how a spreadsheet's date cell reads).
fn parse_date(text: &str) -> Option<String> {
    let text = text.trim();
    let day = text.split([' ', 'T']).next().unwrap_or(text);
    let parts: Vec<&str> = day
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    let [y, m, d] = parts[..] else { return None };
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// Ends a sentence: the conclusion stops after the first one.
fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';')
}

/// Where a too-long first sentence may be cut.
fn ends_clause(c: char) -> bool {
    matches!(c, '，' | ',' | '、' | '：' | ':')
}

/// The conclusion (the answer's first sentence, or its first line, at most
/// [`MAX_CONCLUSION_CHARS`] characters) and the content under it: the rest of the answer,
/// or all of it when the conclusion had to be cut short.
fn conclusion_and_content(answer: &str) -> (String, String) {
    let chars: Vec<char> = answer.chars().collect();
    let line_end = chars.iter().position(|&c| c == '\n').unwrap_or(chars.len());
    let sentence_end = chars[..line_end]
        .iter()
        .position(|&c| ends_sentence(c))
        .map_or(line_end, |i| i + 1);
    if sentence_end <= MAX_CONCLUSION_CHARS {
        let conclusion: String = chars[..sentence_end].iter().collect();
        let content: String = chars[sentence_end..].iter().collect();
        return (conclusion.trim().to_string(), clean_text(&content));
    }
    // Cut at the last clause that fits, leaving room for the `…`.
    let room = MAX_CONCLUSION_CHARS - 1;
    let cut = chars[..room]
        .iter()
        .rposition(|&c| ends_clause(c))
        .filter(|&i| i >= 10)
        .unwrap_or(room);
    let conclusion: String = chars[..cut].iter().collect();
    (format!("{}…", conclusion.trim_end()), clean_text(answer))
}

/// Characters of pinyin initials an id starts with (the rest is `-` and the hash).
const ID_INITIALS: usize = 20;
/// Hex digits of the hash, and how many more when two ids would still be alike.
const ID_HASH: usize = 6;

/// An id made from the question as the matcher reads it: the pinyin initials of its
/// characters (ASCII letters and digits as they are) and a short hash, lower-case ASCII,
/// at most [`MAX_ID_LEN`] characters: `ydybyekysym-3fa2c1`.
fn unique_id(question_key: &str, taken: &mut HashSet<String>) -> String {
    let mut initials = String::new();
    for c in question_key.chars() {
        if initials.len() >= ID_INITIALS {
            break;
        }
        if c.is_ascii_alphanumeric() {
            initials.push(c.to_ascii_lowercase());
        } else if let Some(p) = c.to_pinyin() {
            initials.push_str(p.first_letter());
        }
    }
    initials.truncate(ID_INITIALS);
    let initials = if initials.is_empty() {
        "q".to_string()
    } else {
        initials
    };
    let digest = ring::digest::digest(&ring::digest::SHA256, question_key.as_bytes());
    let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    let room = MAX_ID_LEN - initials.len() - 1;
    let mut len = ID_HASH.min(room);
    loop {
        let id = format!("{initials}-{}", &hex[..len]);
        if len >= room || taken.insert(id.clone()) {
            taken.insert(id.clone());
            return id;
        }
        len += 1;
    }
}

/// One file per category, in the order the table names them (numbered, since files are
/// read in name order), or one file when the table has no categories.
fn into_files(entries: Vec<ImportedEntry>, by_category: bool) -> Vec<EntriesFile> {
    if !by_category {
        return vec![EntriesFile {
            name: "faq.json".to_string(),
            entries,
        }];
    }
    let mut files: Vec<(String, Vec<ImportedEntry>)> = Vec::new();
    for entry in entries {
        match files.iter_mut().find(|(c, _)| *c == entry.category) {
            Some((_, list)) => list.push(entry),
            None => files.push((entry.category.clone(), vec![entry])),
        }
    }
    let width = files.len().to_string().len().max(2);
    let mut names = HashSet::new();
    files
        .into_iter()
        .enumerate()
        .map(|(i, (category, entries))| {
            let mut name = format!("{:0width$}-{}.json", i + 1, slug(&category));
            if !names.insert(name.clone()) {
                name = format!("{:0width$}.json", i + 1);
            }
            EntriesFile { name, entries }
        })
        .collect()
}

/// A file name part for a category: its pinyin (ASCII letters and digits as they are),
/// at most 40 characters.
fn slug(category: &str) -> String {
    let mut out = String::new();
    for c in category.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(p) = c.to_pinyin() {
            out.push_str(p.plain());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.truncate(40);
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "entries".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(table: &[&[&str]]) -> Vec<Row> {
        table
            .iter()
            .enumerate()
            .map(|(i, cells)| Row {
                number: i + 1,
                cells: cells.iter().map(|c| c.to_string()).collect(),
            })
            .collect()
    }

    #[test]
    fn headers_are_found_by_chinese_or_english_names() {
        for (header, expected) in [
            ("问题", Some(Column::Question)),
            ("Question", Some(Column::Question)),
            ("标准问题", Some(Column::Question)),
            ("答案", Some(Column::Answer)),
            ("Answer ", Some(Column::Answer)),
            ("相似问题", Some(Column::Alternates)),
            ("相似问题2", Some(Column::Alternates)),
            ("相似问法（用|分隔）", Some(Column::Alternates)),
            ("alternates", Some(Column::Alternates)),
            ("分类", Some(Column::Category)),
            ("Category", Some(Column::Category)),
            ("来源", Some(Column::Source)),
            ("发布日期", Some(Column::Date)),
            ("备注", None),
            ("", None),
        ] {
            assert_eq!(header_column(header), expected, "{header}");
        }
    }

    #[test]
    fn the_conclusion_is_the_first_sentence_and_never_too_long() {
        let (c, rest) = conclusion_and_content("可以。需要先备案，再去定点医院。\n第二行");
        assert_eq!(c, "可以。");
        assert_eq!(rest, "需要先备案，再去定点医院。\n第二行");
        let (c, rest) = conclusion_and_content("只有一句");
        assert_eq!((c.as_str(), rest.as_str()), ("只有一句", ""));
        let long = format!("{}，{}。后面", "长".repeat(30), "句".repeat(40));
        let (c, rest) = conclusion_and_content(&long);
        assert_eq!(c, format!("{}…", "长".repeat(30)));
        assert_eq!(rest, long, "the content keeps all of a cut answer");
        let (c, _) = conclusion_and_content(&"无标点".repeat(30));
        assert_eq!(c.chars().count(), MAX_CONCLUSION_CHARS);
    }

    #[test]
    fn ids_are_stable_short_ascii_and_alike_for_traditional_and_simplified() {
        let normalizer = Normalizer::new();
        let mut taken = HashSet::new();
        let simplified = unique_id(
            &phrasing_key(&normalizer, "异地医保余额可以使用吗?"),
            &mut taken,
        );
        assert!(simplified.starts_with("ydybyekysym-"), "{simplified}");
        let mut again = HashSet::new();
        let traditional = unique_id(
            &phrasing_key(&normalizer, "異地醫保餘額可以使用嗎"),
            &mut again,
        );
        assert_eq!(simplified, traditional);
        let long = unique_id(
            &phrasing_key(&normalizer, &"很长的问题".repeat(20)),
            &mut taken,
        );
        assert!(long.len() <= MAX_ID_LEN, "{long}");
        assert!(
            long.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        );
        assert_eq!(unique_id("？", &mut taken).split('-').next(), Some("q"));
    }

    #[test]
    fn a_table_without_a_header_is_read_question_answer_alternates() {
        let imported = import(&rows(&[
            &[
                "异地就医怎么备案",
                "在国家医保服务平台APP办理。也可以去窗口。",
                "怎么备案|备案流程",
            ],
            &["家庭共济能绑几个人", "最多5人。"],
        ]))
        .unwrap();
        assert!(
            imported.columns.starts_with("no header row"),
            "{}",
            imported.columns
        );
        let entries = &imported.files[0].entries;
        assert_eq!(entries.len(), 2);
        assert_eq!(
            entries[0].answer,
            "在国家医保服务平台APP办理。\n\n也可以去窗口。"
        );
        assert_eq!(entries[0].alternates, ["怎么备案", "备案流程"]);
        assert_eq!(entries[0].category, DEFAULT_CATEGORY);
    }

    #[test]
    fn a_header_without_an_answer_column_says_what_to_name_it() {
        let err = import(&rows(&[&["问题", "备注", "分类"], &["a", "b", "c"]])).unwrap_err();
        assert!(err.to_string().contains("no answer column"), "{err}");
    }

    #[test]
    fn repeated_questions_merge_and_shared_alternates_go_to_the_first() {
        let imported = import(&rows(&[
            &["问题", "答案", "相似问题", "分类"],
            &["異地就醫怎麼備案", "去平台办理。", "怎么备案", "异地"],
            &["异地就医怎么备案", "另一个答案。", "备案怎么办", "异地"],
            &["备案要多久", "当天。", "怎么备案|异地就医怎么备案", "时间"],
            &["没有答案的问题", "", "", ""],
        ]))
        .unwrap();
        let notes = imported.notes.join("\n");
        assert!(notes.contains("row 3: \"异地就医怎么备案\" is the question of row 2 (its answer differs: row 2's is kept): merged"), "{notes}");
        assert!(
            notes.contains("row 4: alternate \"怎么备案\" is already one of row 2"),
            "{notes}"
        );
        assert!(
            notes.contains("row 5: \"没有答案的问题\" has no answer: skipped"),
            "{notes}"
        );
        assert_eq!(imported.files.len(), 2);
        assert_eq!(imported.files[0].name, "01-yidi.json");
        let first = &imported.files[0].entries[0];
        // The simplified spelling is the same question: not kept as an alternate.
        assert_eq!(first.alternates, ["怎么备案", "备案怎么办"]);
        assert!(imported.files[1].entries[0].alternates.is_empty());
    }

    #[test]
    fn dates_are_read_as_spreadsheets_write_them() {
        for (text, date) in [
            ("2025-03-01", Some("2025-03-01")),
            ("2025/3/1", Some("2025-03-01")),
            ("2025年3月1日", Some("2025-03-01")),
            ("2025-03-01 00:00:00", Some("2025-03-01")),
            ("三月", None),
            ("2025-13-01", None),
        ] {
            assert_eq!(parse_date(text).as_deref(), date, "{text}");
        }
    }
}
