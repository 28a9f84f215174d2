//! `yibao-bot import FILE --out DIR`: a plain FAQ table (CSV, TSV or a spreadsheet) made
//! into a corpus folder, checked as `check` checks it. Reading the file is done here;
//! what the rows become is the engine's `import`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use yibao_bot::{Corpus, CorpusError, ImportRow, import_table};

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The table: .csv, .tsv (UTF-8, or GBK as Chinese Excel saves it), .xlsx, .xls or .ods
    file: PathBuf,
    /// The corpus folder to write (created if missing; must hold no *.json yet)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The sheet of a spreadsheet to read (the first one by default)
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
}

/// Written when the folder has none: shown under every answer, and said when nothing
/// answers. Both are the corpus's to word; these only make a first import servable.
const DEFAULT_DISCLAIMER: &str = "以上内容仅供参考，请以官方最新发布的信息为准。\n";
const DEFAULT_DECLINE: &str =
    "抱歉，这个问题我还回答不了。可以换个说法再问，或者咨询相关部门的工作人员。\n";

pub fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let rows = read_table(&args.file, args.sheet.as_deref())?;
    let imported =
        import_table(&rows).with_context(|| format!("cannot import {}", args.file.display()))?;

    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let existing = std::fs::read_dir(&args.out)
        .with_context(|| format!("cannot read {}", args.out.display()))?
        .filter_map(|e| e.ok())
        .any(|e| e.path().extension().is_some_and(|x| x == "json"));
    if existing {
        bail!(
            "{} already holds entries files (*.json): import into an empty folder, or move them away first",
            args.out.display()
        );
    }
    for file in &imported.files {
        let path = args.out.join(&file.name);
        let mut json = serde_json::to_string_pretty(&file.entries)?;
        json.push('\n');
        std::fs::write(&path, json).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut written = Vec::new();
    for (name, text) in [
        ("disclaimer.txt", DEFAULT_DISCLAIMER),
        ("decline.txt", DEFAULT_DECLINE),
    ] {
        let path = args.out.join(name);
        if !path.exists() {
            std::fs::write(&path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            written.push(name);
        }
    }

    eprintln!("{}: {}", args.file.display(), imported.columns);
    for note in &imported.notes {
        eprintln!("{}: {note}", args.file.display());
    }
    let files: Vec<&str> = imported.files.iter().map(|f| f.name.as_str()).collect();
    writeln!(
        out,
        "imported {} entries from {} rows into {}: {}",
        imported.entries(),
        rows.len(),
        args.out.display(),
        files.join(", ")
    )?;
    if !written.is_empty() {
        writeln!(
            out,
            "wrote a default {} (edit them: the disclaimer is shown under every answer, the decline when nothing answers)",
            written.join(" and ")
        )?;
    }
    match Corpus::load(&args.out) {
        Ok(corpus) => {
            writeln!(
                out,
                "check: OK — {} entries, {} categories, {} warning(s) (`yibao-bot check --faq {}` lists them: add alternates, sources and dates to answer better)",
                corpus.entries.len(),
                corpus.categories().len(),
                corpus.warnings.len(),
                args.out.display()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(CorpusError::Invalid(problems)) => {
            for p in problems.iter().filter(|p| !p.warning) {
                eprintln!("{p}");
            }
            eprintln!(
                "check: the imported folder has errors (above); it cannot be served until they are fixed"
            );
            Ok(ExitCode::from(2))
        }
        Err(e) => Err(e.into()),
    }
}

/// The rows of the table, by the file's kind.
fn read_table(path: &Path, sheet: Option<&str>) -> anyhow::Result<Vec<ImportRow>> {
    let extension = path
        .extension()
        .and_then(|x| x.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match extension.as_str() {
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => read_spreadsheet(path, sheet),
        _ => {
            if sheet.is_some() {
                bail!(
                    "--sheet is for spreadsheets (.xlsx, .xls, .ods), not {}",
                    path.display()
                );
            }
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            let text = decode(&bytes).with_context(|| format!("cannot read {}", path.display()))?;
            let delimiter = match extension.as_str() {
                "tsv" | "tab" => b'\t',
                _ => sniff_delimiter(&text),
            };
            read_delimited(&text, delimiter)
                .with_context(|| format!("cannot read {}", path.display()))
        }
    }
}

/// UTF-8 (a byte-order mark dropped), or else GB18030 — what Excel in Chinese saves
/// "CSV" as.
fn decode(bytes: &[u8]) -> anyhow::Result<String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(_) => {
            let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                bail!("it is neither UTF-8 nor GBK text: save it as \"CSV UTF-8\"");
            }
            Ok(text.into_owned())
        }
    }
}

/// The separator the first line uses most: tab, `,` or `;` (outside quotes).
fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b'\t', 0), (b';', 0)];
    let mut quoted = false;
    for c in text.bytes() {
        match c {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                for (d, n) in &mut counts {
                    if c == *d {
                        *n += 1;
                    }
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .max_by_key(|(d, n)| (*n, *d == b','))
        .map_or(b',', |(d, _)| *d)
}

fn read_delimited(text: &str, delimiter: u8) -> anyhow::Result<Vec<ImportRow>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // Rows are numbered as a spreadsheet shows them (a cell may hold line breaks).
    for record in reader.records() {
        let record = record?;
        rows.push(ImportRow {
            number: rows.len() + 1,
            cells: record.iter().map(str::to_string).collect(),
        });
    }
    Ok(rows)
}

fn read_spreadsheet(path: &Path, sheet: Option<&str>) -> anyhow::Result<Vec<ImportRow>> {
    use calamine::{Data, Reader};
    let mut workbook = calamine::open_workbook_auto(path)
        .with_context(|| format!("cannot open {} as a spreadsheet", path.display()))?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(name) if names.iter().any(|n| n == name) => name.to_string(),
        Some(name) => bail!(
            "{} has no sheet \"{name}\" (it has: {})",
            path.display(),
            names.join(", ")
        ),
        None => names
            .first()
            .cloned()
            .with_context(|| format!("{} has no sheets", path.display()))?,
    };
    let range = workbook
        .worksheet_range(&name)
        .with_context(|| format!("cannot read sheet \"{name}\" of {}", path.display()))?;
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| ImportRow {
            number: first_row + i + 1,
            cells: cells
                .iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::DateTime(d) if d.is_datetime() => {
                        let (y, m, day, ..) = d.to_ymd_hms_milli();
                        format!("{y:04}-{m:02}-{day:02}")
                    }
                    other => other.to_string(),
                })
                .collect(),
        })
        .collect();
    Ok(rows)
}
