//! Which cities lie in which province (`places.txt`), so that names of places can be
//! compared: a question about 南京 agrees with an entry about 江苏, not with one about
//! 苏州 or 安徽.

use rustc_hash::FxHashMap as HashMap;

use super::datafile::{LineError, content_lines};
use super::roles::Role;

/// A place a text names, and the role it plays there when the words around it say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub name: String,
    pub role: Option<Role>,
}

/// Province → cities, from `places.txt`.
#[derive(Debug, Clone, Default)]
pub struct Places {
    parent: HashMap<String, String>,
    provinces: Vec<String>,
}

/// How far apart the places a text names lie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apart {
    /// In two provinces (河南 and 杭州).
    Provinces,
    /// Two cities of one province (九江 and 南昌).
    Cities,
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
        let mut seen: HashMap<String, usize> = HashMap::default();
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

    /// The province `name` lies in (itself, for a province); `None` for a place the
    /// file does not list.
    pub fn province_of<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        match self.parent.get(name) {
            Some(province) => Some(province),
            None => self.provinces.iter().any(|p| p == name).then_some(name),
        }
    }

    /// How far apart the places `names` lie: two in different provinces, or else two
    /// cities of one province; `None` for one place, a city with its own province, or
    /// places the file does not list (which tell nothing).
    pub fn apart<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Option<Apart> {
        let known: Vec<(&str, &str)> = names
            .into_iter()
            .filter_map(|name| Some((name, self.province_of(name)?)))
            .collect();
        let mut apart = None;
        for (i, &(a, province_a)) in known.iter().enumerate() {
            for &(b, province_b) in &known[i + 1..] {
                // A city is not apart from its own province.
                if a == b || a == province_b || b == province_a {
                    continue;
                }
                if province_a != province_b {
                    return Some(Apart::Provinces);
                }
                apart = Some(Apart::Cities);
            }
        }
        apart
    }

    /// Every name in the file, provinces first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.provinces
            .iter()
            .map(String::as_str)
            .chain(self.parent.keys().map(String::as_str))
    }

    /// Places as a reader names them: a city after its province (山西运城), others
    /// separated by 、.
    pub fn describe(&self, places: &[Place]) -> String {
        let mut out = String::new();
        for (i, p) in places.iter().enumerate() {
            let after_its_province = i > 0 && self.parent(&p.name) == Some(&places[i - 1].name);
            if i > 0 && !after_its_province {
                out.push('、');
            }
            out.push_str(&p.name);
        }
        out
    }

    fn parent(&self, place: &str) -> Option<&str> {
        self.parent.get(place).map(String::as_str)
    }

    /// Whether `a` and `b` are two cities of one province.
    fn siblings(&self, a: &str, b: &str) -> bool {
        a != b && self.parent(a).is_some() && self.parent(a) == self.parent(b)
    }

    /// Compares the places a question names with those a target names. Where both say
    /// what role a place plays (insured there, or treated there), the roles must agree
    /// too; a target that speaks of "elsewhere" (`open`: 异地去上海就医) leaves the role
    /// its places do not take open to any place the question names, but another city of
    /// the province the target is about, when the question leaves out the target's own
    /// city (绵阳 for 自贡's entry), is a rival, never that elsewhere.
    pub fn agreement(&self, question: &[Place], target: &[Place], open: bool) -> PlaceAgreement {
        match (question.is_empty(), target.is_empty()) {
            (true, true) | (false, true) => return PlaceAgreement::Agree,
            (true, false) => return PlaceAgreement::Unnamed,
            (false, false) => {}
        }
        let is_in = |city: &str, province: &str| self.parent(city) == Some(province);
        let names_agree = |q: &str, t: &str| {
            q == t
                // A city agrees with its province, unless the target is about another
                // city of that province.
                || (self.parent(q) == Some(t)
                    && !target.iter().any(|o| o.name != q && is_in(&o.name, t)))
                // A province agrees with a target about one of its cities (which is then
                // narrower than the question: see below).
                || is_in(t, q)
        };
        let compatible = |q: Option<Role>, t: Option<Role>| q.is_none() || t.is_none() || q == t;
        let covered = |t: &str| question.iter().any(|q| q.name == t || is_in(&q.name, t));
        let mut agreeing = 0;
        for q in question {
            let same_place = || target.iter().filter(|t| names_agree(&q.name, &t.name));
            if same_place().any(|t| compatible(q.role, t.role)) {
                agreeing += 1;
            } else if same_place().next().is_some() {
                // The same place in another role: insured in 深圳 is not treated in 深圳.
                return PlaceAgreement::Other;
            } else if open
                && q.role
                    .is_none_or(|r| !target.iter().any(|t| t.role == Some(r)))
                && !target
                    .iter()
                    .any(|t| self.siblings(&q.name, &t.name) && !covered(&t.name))
            {
                // The role the target leaves to "elsewhere", which a city does not take
                // in place of another city of its province that the question leaves out:
                // 绵阳 is no elsewhere of a target about 自贡 (四川), it is a rival; 太原
                // is the elsewhere of 阳泉参保，在太原透析.
                agreeing += 1;
            }
        }
        let all_covered = target.iter().all(|t| covered(&t.name));
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

    #[test]
    fn places_lie_apart_in_provinces_or_cities() {
        let p = places();
        assert_eq!(p.apart(["南京", "苏州"]), Some(Apart::Cities));
        assert_eq!(p.apart(["南京", "成都"]), Some(Apart::Provinces));
        assert_eq!(p.apart(["江苏", "安徽"]), Some(Apart::Provinces));
        // Provinces apart outweigh cities apart.
        assert_eq!(p.apart(["南京", "苏州", "合肥"]), Some(Apart::Provinces));
        // A city and its own province, one place, or a place not listed: not apart.
        assert_eq!(p.apart(["南京", "江苏"]), None);
        assert_eq!(p.apart(["南京"]), None);
        assert_eq!(p.apart(["南京", "宿州"]), None);
    }

    /// Places without roles.
    fn v(names: &[&str]) -> Vec<Place> {
        names
            .iter()
            .map(|s| Place {
                name: s.to_string(),
                role: None,
            })
            .collect()
    }

    fn insured(name: &str) -> Place {
        Place {
            name: name.to_string(),
            role: Some(Role::Insured),
        }
    }

    fn treated(name: &str) -> Place {
        Place {
            name: name.to_string(),
            role: Some(Role::Treated),
        }
    }

    #[test]
    fn a_city_agrees_with_its_province_but_not_with_a_sibling_city() {
        use PlaceAgreement::*;
        let p = places();
        // (question's places, target's places, target speaks of elsewhere, agreement)
        let table: &[(&[&str], &[&str], bool, PlaceAgreement)] = &[
            (&["南京"], &["江苏"], false, Agree),
            (&["南京"], &["江苏", "苏州"], false, Other),
            (&["自贡"], &["四川", "自贡"], false, Agree),
            (&["四川"], &["四川", "自贡"], false, Extra),
            (&["合肥", "南京"], &["安徽", "江苏"], false, Agree),
            (&["江苏"], &["安徽", "江苏"], false, Extra),
            (&["广州"], &["江苏"], false, Other),
            (&[], &["江苏"], false, Unnamed),
            (&["广州"], &[], false, Agree),
            // Insured in 自贡, treated elsewhere in 四川: the 自贡 entry, with a doubt.
            (&["自贡", "成都"], &["四川", "自贡"], false, Partial),
            (&["江苏", "广州"], &["安徽", "江苏"], false, Other),
            // A target about 自贡 that speaks of elsewhere (自贡异地就医): 成都 beside 自贡 is
            // that elsewhere, 成都 instead of 自贡 a rival city.
            (&["自贡", "成都"], &["四川", "自贡"], true, Agree),
            (&["四川", "成都"], &["四川", "自贡"], true, Other),
            (&["成都"], &["四川", "自贡"], true, Other),
            // A place of another province may still be the elsewhere.
            (&["四川", "南京"], &["四川", "自贡"], true, Extra),
        ];
        for &(question, target, open, want) in table {
            assert_eq!(
                p.agreement(&v(question), &v(target), open),
                want,
                "{question:?} vs {target:?} (open: {open})"
            );
        }
    }

    #[test]
    fn roles_must_agree_where_both_sides_say() {
        let p = Places::parse("江苏: 南京 苏州\n江西: 南昌\n上海:\n河南: 郑州").unwrap();
        // 江苏-insured treated in 江西 is not 江西-insured treated in 江苏.
        let jiangsu_in_jiangxi = [insured("江苏"), treated("江西")];
        assert_eq!(
            p.agreement(
                &[insured("江苏"), treated("江西")],
                &jiangsu_in_jiangxi,
                false
            ),
            PlaceAgreement::Agree
        );
        assert_eq!(
            p.agreement(
                &[insured("江西"), treated("江苏")],
                &jiangsu_in_jiangxi,
                false
            ),
            PlaceAgreement::Other
        );
        // Without roles in the question, the names decide.
        assert_eq!(
            p.agreement(&v(&["江西", "江苏"]), &jiangsu_in_jiangxi, false),
            PlaceAgreement::Agree
        );
        // 异地去上海就医: treated in 上海, insured anywhere else.
        let to_shanghai = [treated("上海")];
        assert_eq!(
            p.agreement(&[insured("河南"), treated("上海")], &to_shanghai, true),
            PlaceAgreement::Agree
        );
        assert_eq!(
            p.agreement(&v(&["郑州", "上海"]), &to_shanghai, true),
            PlaceAgreement::Agree
        );
        // Insured in 上海 is another question.
        assert_eq!(
            p.agreement(&[insured("上海"), treated("南京")], &to_shanghai, true),
            PlaceAgreement::Other
        );
        // A target about one place's fees leaves nothing open: 郑州 is not 南京.
        assert_eq!(
            p.agreement(&v(&["郑州"]), &[insured("江苏")], false),
            PlaceAgreement::Other
        );
    }

    #[test]
    fn full_width_colons_work_too() {
        let p = Places::parse("江西\u{FF1A}南昌 九江").unwrap();
        assert_eq!(
            p.agreement(&v(&["南昌"]), &v(&["江西"]), false),
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
