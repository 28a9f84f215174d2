//! Identifiers people paste into chats — 身份证号, phone numbers, 医保卡号 / 社保卡号, bank
//! card numbers — masked before a question is stored or shown to anyone, keeping a few
//! edge digits so that a reviewer still sees what kind of number it was
//! (`110***********1234`, `138****5678`).
//!
//! A number is a run of digits (full-width ones too) that may be written in groups of at
//! least three digits apart, with one space or dash between them (`138 1234 5678`,
//! `6222-0212-3456-7890`), and an ID card's final `X`. What is masked:
//! - 15 or 18 digits, or 17 and an `X`: an ID card (old and new);
//! - 11 digits from `13`–`19`: a mobile, also after `86` / `+86`;
//! - 10 to 12 digits from `0`: a landline with its area code (`010-12345678`);
//! - 12 digits or more: a bank, 医保 or 社保 card, or any other long account number;
//! - 8 to 11 digits right after a word naming a card or an account (`卡号`, `社保卡`,
//!   `账号`, `编号`…): card numbers shorter than a bank card's.
//!
//! Years (`2025`), amounts (`3000元`, `100000`), dates (`2025-03-01`, `20250301`) and
//! service numbers (`12393`, `95518`, `400-123-4567`) are not personal and stay.

use std::borrow::Cow;

/// Words that say the number after them is a card's or an account's.
const CARD_WORDS: &[&str] = &[
    "卡号",
    "卡",
    "账号",
    "帐号",
    "账户",
    "帐户",
    "编号",
    "号码",
    "证号",
    "保障号",
    "card",
    "no",
    "no.",
];
/// How far before a number (in characters, spaces and `:` included) a card word counts.
const CARD_WORD_REACH: usize = 3;

/// Digits kept at each end of a masked number.
const KEEP_HEAD: usize = 3;
const KEEP_TAIL: usize = 4;
/// Shorter numbers keep two at each end.
const KEEP_SHORT: usize = 2;

/// `text` with every personal identifier in it masked (borrowed when there is none).
pub fn mask_identifiers(text: &str) -> Cow<'_, str> {
    let chars: Vec<char> = text.chars().collect();
    let spans = identifiers(&chars);
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        out.extend(&chars[at..span.start]);
        let digits = span.digits;
        let (head, tail) = if digits >= 11 {
            (KEEP_HEAD, KEEP_TAIL)
        } else {
            (KEEP_SHORT, KEEP_SHORT)
        };
        let mut seen = 0;
        for &c in &chars[span.start..span.end] {
            if is_digit(c) || c == 'X' || c == 'x' {
                let keep = seen < head || seen >= digits - tail;
                out.push(if keep { c } else { '*' });
                seen += 1;
            } else {
                out.push(c);
            }
        }
        at = span.end;
    }
    out.extend(&chars[at..]);
    Cow::Owned(out)
}

/// Whether `text` holds a personal identifier (what [`mask_identifiers`] would mask).
pub fn has_identifiers(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    !identifiers(&chars).is_empty()
}

/// A number to mask: chars `start..end`, holding `digits` digits (an `X` counted).
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    digits: usize,
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn digit_value(c: char) -> u8 {
    if c.is_ascii_digit() {
        c as u8 - b'0'
    } else {
        (c as u32 - '０' as u32) as u8
    }
}

/// A separator between groups of digits in a written number.
fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '\u{3000}' | '－' | '—')
}

/// Every number in `chars` that is a personal identifier, in order.
fn identifiers(chars: &[char]) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        // A number starts at a digit that does not continue a word or a number.
        if !is_digit(chars[i]) || (i > 0 && (is_digit(chars[i - 1]) || chars[i - 1] == '.')) {
            i += 1;
            continue;
        }
        let (end, digits) = number_at(chars, i);
        let value: Vec<u8> = chars[i..end]
            .iter()
            .filter(|c| is_digit(**c))
            .map(|c| digit_value(*c))
            .collect();
        let ends_in_x = matches!(chars[end - 1], 'X' | 'x');
        // A decimal (`13812345678.5`) or a number glued to letters is not one of these.
        let glued = chars
            .get(end)
            .is_some_and(|c| *c == '.' && chars.get(end + 1).is_some_and(|d| is_digit(*d)))
            || chars.get(end).is_some_and(|c| c.is_ascii_alphabetic());
        if !glued && is_identifier(&value, ends_in_x, card_word_before(chars, i)) {
            // A mobile after the country code: the code stays as it is.
            let (start, digits) = if country_code_mobile(&value) {
                let after_code = (i..end).filter(|&k| is_digit(chars[k])).nth(2);
                (after_code.unwrap_or(i), digits - 2)
            } else {
                (i, digits)
            };
            spans.push(Span { start, end, digits });
        }
        i = end;
    }
    spans
}

/// The end of the number starting at `start`, and how many digits it has (an ID card's
/// final `X` counted): groups of three digits or more may follow after one separator.
fn number_at(chars: &[char], start: usize) -> (usize, usize) {
    let run = |from: usize| chars[from..].iter().take_while(|c| is_digit(**c)).count();
    let mut end = start + run(start);
    let mut digits = end - start;
    while end + 1 < chars.len() && is_separator(chars[end]) {
        let group = run(end + 1);
        if group < 3 {
            break;
        }
        end += 1 + group;
        digits += group;
    }
    if digits == 17 && chars.get(end).is_some_and(|c| matches!(c, 'X' | 'x')) {
        end += 1;
        digits += 1;
    }
    (end, digits)
}

/// Whether a card or account word stands just before `start`.
fn card_word_before(chars: &[char], start: usize) -> bool {
    let from = start.saturating_sub(CARD_WORD_REACH + 4);
    let before: String = chars[from..start].iter().collect::<String>().to_lowercase();
    // A card number may start with a letter (`A12345678`).
    let before = before
        .strip_suffix(|c: char| c.is_ascii_alphabetic())
        .filter(|b| !b.ends_with(|c: char| c.is_ascii_alphabetic()))
        .unwrap_or(&before);
    let before = before.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ':' | '：' | '是' | '为' | '#' | '=')
    });
    CARD_WORDS.iter().any(|w| before.ends_with(w))
}

fn is_mobile(digits: &[u8]) -> bool {
    digits.len() == 11 && digits[0] == 1 && (3..=9).contains(&digits[1])
}

/// `86` and a mobile.
fn country_code_mobile(digits: &[u8]) -> bool {
    digits.len() == 13 && digits[..2] == [8, 6] && is_mobile(&digits[2..])
}

fn is_identifier(digits: &[u8], ends_in_x: bool, after_card_word: bool) -> bool {
    if ends_in_x {
        return digits.len() == 17;
    }
    match digits.len() {
        12.. => true,
        11 if is_mobile(digits) => true,
        10..=11 if digits[0] == 0 => true,
        8..=11 => after_card_word,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text in, text out: every kind of identifier, and what must stay as it is.
    const CASES: &[(&str, &str)] = &[
        // 身份证号: 18 digits, 17 and X, 15 digits; written in groups too.
        ("身份证110101199003071234", "身份证110***********1234"),
        ("身份证号11010119900307123X", "身份证号110***********123X"),
        (
            "身份证号11010119900307123x能查吗",
            "身份证号110***********123x能查吗",
        ),
        ("老身份证110101900307123", "老身份证110********7123"),
        ("110101 19900307 1234", "110*** ******** 1234"),
        // Mobiles, alone, in groups, with the country code.
        ("我电话13812345678", "我电话138****5678"),
        ("手机 138 1234 5678 谢谢", "手机 138 **** 5678 谢谢"),
        ("138-1234-5678", "138-****-5678"),
        ("+86 13812345678", "+86 138****5678"),
        ("8613812345678", "86138****5678"),
        ("１３８１２３４５６７８", "１３８****５６７８"),
        // Landlines with their area code.
        ("座机010-12345678", "座机010-****5678"),
        ("0755 8765 4321", "075* **** 4321"),
        ("075512345678", "075*****5678"),
        // Bank cards, 16 to 19 digits, with or without spaces or dashes.
        ("6222021234567890", "622*********7890"),
        ("6222 0212 3456 7890 123", "622* **** **** ***0 123"),
        ("卡号6222-0212-3456-7890", "卡号622*-****-****-7890"),
        // 医保卡号 / 社保卡号: long ones always, short ones after a card word.
        ("医保卡号是123456789012", "医保卡号是123*****9012"),
        ("社保卡号：A12345678", "社保卡号：A12****78"),
        ("社保卡 123456789 丢了", "社保卡 12*****89 丢了"),
        ("医保编号 3201234567", "医保编号 32******67"),
        // Two in one message.
        (
            "13812345678和110101199003071234",
            "138****5678和110***********1234",
        ),
    ];

    /// What must not be masked: years, amounts, dates, service numbers, short numbers.
    const KEPT: &[&str] = &[
        "2025年医保缴费标准",
        "报销了3000元",
        "一年交100000元吗",
        "起付线1,000,000元",
        "2025-03-01 到 2025-04-01 住院",
        "20250301入院",
        "2025年3月1日",
        "打12393问问",
        "95518是什么电话",
        "400-123-4567",
        "报销比例90%",
        "1.5万元",
        "12:30 以后",
        "第123456789名",
        "13812345678.5",
        "订单 ABC13812345678X",
        "住院 7 天 花了 8000",
        "2024 2025 两年",
    ];

    #[test]
    fn each_kind_of_identifier_is_masked_keeping_its_edges() {
        let wrong: Vec<String> = CASES
            .iter()
            .filter(|(text, masked)| mask_identifiers(text) != *masked)
            .map(|(text, masked)| format!("{text}: {} (want {masked})", mask_identifiers(text)))
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        for (text, masked) in CASES {
            assert!(has_identifiers(text), "{text}");
            // Masking twice changes nothing more.
            assert_eq!(mask_identifiers(masked), *masked, "{masked}");
        }
    }

    #[test]
    fn years_amounts_dates_and_service_numbers_are_kept() {
        for text in KEPT {
            assert!(
                matches!(mask_identifiers(text), Cow::Borrowed(t) if t == *text),
                "{text} → {}",
                mask_identifiers(text)
            );
            assert!(!has_identifiers(text), "{text}");
        }
    }
}
