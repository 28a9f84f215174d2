//! The Bot API over HTTP. The bot calls it directly, not through teloxide's `Bot`, so
//! that every call has its own timeout and a failure says what happened in an operator's
//! words: a 502 is a 502 (not "an error while parsing JSON"), a refused connection is
//! refused, a 409 names the conflict. Requests are teloxide's payload types (they know
//! their method and their answer's type); nothing here ever prints the URL, which holds
//! the token.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use teloxide::requests::Payload;
use url::Url;

use super::config::Token;
use super::metrics::Metrics;

/// A connection to one bot's Bot API.
#[derive(Clone)]
pub struct Api {
    client: reqwest::Client,
    /// `{api}/bot{token}/`: a secret, since it holds the token.
    base: Url,
    /// Failures by kind, and when the API last answered (shared by every clone).
    metrics: Arc<Metrics>,
}

impl fmt::Debug for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Api(<hidden>)")
    }
}

/// Why a call did not succeed, classified by what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No HTTP answer (refused, reset, timed out, …): try again later.
    Network(&'static str),
    /// A 5xx from Telegram or a proxy in front of it: try again later.
    Server(u16),
    /// 429: Telegram asks to wait this long.
    RetryAfter(Duration),
    /// 409 on getUpdates: another instance polls with this token, or a webhook is set.
    Conflict(String),
    /// Any other 4xx: this request will never succeed as it is.
    Rejected { code: u16, description: String },
    /// An HTTP 200 whose body is not a Bot API answer.
    Unreadable,
}

impl Failure {
    /// Worth trying again (everything but a rejection).
    pub fn is_transient(&self) -> bool {
        !matches!(self, Failure::Rejected { .. })
    }

    /// Its kind, as the metrics label it.
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::Network(_) => "network",
            Failure::Server(_) => "server",
            Failure::RetryAfter(_) => "retry_after",
            Failure::Conflict(_) => "conflict",
            Failure::Rejected { .. } => "rejected",
            Failure::Unreadable => "unreadable",
        }
    }

    /// The same kind of failure (for logging an outage once, not every retry).
    pub fn same_kind(&self, other: &Failure) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Network(what) => f.write_str(what),
            Failure::Server(code) => write!(f, "HTTP {code}{}", reason(*code)),
            Failure::RetryAfter(d) => {
                write!(f, "429 Too Many Requests (retry after {} s)", d.as_secs())
            }
            Failure::Conflict(description) => write!(f, "409 {description}"),
            Failure::Rejected { code, description } => write!(f, "{code} {description}"),
            Failure::Unreadable => f.write_str("an answer that is not Bot API JSON"),
        }
    }
}

fn reason(code: u16) -> String {
    reqwest::StatusCode::from_u16(code)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(|r| format!(" {r}"))
        .unwrap_or_default()
}

/// What Telegram answers, successful or not.
#[derive(serde::Deserialize)]
struct Answer<T> {
    ok: bool,
    result: Option<T>,
    description: Option<String>,
    parameters: Option<Parameters>,
}

#[derive(serde::Deserialize)]
struct Parameters {
    retry_after: Option<u64>,
}

impl Api {
    /// `api_url` is Telegram's own when `None` (as with teloxide, its path is not used).
    pub fn new(token: &Token, api_url: Option<&Url>) -> Api {
        let root = api_url
            .cloned()
            .unwrap_or_else(|| Url::parse("https://api.telegram.org").expect("a valid URL"));
        let base = root
            .join(&format!("/bot{}/", token.expose()))
            .unwrap_or(root);
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .tcp_nodelay(true)
            .build()
            .unwrap_or_default();
        Api {
            client,
            base,
            metrics: Arc::default(),
        }
    }

    /// The bot's counters (API failures, retries, and everything else the bot counts).
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// Counts a failed call by its kind.
    fn counted<T>(&self, result: Result<T, Failure>) -> Result<T, Failure> {
        if let Err(failure) = &result {
            self.metrics.api_error(failure.kind());
        }
        result
    }

    /// Calls the payload's method; its answer is read as the payload's output type.
    pub async fn call<P>(&self, payload: &P, timeout: Duration) -> Result<P::Output, Failure>
    where
        P: Payload + Serialize,
        P::Output: DeserializeOwned,
    {
        let body = serde_json::to_vec(payload).map_err(|_| Failure::Unreadable)?;
        let answer = self.post(P::NAME, body, timeout).await;
        self.counted(answer.and_then(|(status, bytes)| read_answer(status, &bytes)))
    }

    /// Calls `method` with a JSON `body`; the answer's `result` is returned as it came
    /// (for getUpdates, which is read update by update), or the failure.
    pub async fn call_raw(
        &self,
        method: &str,
        body: Vec<u8>,
        timeout: Duration,
    ) -> Result<Vec<u8>, Failure> {
        let answer = self.post(method, body, timeout).await;
        self.counted(answer.and_then(|(status, bytes)| {
            if status == 200 {
                Ok(bytes)
            } else {
                Err(read_answer::<serde::de::IgnoredAny>(status, &bytes)
                    .err()
                    .unwrap_or(Failure::Unreadable))
            }
        }))
    }

    async fn post(
        &self,
        method: &str,
        body: Vec<u8>,
        timeout: Duration,
    ) -> Result<(u16, Vec<u8>), Failure> {
        let url = self.base.join(method).map_err(|_| Failure::Unreadable)?;
        let response = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .timeout(timeout)
            .send()
            .await
            .map_err(network)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(network)?;
        // An answer from Telegram (not a proxy's 5xx): the API was reached.
        if status < 500 {
            self.metrics.api_reached();
        }
        Ok((status, bytes.to_vec()))
    }
}

/// A Bot API answer: its result, or the failure it describes (by the HTTP status when
/// the body says nothing usable).
fn read_answer<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, Failure> {
    let answer = serde_json::from_slice::<Answer<T>>(body).ok();
    if status == 200 {
        return match answer {
            Some(Answer {
                ok: true,
                result: Some(result),
                ..
            }) => Ok(result),
            _ => Err(Failure::Unreadable),
        };
    }
    let (description, retry_after) = match answer {
        Some(a) => (
            a.description.filter(|d| !d.is_empty()),
            a.parameters.and_then(|p| p.retry_after),
        ),
        None => (None, None),
    };
    let code = status;
    Err(match code {
        429 => Failure::RetryAfter(Duration::from_secs(retry_after.unwrap_or(1).max(1))),
        409 => Failure::Conflict(description.unwrap_or_else(|| "Conflict".into())),
        500.. => Failure::Server(code),
        _ => Failure::Rejected {
            code,
            description: description.unwrap_or_else(|| reason(code).trim().to_string()),
        },
    })
}

/// A transport error, in words (never with the URL, which holds the token).
fn network(err: reqwest::Error) -> Failure {
    if err.is_timeout() {
        return Failure::Network("timed out");
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            return Failure::Network(match io.kind() {
                ConnectionRefused => "connection refused",
                ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof => {
                    "connection reset"
                }
                TimedOut => "timed out",
                _ => "network error",
            });
        }
        source = e.source();
    }
    if err.is_connect() {
        Failure::Network("cannot connect")
    } else {
        Failure::Network("connection closed without an answer")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_classified_by_what_to_do() {
        let ok: Result<bool, _> = read_answer(200, br#"{"ok":true,"result":true}"#);
        assert_eq!(ok, Ok(true));
        let cases: &[(u16, &[u8], Failure)] = &[
            (
                502,
                b"<html>502 Bad Gateway</html>",
                Failure::Server(502),
            ),
            (
                500,
                br#"{"ok":false,"error_code":500,"description":"Internal Server Error"}"#,
                Failure::Server(500),
            ),
            (
                429,
                br#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}"#,
                Failure::RetryAfter(Duration::from_secs(3)),
            ),
            (
                409,
                br#"{"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates request"}"#,
                Failure::Conflict("Conflict: terminated by other getUpdates request".into()),
            ),
            (
                403,
                br#"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#,
                Failure::Rejected {
                    code: 403,
                    description: "Forbidden: bot was blocked by the user".into(),
                },
            ),
            (
                404,
                b"",
                Failure::Rejected {
                    code: 404,
                    description: "Not Found".into(),
                },
            ),
            (200, br#"{"ok":true,"result":[{"update_id":"#, Failure::Unreadable),
        ];
        for (status, body, want) in cases {
            let got: Result<bool, Failure> = read_answer(*status, body);
            assert_eq!(got.as_ref(), Err(want), "{status}");
        }
        assert_eq!(Failure::Server(502).to_string(), "HTTP 502 Bad Gateway");
        assert!(
            !Failure::Rejected {
                code: 400,
                description: String::new()
            }
            .is_transient()
        );
        assert!(Failure::Network("timed out").is_transient());
    }
}
