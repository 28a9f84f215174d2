//! Inline mode: `@bot 关键词` in any chat lists up to ten matching entries; choosing one
//! sends the compact answer with its disclaimer. An empty query lists popular entries.

use std::sync::Arc;

use teloxide::payloads::AnswerInlineQuery;
use teloxide::prelude::*;
use teloxide::types::{
    InlineQueryResult, InlineQueryResultArticle, InputMessageContent, InputMessageContentText,
    ParseMode,
};

use super::reply::{self, deep_link, no_preview, record};
use super::{App, HandlerResult, keyboards, render};
use crate::engine::Hit;

/// Results per query (Telegram allows 50; ten fit a phone screen).
const RESULTS: usize = 10;

/// Answered at once (an inline query cannot wait in the outbox: it expires).
pub async fn on_inline_query(q: InlineQuery, app: Arc<App>) -> HandlerResult {
    let hits = if q.query.trim().is_empty() {
        popular(&app)
    } else {
        let query = q.query.clone();
        reply::engine(&app, move |m| m.search(&query, RESULTS)).await?
    };
    let results: Vec<InlineQueryResult> = hits.iter().map(|hit| article(&app, hit)).collect();
    let mut answer = AnswerInlineQuery::new(q.id.clone(), results);
    answer.cache_time = Some(60);
    app.api.call(&answer, app.request_timeout).await?;
    Ok(())
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
    let content = InputMessageContentText::new(render::compact(&view, app.matcher.corpus()))
        .parse_mode(ParseMode::Html)
        .link_preview_options(no_preview());
    let mut article =
        InlineQueryResultArticle::new(id, view.label(), InputMessageContent::Text(content))
            .description(view.conclusion);
    if let Some(link) = deep_link(app, &entry.id) {
        article = article.reply_markup(keyboards::read_in_private(link));
    }
    InlineQueryResult::Article(article)
}
