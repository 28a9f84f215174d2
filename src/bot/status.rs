//! `GET /metrics` (Prometheus text) and `GET /healthz` (whether the Bot API was reached
//! recently), on the webhook server or, when polling, on `--metrics ADDR`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use teloxide::payloads::GetMe;

use super::metrics::{Gauges, RECENT};
use super::reload::Live;

/// The two routes, for any axum server.
pub fn routes(live: Arc<Live>) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(metrics))
        .route("/healthz", axum::routing::get(healthz))
        .with_state(live)
}

async fn metrics(State(live): State<Arc<Live>>) -> impl IntoResponse {
    let app = live.current();
    let pending_replies = app.store.outbox_len().unwrap_or_else(|e| {
        app.store.report(&e);
        0
    });
    let text = app.metrics.render(Gauges {
        pending_replies,
        corpus_entries: app.matcher.corpus().entries.len(),
    });
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
}

/// 200 when the Bot API answered within [`RECENT`] (asking it now if it has been quiet,
/// as a webhook bot with nothing to send is); 503 otherwise.
async fn healthz(State(live): State<Arc<Live>>) -> (StatusCode, String) {
    let app = live.current();
    let recent = |app: &super::App| app.metrics.api_reached_ago().filter(|ago| *ago <= RECENT);
    if let Some(ago) = recent(&app) {
        return (
            StatusCode::OK,
            format!("ok: Bot API reached {} s ago\n", ago.as_secs()),
        );
    }
    match app.api.call(&GetMe::new(), app.request_timeout).await {
        Ok(_) => (StatusCode::OK, "ok: Bot API reached just now\n".to_string()),
        Err(failure) => (
            StatusCode::SERVICE_UNAVAILABLE,
            match app.metrics.api_reached_ago() {
                Some(ago) => format!("Bot API not reached for {} s: {failure}\n", ago.as_secs()),
                None => format!("Bot API not reached since start-up: {failure}\n"),
            },
        ),
    }
}
