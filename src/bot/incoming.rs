//! Reading what Telegram sends, update by update. A getUpdates answer is split into its
//! updates before any of them is interpreted, so that one update teloxide cannot read —
//! or one it would panic on, such as a `message_reaction` without `user` and
//! `actor_chat` — is skipped on its own (one log line, without its content) while the
//! others are handled, and polling moves past it instead of asking for it forever.

use std::collections::BTreeSet;
use std::fmt;

use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use teloxide::types::{Update, UpdateKind};

/// The update kinds the bot asks for (edited messages are for a later feature; they
/// reach no handler yet).
pub const KINDS: [&str; 4] = [
    "message",
    "edited_message",
    "callback_query",
    "inline_query",
];

/// An update that is not handled, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Its `update_id`, when that much could be read.
    pub id: Option<i64>,
    pub why: Why,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Not a JSON object with a numeric `update_id`.
    NoUpdate,
    /// A kind the bot did not ask for (so it is not even parsed).
    NotAskedFor,
    /// A kind it asked for, but teloxide could not read it.
    Unreadable,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.id {
            Some(id) => format!("update {id}"),
            None => "an update without a usable update_id".to_string(),
        };
        let why = match self.why {
            Why::NoUpdate => "it is not an update object",
            Why::NotAskedFor => "it is of a kind the bot does not handle",
            Why::Unreadable => "it could not be read",
        };
        write!(f, "skipped {what}: {why}")
    }
}

/// A getUpdates answer, read.
#[derive(Debug)]
pub struct Batch {
    pub updates: Vec<Update>,
    pub skipped: Vec<Skipped>,
    /// The offset that confirms everything in this batch.
    pub next_offset: i64,
}

/// The `update_id` and the keys of an update, read without interpreting any value (so
/// that nothing in them — an unpaired surrogate, deep nesting — can fail this).
struct Head {
    id: Option<i64>,
    keys: BTreeSet<String>,
}

impl<'de> Deserialize<'de> for Head {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Head, D::Error> {
        struct HeadVisitor;
        impl<'de> Visitor<'de> for HeadVisitor {
            type Value = Head;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an update object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Head, A::Error> {
                let mut head = Head {
                    id: None,
                    keys: BTreeSet::new(),
                };
                while let Some(key) = map.next_key::<String>()? {
                    if key == "update_id" {
                        head.id = map.next_value::<Id>()?.0;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                        head.keys.insert(key);
                    }
                }
                Ok(head)
            }
        }
        d.deserialize_map(HeadVisitor)
    }
}

/// A number, or nothing usable.
struct Id(Option<i64>);

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Id, D::Error> {
        struct IdVisitor;
        impl<'de> Visitor<'de> for IdVisitor {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an update id")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Id, E> {
                Ok(Id(Some(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Id, E> {
                Ok(Id(i64::try_from(v).ok()))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Id, E> {
                Ok(Id(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<Id, E> {
                Ok(Id(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Id, E> {
                Ok(Id(None))
            }
            fn visit_unit<E>(self) -> Result<Id, E> {
                Ok(Id(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut s: A) -> Result<Id, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Id(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Id, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Id(None))
            }
        }
        d.deserialize_any(IdVisitor)
    }
}

/// One update, as JSON text.
pub fn update(json: &str) -> Result<Update, Skipped> {
    let head = serde_json::from_str::<Head>(json).map_err(|_| Skipped {
        id: None,
        why: Why::NoUpdate,
    })?;
    let Some(id) = head.id else {
        return Err(Skipped {
            id: None,
            why: Why::NoUpdate,
        });
    };
    let skipped = |why| Skipped { id: Some(id), why };
    if !head.keys.iter().any(|k| KINDS.contains(&k.as_str())) {
        return Err(skipped(Why::NotAskedFor));
    }
    // teloxide reads a kind it cannot parse as `UpdateKind::Error`; a panic is caught
    // too, should any of its parsers have one.
    let parsed = std::panic::catch_unwind(|| serde_json::from_str::<Update>(json));
    match parsed {
        Ok(Ok(update)) if !matches!(update.kind, UpdateKind::Error(_)) => Ok(update),
        _ => Err(skipped(Why::Unreadable)),
    }
}

/// The body of a getUpdates answer, asked for with `offset`. `Err` when the body as a
/// whole cannot be read (a truncated answer: ask again); otherwise every update is read
/// on its own, and `next_offset` moves past all of them — also past one without a
/// usable `update_id`, which is taken to be the next in sequence.
pub fn batch(body: &[u8], offset: i64) -> Result<Batch, ()> {
    #[derive(Deserialize)]
    struct Answer<'a> {
        ok: bool,
        #[serde(borrow)]
        result: Option<Vec<&'a RawValue>>,
    }
    let answer: Answer = serde_json::from_slice(body).map_err(|_| ())?;
    let Answer {
        ok: true,
        result: Some(raw),
    } = answer
    else {
        return Err(());
    };
    let mut next_offset = offset;
    let mut updates = Vec::new();
    let mut skipped = Vec::new();
    for raw in raw {
        let id = match update(raw.get()) {
            Ok(u) => {
                let id = i64::from(u.id.0);
                updates.push(u);
                Some(id)
            }
            Err(mut s) => {
                // Without an id it is the one after the last (ids are sequential); with
                // no offset yet, there is nothing to count from.
                if s.id.is_none() && next_offset > 0 {
                    s.id = Some(next_offset);
                }
                let id = s.id;
                skipped.push(s);
                id
            }
        };
        if let Some(id) = id {
            next_offset = next_offset.max(id + 1);
        }
    }
    Ok(Batch {
        updates,
        skipped,
        next_offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(id: i64) -> String {
        format!(
            r#"{{"update_id":{id},"message":{{"message_id":1,"date":1,"chat":{{"id":5,"type":"private","first_name":"A"}},"text":"hi"}}}}"#
        )
    }

    #[test]
    fn every_update_is_read_on_its_own_and_the_offset_moves_past_bad_ones() {
        let nested = (0..300).fold(String::from("1"), |inner, _| format!("{{\"a\":{inner}}}"));
        let cases: &[(&str, String, Option<Why>)] = &[
            ("fine", message(10), None),
            (
                "a reaction without user or actor_chat (teloxide panics on it)",
                r#"{"update_id":10,"message_reaction":{"chat":{"id":1,"type":"private"},"message_id":1,"date":1,"old_reaction":[],"new_reaction":[]}}"#.into(),
                Some(Why::NotAskedFor),
            ),
            (
                "an unpaired surrogate in a text",
                r#"{"update_id":10,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private","first_name":"A"},"text":"ok\ud800"}}"#.into(),
                Some(Why::Unreadable),
            ),
            (
                "nesting deeper than the JSON reader allows",
                format!(r#"{{"update_id":10,"message":{nested}}}"#),
                Some(Why::Unreadable),
            ),
            ("message is a string", r#"{"update_id":10,"message":"hello"}"#.into(), Some(Why::Unreadable)),
            ("no kind", r#"{"update_id":10}"#.into(), Some(Why::NotAskedFor)),
            ("update_id a string", r#"{"update_id":"abc","message":1}"#.into(), Some(Why::NoUpdate)),
            ("not an object", "42".into(), Some(Why::NoUpdate)),
        ];
        for (name, raw, want) in cases {
            let body = format!(r#"{{"ok":true,"result":[{raw},{}]}}"#, message(11));
            let batch = batch(body.as_bytes(), 10).unwrap_or_else(|_| panic!("{name}"));
            assert_eq!(batch.next_offset, 12, "{name}");
            let ids: Vec<u32> = batch.updates.iter().map(|u| u.id.0).collect();
            match want {
                None => assert_eq!(ids, [10, 11], "{name}"),
                Some(why) => {
                    assert_eq!(ids, [11], "{name}");
                    assert_eq!(batch.skipped.len(), 1, "{name}");
                    assert_eq!(batch.skipped[0].why, *why, "{name}");
                    assert_eq!(batch.skipped[0].id, Some(10), "{name}");
                }
            }
        }
    }

    #[test]
    fn a_lone_bad_update_is_skipped_and_a_truncated_answer_is_asked_again() {
        let lone = batch(br#"{"ok":true,"result":[42]}"#, 7).unwrap();
        assert_eq!(lone.next_offset, 8);
        assert!(batch(br#"{"ok":true,"result":[{"update_id":"#, 7).is_err());
        assert!(batch(b"<html>502</html>", 7).is_err());
        let empty = batch(br#"{"ok":true,"result":[]}"#, 7).unwrap();
        assert_eq!(empty.next_offset, 7);
    }

    #[test]
    fn a_skipped_update_is_logged_without_its_content() {
        let s = Skipped {
            id: Some(12),
            why: Why::Unreadable,
        };
        assert_eq!(s.to_string(), "skipped update 12: it could not be read");
    }
}
