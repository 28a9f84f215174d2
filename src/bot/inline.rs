//! Inline mode: `@bot 关键词` in any chat lists up to ten matching entries; choosing one
//! sends the answer (brief, as everywhere) with a link to it in full in the private chat.
//! An empty query lists popular entries; few results offer the private chat.

use std::sync::Arc;

use teloxide::payloads::AnswerInlineQuery;
use teloxide::prelude::*;
use teloxide::types::{
    InlineQueryResult, InlineQueryResultArticle, InlineQueryResultsButton,
    InlineQueryResultsButtonKind, InputMessageContent, InputMessageContentText, ParseMode,
};

use super::render::Form;
use super::reply::{self, deep_link, no_preview, record};
use super::{App, HandlerResult, keyboards, render, texts};
use crate::engine::tuning::SEARCH_FLOOR;
use crate::engine::{Decline, Hit, Matcher, Outcome};

/// Results per query (Telegram allows 50; ten fit a phone screen).
const RESULTS: usize = 10;

/// Answered at once (an inline query cannot wait in the outbox: it expires).
pub async fn on_inline_query(q: InlineQuery, app: Arc<App>) -> HandlerResult {
    let hits = if q.query.trim().is_empty() {
        popular(&app)
    } else {
        let query = q.query.clone();
        reply::engine(&app, move |m| search(m, &query)).await?
    };
    let results: Vec<InlineQueryResult> = hits.iter().map(|hit| article(&app, hit)).collect();
    let few = results.len() < FEW_RESULTS;
    let mut answer = AnswerInlineQuery::new(q.id.clone(), results);
    answer.cache_time = Some(60);
    if few {
        // Few or none found: a way on, to the private chat, where a question can be
        // asked in full.
        answer.button = Some(InlineQueryResultsButton {
            text: texts::INLINE_ASK_IN_PRIVATE.to_string(),
            kind: InlineQueryResultsButtonKind::StartParameter("inline".to_string()),
        });
    }
    app.api.call(&answer, app.request_timeout).await?;
    Ok(())
}

/// The lowest score listed for a query the chat would not answer (a question about
/// something else shares a word or two and scores below it: 火星移民怎么办理, 0.28).
const DECLINED_FLOOR: f32 = 0.3;

/// Below this many results, the private chat is offered above them.
const FEW_RESULTS: usize = 3;

/// What a query finds, read the way the chat reads it (traditional characters, typos,
/// a keyword alone): what the chat would answer or offer first, then other entries that
/// share its words — and nothing for what the chat would decline.
fn search(m: &Matcher, query: &str) -> Vec<Hit> {
    let (outcome, found) = m.ask_and_search(query, RESULTS);
    let (mut hits, floor) = match outcome {
        Outcome::Answer(hit) => (vec![hit], SEARCH_FLOOR),
        Outcome::Suggest(hits) | Outcome::Topic { entries: hits, .. } => (hits, SEARCH_FLOOR),
        // Not close enough to answer in a chat, but a list to pick from: the entries
        // that share a fair part of its words.
        Outcome::None(Decline::NotCovered { .. }) => (Vec::new(), DECLINED_FLOOR),
        Outcome::None(_) => return Vec::new(),
    };
    for hit in found.into_iter().filter(|h| h.score >= floor) {
        if hits.len() < RESULTS && !hits.iter().any(|h| h.entry == hit.entry) {
            hits.push(hit);
        }
    }
    hits.truncate(RESULTS);
    hits
}

/// The most answered entries, topped up in corpus order.
fn popular(app: &App) -> Vec<Hit> {
    let corpus = app.matcher.corpus();
    let mut ids = app.store.popular(RESULTS).unwrap_or_else(|e| {
        record::<()>(app, Err(e));
        Vec::new()
    });
    for e in &corpus.entries {
        if ids.len() >= RESULTS {
            break;
        }
        if !ids.contains(&e.id) {
            ids.push(e.id.clone());
        }
    }
    ids.iter()
        .filter_map(|id| corpus.index_of(id))
        .map(Hit::whole)
        .collect()
}

fn article(app: &App, hit: &Hit) -> InlineQueryResult {
    let view = app.matcher.view(hit);
    let entry = view.entry;
    let id = match view.section {
        Some(s) => format!("{}:{}", entry.id, s.id),
        None => entry.id.clone(),
    };
    let content =
        InputMessageContentText::new(render::answer(&view, app.matcher.corpus(), Form::Brief))
            .parse_mode(ParseMode::Html)
            .link_preview_options(no_preview());
    let mut article =
        InlineQueryResultArticle::new(id, view.short(), InputMessageContent::Text(content))
            .description(view.conclusion);
    if let Some(link) = deep_link(app, &entry.id) {
        article = article.reply_markup(keyboards::read_in_private(link));
    }
    InlineQueryResult::Article(article)
}
