//! Flood control: a user who asks more than a few questions in a short time gets one
//! polite notice and is ignored for a while; everybody else is unaffected.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Instant;

use super::config::FloodLimit;

/// What to do with a user's next question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// Over the limit just now: say so once.
    Warn,
    /// Still paused: stay silent.
    Ignore,
}

#[derive(Debug, Default)]
struct Recent {
    asked: VecDeque<Instant>,
    paused_until: Option<Instant>,
}

#[derive(Debug)]
pub struct FloodGuard {
    limit: FloodLimit,
    users: Mutex<HashMap<u64, Recent>>,
}

impl FloodGuard {
    pub fn new(limit: FloodLimit) -> FloodGuard {
        FloodGuard {
            limit,
            users: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a question from `user` at `now` and says whether to answer it.
    pub fn check(&self, user: u64, now: Instant) -> Verdict {
        let mut users = self.users.lock().unwrap_or_else(|e| e.into_inner());
        // Forget users who have been quiet for a whole window, so the map stays small.
        if users.len() > 10_000 {
            let window = self.limit.window;
            users.retain(|_, r| {
                r.paused_until.is_some_and(|t| t > now)
                    || r.asked
                        .back()
                        .is_some_and(|&t| now.duration_since(t) < window)
            });
        }
        let recent = users.entry(user).or_default();
        if let Some(until) = recent.paused_until {
            if now < until {
                return Verdict::Ignore;
            }
            recent.paused_until = None;
        }
        while recent
            .asked
            .front()
            .is_some_and(|&t| now.duration_since(t) >= self.limit.window)
        {
            recent.asked.pop_front();
        }
        recent.asked.push_back(now);
        if recent.asked.len() > self.limit.max {
            recent.asked.clear();
            recent.paused_until = Some(now + self.limit.pause);
            return Verdict::Warn;
        }
        Verdict::Allow
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn the_sixth_question_in_thirty_seconds_warns_once_then_pauses() {
        let guard = FloodGuard::new(FloodLimit::default());
        let t0 = Instant::now();
        for i in 0..5 {
            assert_eq!(guard.check(1, t0 + Duration::from_secs(i)), Verdict::Allow);
        }
        assert_eq!(guard.check(1, t0 + Duration::from_secs(5)), Verdict::Warn);
        assert_eq!(guard.check(1, t0 + Duration::from_secs(6)), Verdict::Ignore);
        // Another user is unaffected.
        assert_eq!(guard.check(2, t0 + Duration::from_secs(6)), Verdict::Allow);
        // After the pause, the user is heard again.
        assert_eq!(guard.check(1, t0 + Duration::from_secs(70)), Verdict::Allow);
    }

    #[test]
    fn questions_spread_out_are_never_limited() {
        let guard = FloodGuard::new(FloodLimit::default());
        let t0 = Instant::now();
        for i in 0..20 {
            assert_eq!(
                guard.check(1, t0 + Duration::from_secs(i * 7)),
                Verdict::Allow
            );
        }
    }
}
