//! What the bot counts, for Prometheus (`GET /metrics`, text format 0.0.4), and what
//! `GET /healthz` says: whether the Bot API answered recently. Served by the webhook
//! server, or (polling) on `--metrics ADDR` when given.
//!
//! Counters are atomics and small maps behind a mutex held for one increment: nothing
//! here waits, and nothing is kept per user or per chat.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use crate::engine::{Decline, Outcome};

/// Upper bounds (seconds) of the engine latency histogram's buckets.
const LATENCY_BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

/// The Bot API counts as reached recently within this long of its last answer (a long
/// poll answers at least every poll timeout).
pub const RECENT: Duration = Duration::from_secs(120);

#[derive(Debug, Default)]
pub struct Metrics {
    updates: Labelled,
    answers: Labelled,
    api_errors: Labelled,
    retries: AtomicU64,
    reloads: Labelled,
    latency_buckets: [AtomicU64; LATENCY_BUCKETS.len()],
    latency_sum_micros: AtomicU64,
    latency_count: AtomicU64,
    /// When the Bot API last answered (unix milliseconds; 0: never).
    api_reached: AtomicI64,
}

/// Counters by one label value.
#[derive(Debug, Default)]
struct Labelled(Mutex<BTreeMap<&'static str, u64>>);

impl Labelled {
    fn add(&self, label: &'static str) {
        *self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(label)
            .or_default() += 1;
    }

    /// `name{label="…"} n` for every `known` label (0 when never counted) and any other.
    fn render(&self, out: &mut String, name: &str, label: &str, known: &[&'static str]) {
        let counts = self.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let mut all: BTreeMap<&str, u64> = known.iter().map(|k| (*k, 0)).collect();
        all.extend(counts);
        for (value, n) in all {
            let _ = writeln!(out, "{name}{{{label}=\"{value}\"}} {n}");
        }
    }
}

/// What the scrape adds from elsewhere: the outbox and the corpus as they are now.
#[derive(Debug, Clone, Copy)]
pub struct Gauges {
    pub pending_replies: usize,
    pub corpus_entries: usize,
}

fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

impl Metrics {
    pub fn update(&self, kind: &'static str) {
        self.updates.add(kind);
    }

    /// What the engine answered to a typed question.
    pub fn outcome(&self, outcome: &Outcome) {
        self.answers.add(match outcome {
            Outcome::Answer(_) => "answer",
            Outcome::Suggest(_) => "suggest",
            Outcome::Topic { .. } => "topic",
            Outcome::None(Decline::SmallTalk(_)) => "small_talk",
            Outcome::None(Decline::OutOfScope(_)) => "out_of_scope",
            Outcome::None(_) => "none",
        });
    }

    /// How long the engine took on one piece of work.
    pub fn engine_time(&self, took: Duration) {
        let secs = took.as_secs_f64();
        for (bucket, bound) in self.latency_buckets.iter().zip(LATENCY_BUCKETS) {
            if secs <= bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_sum_micros
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
        self.latency_count.fetch_add(1, Ordering::Relaxed);
    }

    /// A Bot API call failed this way (`network`, `server`, `retry_after`, …).
    pub fn api_error(&self, kind: &'static str) {
        self.api_errors.add(kind);
    }

    /// The Bot API answered (with a result or a refusal: it was reached).
    pub fn api_reached(&self) {
        self.api_reached.store(now_millis(), Ordering::Relaxed);
    }

    pub fn retry(&self) {
        self.retries.fetch_add(1, Ordering::Relaxed);
    }

    pub fn reload(&self, ok: bool) {
        self.reloads.add(if ok { "ok" } else { "refused" });
    }

    /// How long ago the Bot API last answered, if ever.
    pub fn api_reached_ago(&self) -> Option<Duration> {
        match self.api_reached.load(Ordering::Relaxed) {
            0 => None,
            at => Some(Duration::from_millis(
                now_millis().saturating_sub(at).max(0) as u64,
            )),
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self, gauges: Gauges) -> String {
        let mut out = String::new();
        let family = |out: &mut String, name: &str, kind: &str, help: &str| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        };
        family(
            &mut out,
            "yibao_updates_total",
            "counter",
            "Updates received, by kind.",
        );
        self.updates.render(
            &mut out,
            "yibao_updates_total",
            "kind",
            &["message", "callback_query", "inline_query", "other"],
        );
        family(
            &mut out,
            "yibao_answers_total",
            "counter",
            "Typed questions, by what the engine answered.",
        );
        self.answers.render(
            &mut out,
            "yibao_answers_total",
            "outcome",
            &[
                "answer",
                "suggest",
                "topic",
                "none",
                "out_of_scope",
                "small_talk",
            ],
        );
        family(
            &mut out,
            "yibao_engine_seconds",
            "histogram",
            "Time the answer engine took per question or lookup.",
        );
        for (bucket, bound) in self.latency_buckets.iter().zip(LATENCY_BUCKETS) {
            let _ = writeln!(
                out,
                "yibao_engine_seconds_bucket{{le=\"{bound}\"}} {}",
                bucket.load(Ordering::Relaxed)
            );
        }
        let count = self.latency_count.load(Ordering::Relaxed);
        let _ = writeln!(out, "yibao_engine_seconds_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(
            out,
            "yibao_engine_seconds_sum {}",
            self.latency_sum_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(out, "yibao_engine_seconds_count {count}");
        family(
            &mut out,
            "yibao_api_errors_total",
            "counter",
            "Failed Bot API calls, by kind.",
        );
        self.api_errors.render(
            &mut out,
            "yibao_api_errors_total",
            "kind",
            &[
                "network",
                "server",
                "retry_after",
                "conflict",
                "rejected",
                "unreadable",
            ],
        );
        family(
            &mut out,
            "yibao_retries_total",
            "counter",
            "Bot API calls tried again after a transient failure.",
        );
        let _ = writeln!(
            out,
            "yibao_retries_total {}",
            self.retries.load(Ordering::Relaxed)
        );
        family(
            &mut out,
            "yibao_pending_replies",
            "gauge",
            "Replies in the outbox, not delivered yet.",
        );
        let _ = writeln!(out, "yibao_pending_replies {}", gauges.pending_replies);
        family(
            &mut out,
            "yibao_reloads_total",
            "counter",
            "Corpus reloads, by result.",
        );
        self.reloads.render(
            &mut out,
            "yibao_reloads_total",
            "result",
            &["ok", "refused"],
        );
        family(
            &mut out,
            "yibao_corpus_entries",
            "gauge",
            "Entries in the corpus served.",
        );
        let _ = writeln!(out, "yibao_corpus_entries {}", gauges.corpus_entries);
        family(
            &mut out,
            "yibao_api_reached_seconds_ago",
            "gauge",
            "Seconds since the Bot API last answered (-1: never).",
        );
        let ago = self.api_reached_ago().map_or(-1.0, |d| d.as_secs_f64());
        let _ = writeln!(out, "yibao_api_reached_seconds_ago {ago:.1}");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_and_the_histogram_render_as_prometheus_text() {
        let m = Metrics::default();
        m.update("message");
        m.update("message");
        m.engine_time(Duration::from_millis(3));
        m.engine_time(Duration::from_millis(300));
        m.api_error("server");
        m.reload(false);
        let text = m.render(Gauges {
            pending_replies: 2,
            corpus_entries: 70,
        });
        for line in [
            "yibao_updates_total{kind=\"message\"} 2",
            "yibao_updates_total{kind=\"inline_query\"} 0",
            "yibao_engine_seconds_bucket{le=\"0.0025\"} 0",
            "yibao_engine_seconds_bucket{le=\"0.005\"} 1",
            "yibao_engine_seconds_bucket{le=\"0.5\"} 2",
            "yibao_engine_seconds_bucket{le=\"+Inf\"} 2",
            "yibao_engine_seconds_count 2",
            "yibao_api_errors_total{kind=\"server\"} 1",
            "yibao_reloads_total{result=\"refused\"} 1",
            "yibao_reloads_total{result=\"ok\"} 0",
            "yibao_pending_replies 2",
            "yibao_corpus_entries 70",
            "yibao_api_reached_seconds_ago -1.0",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
        }
        // Every sample's family is declared before it.
        let mut declared = Vec::new();
        for l in text.lines() {
            if let Some(rest) = l.strip_prefix("# TYPE ") {
                declared.push(rest.split(' ').next().unwrap().to_string());
            } else if !l.starts_with('#') {
                let name = l.split(['{', ' ']).next().unwrap();
                assert!(declared.iter().any(|d| name.starts_with(d.as_str())), "{l}");
            }
        }
    }
}
