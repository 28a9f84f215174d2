//! The roles a place plays in a question (`roles.txt`): where someone is insured
//! (参保地: `河南医保`, `在河南参保`, `河南人`) and where they are treated (就医地: `去上海`,
//! `在上海住院`). Read from the words around the place, by patterns such as `{}医保` or
//! `在{}看病`, in questions and entries alike.

use rustc_hash::FxHashSet as HashSet;

use super::datafile::{LineError, content_lines};
use super::normalize::fold;
use super::places::Apart;

/// What a place is to the person asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Where they are insured (参保地).
    Insured,
    /// Where they are treated (就医地).
    Treated,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Insured => "insured",
            Role::Treated => "treated",
        }
    }
}

/// One pattern: the text before and after the place.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pattern {
    before: String,
    after: String,
    role: Role,
}

/// The patterns of a corpus, longest first, and the words that leave a role open.
#[derive(Debug, Clone, Default)]
pub struct Roles {
    patterns: Vec<Pattern>,
    /// 异地, 外地, 省外…: "somewhere else" — the role the named places do not take is
    /// open to any place (`异地去上海就医`: insured anywhere, treated in 上海).
    elsewhere: HashSet<String>,
    /// What naming places far apart says without saying it: two provinces (河南医保去上海
    /// is 省外), or two cities of one province (南昌医保去赣州 is 跨市).
    provinces_apart: Vec<String>,
    cities_apart: Vec<String>,
}

impl Roles {
    /// Parses `insured: {}医保 在{}参保 …`, `treated: 去{} 在{}看病 …` and
    /// `elsewhere: 异地 外地 …` lines.
    pub fn parse(text: &str) -> Result<Roles, Vec<LineError>> {
        let mut patterns = Vec::new();
        let mut elsewhere = HashSet::default();
        let (mut provinces_apart, mut cities_apart) = (Vec::new(), Vec::new());
        let mut errors = Vec::new();
        for (n, line) in content_lines(text) {
            let Some((kind, list)) = line.split_once([':', '\u{FF1A}']) else {
                errors.push(LineError::new(
                    n,
                    format!("unknown syntax \"{line}\": expected `insured: {{}}医保 …` or `treated: 去{{}} …`"),
                ));
                continue;
            };
            let role = match kind.trim() {
                "insured" => Role::Insured,
                "treated" => Role::Treated,
                "elsewhere" => {
                    elsewhere.extend(list.split_whitespace().map(fold));
                    continue;
                }
                "provinces apart" => {
                    provinces_apart.extend(list.split_whitespace().map(fold));
                    continue;
                }
                "cities apart" => {
                    cities_apart.extend(list.split_whitespace().map(fold));
                    continue;
                }
                other => {
                    errors.push(LineError::new(
                        n,
                        format!(
                            "unknown kind \"{other}\"; the kinds are insured, treated, elsewhere, provinces apart and cities apart"
                        ),
                    ));
                    continue;
                }
            };
            for pattern in list.split_whitespace() {
                match pattern.split_once("{}") {
                    Some((before, after)) if !(before.is_empty() && after.is_empty()) => {
                        patterns.push(Pattern {
                            before: fold(before),
                            after: fold(after),
                            role,
                        })
                    }
                    _ => errors.push(LineError::new(
                        n,
                        format!(
                            "\"{pattern}\" must hold `{{}}` (the place) and words before or after it"
                        ),
                    )),
                }
            }
        }
        if errors.is_empty() {
            let mut roles = Roles::new(patterns, elsewhere);
            (roles.provinces_apart, roles.cities_apart) = (provinces_apart, cities_apart);
            Ok(roles)
        } else {
            Err(errors)
        }
    }

    fn new(mut patterns: Vec<Pattern>, elsewhere: HashSet<String>) -> Roles {
        // The longest pattern that matches decides; among equals, the first listed.
        patterns.sort_by_key(|p| std::cmp::Reverse(p.before.len() + p.after.len()));
        Roles {
            patterns,
            elsewhere,
            ..Roles::default()
        }
    }

    /// The same patterns with their words rewritten by `canonical` (the corpus's
    /// synonyms), so they match what the segmenter sees.
    pub fn canonicalize(&self, canonical: impl Fn(&str) -> String) -> Roles {
        let words = |list: &[String]| list.iter().map(|w| canonical(w)).collect();
        let mut roles = Roles::new(
            self.patterns
                .iter()
                .map(|p| Pattern {
                    before: canonical(&p.before),
                    after: canonical(&p.after),
                    role: p.role,
                })
                .collect(),
            self.elsewhere
                .iter()
                .flat_map(|w| [w.clone(), canonical(w)])
                .collect(),
        );
        roles.provinces_apart = words(&self.provinces_apart);
        roles.cities_apart = words(&self.cities_apart);
        roles
    }

    /// The words that naming places `apart` implies (see `provinces apart` and
    /// `cities apart`).
    pub fn implied(&self, apart: Apart) -> &[String] {
        match apart {
            Apart::Provinces => &self.provinces_apart,
            Apart::Cities => &self.cities_apart,
        }
    }

    /// Whether `word` says "somewhere else" (异地).
    pub fn is_elsewhere(&self, word: &str) -> bool {
        self.elsewhere.contains(word)
    }

    /// The words that say "somewhere else" (for the segmenter's dictionary).
    pub fn elsewhere_words(&self) -> impl Iterator<Item = &str> {
        self.elsewhere.iter().map(String::as_str)
    }

    /// The role of the place between `before` and `after` (the text on either side of it),
    /// if a pattern says.
    pub fn role(&self, before: &str, after: &str) -> Option<Role> {
        self.patterns
            .iter()
            .find(|p| before.ends_with(&p.before) && after.starts_with(&p.after))
            .map(|p| p.role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_pattern_decides() {
        let roles = Roles::parse("insured: {}医保 在{}参保\ntreated: 去{} 在{} 在{}看病").unwrap();
        assert_eq!(roles.role("我是", "医保去上海"), Some(Role::Insured));
        assert_eq!(roles.role("我", "参保 现在"), None);
        assert_eq!(roles.role("我在", "参保"), Some(Role::Insured));
        assert_eq!(roles.role("医保去", "看病"), Some(Role::Treated));
        assert_eq!(roles.role("我在", "看病"), Some(Role::Treated));
        assert_eq!(roles.role("", "怎么样"), None);
    }

    #[test]
    fn places_apart_imply_their_words() {
        let roles = Roles::parse("provinces apart: 省外\ncities apart: 跨市 省内").unwrap();
        assert_eq!(roles.implied(Apart::Provinces), ["省外"]);
        assert_eq!(roles.implied(Apart::Cities), ["跨市", "省内"]);
        assert!(Roles::default().implied(Apart::Cities).is_empty());
    }

    #[test]
    fn a_pattern_needs_a_place_and_words() {
        assert!(Roles::parse("insured: 医保").is_err());
        assert!(Roles::parse("insured: {}").is_err());
        assert!(Roles::parse("where: {}医保").is_err());
    }
}
