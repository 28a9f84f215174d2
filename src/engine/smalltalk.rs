//! Small talk (`smalltalk.txt`): a message that is nothing but a greeting, thanks, a
//! request for a human, a question about the bot itself or an insult gets its own reply,
//! not an answer and not "I don't know".

use super::datafile::{LineError, content_lines};
use super::normalize::fold;

/// One kind of small talk and what the bot says to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmallTalk {
    pub name: String,
    pub reply: String,
    /// Folded phrases: the whole message, or (with `anywhere`) any part of it.
    phrases: Vec<String>,
    anywhere: bool,
}

impl SmallTalk {
    /// An insult, a laugh: never kept among the unanswered questions.
    pub fn is_insult(&self) -> bool {
        self.anywhere
    }
}

/// Particles and punctuation that do not change what a short message is (谢谢啦, 好的呀).
const TRAILING: &[char] = &[
    '啊', '呀', '啦', '哈', '吧', '呢', '的', '了', '嘛', '哦', '喔', '哟',
];

/// Replies are said on their own: they stay short.
const MAX_REPLY_CHARS: usize = 300;

/// Parses `name | reply | phrase, phrase, … [| anywhere]` lines.
pub fn parse(text: &str) -> Result<Vec<SmallTalk>, Vec<LineError>> {
    let mut kinds = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in content_lines(text) {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let (name, reply, phrases, anywhere) = match parts[..] {
            [name, reply, phrases] => (name, reply, phrases, false),
            [name, reply, phrases, "anywhere"] => (name, reply, phrases, true),
            _ => {
                errors.push(LineError::new(
                    n,
                    format!(
                        "unknown syntax \"{line}\": expected `name | reply | phrase, phrase, … [| anywhere]`"
                    ),
                ));
                continue;
            }
        };
        let phrases: Vec<String> = phrases
            .split([',', '\u{FF0C}', '\u{3001}'])
            .map(fold)
            .filter(|p| !p.is_empty())
            .collect();
        if name.is_empty() || reply.is_empty() || phrases.is_empty() {
            errors.push(LineError::new(
                n,
                "a kind needs a name, a reply and at least one phrase",
            ));
            continue;
        }
        if reply.chars().count() > MAX_REPLY_CHARS {
            errors.push(LineError::new(
                n,
                format!("the reply has more than {MAX_REPLY_CHARS} characters"),
            ));
            continue;
        }
        kinds.push(SmallTalk {
            name: name.to_string(),
            reply: reply.to_string(),
            phrases,
            anywhere,
        });
    }
    if errors.is_empty() {
        Ok(kinds)
    } else {
        Err(errors)
    }
}

/// The kind of small talk a normalised message is, if it is one: the first kind (in
/// file order) one of whose phrases it is — or, for an `anywhere` kind, holds.
pub fn kind_of(kinds: &[SmallTalk], normalized: &str) -> Option<usize> {
    let text: String = normalized.chars().filter(|c| !c.is_whitespace()).collect();
    let whole = text.trim_end_matches(TRAILING);
    kinds.iter().position(|k| {
        k.phrases.iter().any(|p| {
            whole == p.as_str() || text == p.as_str() || (k.anywhere && text.contains(p.as_str()))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_that_is_only_small_talk_is_recognised() {
        let kinds = parse(
            "thanks | 不客气！ | 谢谢, 多谢\nhuman | 请打12393。 | 人工, 转人工\ninsult | 好的。 | 傻逼 | anywhere",
        )
        .unwrap();
        assert_eq!(kind_of(&kinds, "谢谢"), Some(0));
        assert_eq!(kind_of(&kinds, "谢谢啦"), Some(0));
        assert_eq!(kind_of(&kinds, "转人工"), Some(1));
        assert_eq!(kind_of(&kinds, "你真是个傻逼"), Some(2));
        assert!(kinds[2].is_insult());
        // A question that thanks first is a question.
        assert_eq!(kind_of(&kinds, "谢谢 异地备案怎么办"), None);
        assert_eq!(kind_of(&kinds, "人工流产能报销吗"), None);
    }

    #[test]
    fn a_kind_needs_a_reply_and_phrases() {
        assert!(parse("thanks | 不客气 |").is_err());
        assert!(parse("thanks | 不客气").is_err());
    }
}
