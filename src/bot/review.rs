//! `/review` for admins, in a private chat: the most frequent unanswered question not
//! reviewed yet (masked, as stored), with the engine's best candidates as buttons — "add
//! as a phrasing of this entry", "needs a new entry", "ignore", "skip". A decision is
//! stored and takes effect at once (a learnt phrasing answers the next time); then the
//! next question comes.
//!
//! Button data: `rv:p:<question id>:<entry id>`, `rv:n:<id>`, `rv:i:<id>`, `rv:s:<id>`
//! (the question id is the row it was first stored as; at most 64 bytes in all).

use std::sync::Arc;

use teloxide::payloads::AnswerCallbackQuery;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use teloxide::utils::html::escape;
use tracing::{debug, info};

use super::App;
use super::HandlerResult;
use super::reload::Live;
use super::reply::{self, Place, record};
use super::store::{Choice, ToReview};

/// Candidates offered per question.
const CANDIDATES: usize = 3;
/// Unanswered questions of this many days are reviewed.
const DAYS: u32 = 30;
/// How far down the queue "skip" can go.
const QUEUE: usize = 200;

/// What a review button asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tap {
    Decide { question: i64, choice: Choice },
    Skip { question: i64 },
}

impl Tap {
    pub fn encode(&self) -> String {
        match self {
            Tap::Decide {
                question,
                choice: Choice::Phrasing(entry),
            } => format!("rv:p:{question}:{entry}"),
            Tap::Decide {
                question,
                choice: Choice::NewEntry,
            } => format!("rv:n:{question}"),
            Tap::Decide {
                question,
                choice: Choice::Ignore,
            } => format!("rv:i:{question}"),
            Tap::Skip { question } => format!("rv:s:{question}"),
        }
    }

    pub fn decode(data: &str) -> Option<Tap> {
        let rest = data.strip_prefix("rv:")?;
        let (kind, rest) = rest.split_once(':')?;
        let (id, entry) = match rest.split_once(':') {
            Some((id, entry)) => (id, Some(entry)),
            None => (rest, None),
        };
        let question: i64 = id.parse().ok()?;
        let choice = match (kind, entry) {
            ("p", Some(entry)) if !entry.is_empty() => Choice::Phrasing(entry.to_string()),
            ("n", None) => Choice::NewEntry,
            ("i", None) => Choice::Ignore,
            ("s", None) => return Some(Tap::Skip { question }),
            _ => return None,
        };
        Some(Tap::Decide { question, choice })
    }
}

/// Whether button data is a review button's (routed here, not to the user buttons).
pub fn is_review_tap(q: CallbackQuery) -> bool {
    q.data.as_deref().is_some_and(|d| d.starts_with("rv:"))
}

/// `/review`: the first question waiting.
pub async fn start(app: &Arc<App>, place: Place) -> HandlerResult {
    next(app, place, None);
    Ok(())
}

/// Sends the question after `after` in the queue (the first without), or says there are
/// none left.
fn next(app: &App, place: Place, after: Option<i64>) {
    let queue = match app.store.to_review(DAYS, QUEUE) {
        Ok(queue) => queue,
        Err(e) => {
            app.store.report(&e);
            return;
        }
    };
    let start = after
        .and_then(|id| queue.iter().position(|q| q.id == id).map(|i| i + 1))
        .unwrap_or(0);
    let Some(item) = queue.get(start) else {
        reply::send(app, place, "✅ 没有待处理的问题了。", None);
        return;
    };
    let (text, markup) = card(app, item, start + 1, queue.len());
    reply::send(app, place, text, Some(markup));
}

/// The message for one question: how often it was asked, the question, the candidates
/// with their buttons.
fn card(app: &App, item: &ToReview, at: usize, of: usize) -> (String, InlineKeyboardMarkup) {
    let matcher = &app.matcher;
    let candidates: Vec<(String, String)> = matcher
        .rank(&item.question)
        .hits
        .iter()
        .map(|h| matcher.corpus().entries[h.entry].clone())
        .take(CANDIDATES)
        .map(|e| (e.id, e.question))
        .collect();
    let mut text = format!(
        "📝 待处理 {at}/{of} · 被问 {} 次\n<b>{}</b>\n",
        item.count,
        escape(&item.question)
    );
    if candidates.is_empty() {
        text.push_str("没有相近的条目。");
    } else {
        text.push_str("最接近的条目（点 ➕ 把这个问法加给它）：");
        for (i, (id, question)) in candidates.iter().enumerate() {
            text.push_str(&format!(
                "\n{}. {}（{}）",
                i + 1,
                escape(question),
                escape(id)
            ));
        }
    }
    let mut rows: Vec<Vec<InlineKeyboardButton>> = candidates
        .iter()
        .enumerate()
        .map(|(i, (id, question))| {
            let label: String = question.chars().take(24).collect();
            vec![InlineKeyboardButton::callback(
                format!("➕ {}. {label}", i + 1),
                Tap::Decide {
                    question: item.id,
                    choice: Choice::Phrasing(id.clone()),
                }
                .encode(),
            )]
        })
        .collect();
    rows.push(vec![
        InlineKeyboardButton::callback(
            "🆕 需要新条目",
            Tap::Decide {
                question: item.id,
                choice: Choice::NewEntry,
            }
            .encode(),
        ),
        InlineKeyboardButton::callback(
            "🙈 忽略",
            Tap::Decide {
                question: item.id,
                choice: Choice::Ignore,
            }
            .encode(),
        ),
        InlineKeyboardButton::callback("⏭ 跳过", Tap::Skip { question: item.id }.encode()),
    ]);
    (text, InlineKeyboardMarkup::new(rows))
}

/// A review button: from an admin, recorded and learnt, and the next question sent.
pub async fn on_tap(q: CallbackQuery, app: Arc<App>, live: Arc<Live>) -> HandlerResult {
    let admin = app.admins.contains(&q.from.id.0);
    let tap = q.data.as_deref().and_then(Tap::decode).filter(|_| admin);
    let said = match &tap {
        Some(Tap::Decide { choice, .. }) => match choice {
            Choice::Phrasing(entry) => format!("已加为 {entry} 的问法"),
            Choice::NewEntry => "已记为需要新条目".to_string(),
            Choice::Ignore => "已忽略".to_string(),
        },
        Some(Tap::Skip { .. }) => "已跳过".to_string(),
        None => String::new(),
    };
    let mut ack = AnswerCallbackQuery::new(q.id.clone());
    ack.text = (!said.is_empty()).then(|| said.clone());
    let (api, timeout) = (app.api.clone(), app.request_timeout);
    tokio::spawn(async move {
        if let Err(e) = api.call(&ack, timeout).await {
            debug!("could not acknowledge a review tap: {e}");
        }
    });
    let (Some(tap), Some(msg)) = (tap, q.regular_message()) else {
        return Ok(());
    };
    let place = Place::of(msg, None);
    let question = match &tap {
        Tap::Decide { question, .. } | Tap::Skip { question } => *question,
    };
    if let Tap::Decide { choice, .. } = &tap {
        let Some(text) = app.store.unanswered_question(question)? else {
            reply::send(&app, place, "这个问题已过了保留期，不在库中了。", None);
            next(&app, place, None);
            return Ok(());
        };
        if let Choice::Phrasing(entry) = choice
            && app.matcher.corpus().index_of(entry).is_none()
        {
            reply::send(&app, place, "这个条目已不在问答库中。", None);
            return Ok(());
        }
        record(&app, app.store.record_review(&text, choice));
        info!("review by {}: {said}", q.from.id.0);
        if matches!(choice, Choice::Phrasing(_)) {
            live.relearn().await;
        }
        let done = format!(
            "{}\n\n<b>→ {}</b>",
            msg.text().map(escape).unwrap_or_default(),
            escape(&said)
        );
        reply::edit_text(&app, msg, done, InlineKeyboardMarkup::default());
    }
    // The next question, from the app as it is now (with what was just learnt).
    let app = live.current();
    next(
        &app,
        place,
        matches!(tap, Tap::Skip { .. }).then_some(question),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_buttons_round_trip_within_telegrams_64_bytes() {
        for tap in [
            Tap::Decide {
                question: i64::MAX,
                choice: Choice::Phrasing("a".repeat(32)),
            },
            Tap::Decide {
                question: 7,
                choice: Choice::NewEntry,
            },
            Tap::Decide {
                question: 7,
                choice: Choice::Ignore,
            },
            Tap::Skip { question: 7 },
        ] {
            let data = tap.encode();
            assert!(data.len() <= 64, "{data}");
            assert_eq!(Tap::decode(&data), Some(tap));
        }
        for forged in [
            "rv:p:1:",
            "rv:x:1",
            "rv:n:abc",
            "rv:i:1:extra",
            "ask:1",
            "rv:",
        ] {
            assert_eq!(Tap::decode(forged), None, "{forged}");
        }
    }
}
