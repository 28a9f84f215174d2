//! Which cities lie in which province (`places.txt`), so that names of places can be
//! compared: a question about 南京 agrees with an entry about 江苏, not with one about
//! 苏州 or 安徽.

use super::datafile::{LineError, content_lines};
use std::collections::HashMap;

/// Province → cities, from `places.txt`.
#[derive(Debug, Clone, Default)]
pub struct Places {
    parent: HashMap<String, String>,
    provinces: Vec<String>,
}

/// How the places a question names compare with those an entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceAgreement {
    /// Nothing to compare, or every place agrees.
    Agree,
    /// The question names a place the entry is not about.
    Other,
    /// The entry is about places the question names, but the question also names
    /// another (often where the care happens, which the entry calls 异地).
    Partial,
    /// Every place the question names agrees, but the entry is about more, or narrower,
    /// places than the question asks about.
    Extra,
    /// The entry names a place; the question names none.
    Unnamed,
}

impl Places {
    /// Parses `province: city city …` lines; `#` starts a comment line.
    pub fn parse(text: &str) -> Result<Places, Vec<LineError>> {
        let mut places = Places::default();
        let mut errors = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (n, line) in content_lines(text) {
            let Some((province, cities)) = line.split_once([':', '\u{FF1A}']) else {
                errors.push(LineError::new(
                    n,
                    format!("unknown syntax \"{line}\": expected `province: city city …`"),
                ));
                continue;
            };
            let province = province.trim();
            if province.is_empty() || province.contains(char::is_whitespace) {
                errors.push(LineError::new(
                    n,
                    format!("\"{province}\" is not one place name"),
                ));
                continue;
            }
            for name in std::iter::once(province).chain(cities.split_whitespace()) {
                if let Some(first) = seen.insert(name.to_string(), n) {
                    errors.push(LineError::new(
                        n,
                        format!("\"{name}\" is already listed on line {first}"),
                    ));
                }
            }
            places.provinces.push(province.to_string());
            for city in cities.split_whitespace() {
                places.parent.insert(city.to_string(), province.to_string());
            }
        }
        if errors.is_empty() {
            Ok(places)
        } else {
            Err(errors)
        }
    }

    /// Every name in the file, provinces first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.provinces
            .iter()
            .map(String::as_str)
            .chain(self.parent.keys().map(String::as_str))
    }

    fn parent(&self, place: &str) -> Option<&str> {
        self.parent.get(place).map(String::as_str)
    }

    /// Compares the places a question names with those a target names.
    pub fn agreement(&self, question: &[String], target: &[String]) -> PlaceAgreement {
        match (question.is_empty(), target.is_empty()) {
            (true, true) | (false, true) => return PlaceAgreement::Agree,
            (true, false) => return PlaceAgreement::Unnamed,
            (false, false) => {}
        }
        let is_in = |city: &str, province: &str| self.parent(city) == Some(province);
        let agrees = |q: &str| {
            target.iter().any(|t| t == q)
                // A city agrees with its province, unless the target is about another
                // city of that province.
                || self.parent(q).is_some_and(|p| {
                    target.iter().any(|t| t == p) && !target.iter().any(|t| t != q && is_in(t, p))
                })
                // A province agrees with a target about one of its cities (which is then
                // narrower than the question: see below).
                || target.iter().any(|t| is_in(t, q))
        };
        let covered = |t: &str| question.iter().any(|q| q == t || is_in(q, t));
        let all_covered = target.iter().all(|t| covered(t));
        let agreeing = question.iter().filter(|q| agrees(q)).count();
        match (agreeing, all_covered) {
            (n, true) if n == question.len() => PlaceAgreement::Agree,
            (n, false) if n == question.len() => PlaceAgreement::Extra,
            (n, true) if n > 0 => PlaceAgreement::Partial,
            _ => PlaceAgreement::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> Places {
        Places::parse("江苏: 南京 苏州\n四川: 成都 自贡\n安徽: 合肥").unwrap()
    }

    fn v(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_city_agrees_with_its_province_but_not_with_a_sibling_city() {
        let p = places();
        assert_eq!(
            p.agreement(&v(&["南京"]), &v(&["江苏"])),
            PlaceAgreement::Agree
        );
        assert_eq!(
            p.agreement(&v(&["南京"]), &v(&["江苏", "苏州"])),
            PlaceAgreement::Other
        );
        assert_eq!(
            p.agreement(&v(&["自贡"]), &v(&["四川", "自贡"])),
            PlaceAgreement::Agree
        );
        assert_eq!(
            p.agreement(&v(&["四川"]), &v(&["四川", "自贡"])),
            PlaceAgreement::Extra
        );
        assert_eq!(
            p.agreement(&v(&["合肥", "南京"]), &v(&["安徽", "江苏"])),
            PlaceAgreement::Agree
        );
        assert_eq!(
            p.agreement(&v(&["江苏"]), &v(&["安徽", "江苏"])),
            PlaceAgreement::Extra
        );
        assert_eq!(
            p.agreement(&v(&["广州"]), &v(&["江苏"])),
            PlaceAgreement::Other
        );
        assert_eq!(p.agreement(&v(&[]), &v(&["江苏"])), PlaceAgreement::Unnamed);
        assert_eq!(p.agreement(&v(&["广州"]), &v(&[])), PlaceAgreement::Agree);
        // Insured in 自贡, treated elsewhere in 四川: the 自贡 entry, with a doubt.
        assert_eq!(
            p.agreement(&v(&["自贡", "成都"]), &v(&["四川", "自贡"])),
            PlaceAgreement::Partial
        );
        assert_eq!(
            p.agreement(&v(&["江苏", "广州"]), &v(&["安徽", "江苏"])),
            PlaceAgreement::Other
        );
    }

    #[test]
    fn full_width_colons_work_too() {
        let p = Places::parse("江西\u{FF1A}南昌 九江").unwrap();
        assert_eq!(
            p.agreement(&v(&["南昌"]), &v(&["江西"])),
            PlaceAgreement::Agree
        );
    }

    #[test]
    fn a_name_listed_twice_is_an_error() {
        let errors = Places::parse("江苏: 南京\n安徽: 南京").unwrap_err();
        assert_eq!(errors[0].line, 2);
        assert!(Places::parse("江苏 南京").is_err());
    }
}
