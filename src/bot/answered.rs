//! Which message of the bot answers which question: kept when an answer is delivered, so
//! that a question edited afterwards edits its answer instead of going unanswered. Held
//! in memory (a restart forgets it; an edit then gets no new answer) and bounded.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Answers remembered, at most (the oldest are forgotten first).
const MAX_REMEMBERED: usize = 10_000;

#[derive(Debug, Default)]
pub struct Answered {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// (chat, question's message id) → the answer's message id.
    answers: HashMap<(i64, i32), i32>,
    order: VecDeque<(i64, i32)>,
}

impl Answered {
    /// `answer` (a message id in `chat`) answers the question `question`.
    pub fn remember(&self, chat: i64, question: i32, answer: i32) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.answers.insert((chat, question), answer).is_none() {
            inner.order.push_back((chat, question));
        }
        while inner.order.len() > MAX_REMEMBERED {
            if let Some(old) = inner.order.pop_front() {
                inner.answers.remove(&old);
            }
        }
    }

    /// The message that answers `question` in `chat`, if it was delivered.
    pub fn answer_to(&self, chat: i64, question: i32) -> Option<i32> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.answers.get(&(chat, question)).copied()
    }
}

/// The `message_id` of a sendMessage's answer.
pub fn sent_message_id(answer: &[u8]) -> Option<i32> {
    let value: serde_json::Value = serde_json::from_slice(answer).ok()?;
    value["result"]["message_id"]
        .as_i64()
        .and_then(|id| i32::try_from(id).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_remembered_per_chat_and_bounded() {
        let answered = Answered::default();
        answered.remember(1, 10, 11);
        answered.remember(2, 10, 21);
        assert_eq!(answered.answer_to(1, 10), Some(11));
        assert_eq!(answered.answer_to(2, 10), Some(21));
        assert_eq!(answered.answer_to(1, 12), None);
        for q in 0..MAX_REMEMBERED as i32 {
            answered.remember(3, 100 + q, q);
        }
        assert_eq!(answered.answer_to(1, 10), None);
        assert_eq!(
            answered.answer_to(3, 100 + MAX_REMEMBERED as i32 - 1),
            Some(MAX_REMEMBERED as i32 - 1)
        );
    }

    #[test]
    fn the_message_id_is_read_from_the_answer() {
        assert_eq!(
            sent_message_id(br#"{"ok":true,"result":{"message_id":42,"chat":{"id":1}}}"#),
            Some(42)
        );
        assert_eq!(sent_message_id(br#"{"ok":true,"result":true}"#), None);
    }
}
