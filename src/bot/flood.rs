//! Flood control, by the questions' own dates (when the user typed them, not when the
//! bot got to them: a backlog after an outage arrives all at once, but was typed at a
//! normal pace). A user who types more than a few questions in a short time gets one
//! notice saying how long to wait; what they ask meanwhile is answered when the pause
//! ends, up to a few questions. Nothing is dropped without the user having been told.
//! Button taps are not typed questions and are not counted.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use super::config::FloodLimit;

/// When to answer a user's question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// At once.
    Now,
    /// Not before `until` (unix seconds); `notice`: this is the first over the limit,
    /// so say how long to wait.
    Later { until: i64, notice: bool },
    /// Past what a pause holds (the notice said how many): not answered.
    Not,
}

#[derive(Debug, Default)]
struct Recent {
    /// Dates of the questions counted in the current window.
    asked: VecDeque<i64>,
    paused_until: Option<i64>,
    /// Questions held for the end of the pause.
    held: usize,
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

    /// How many questions a pause holds (and the window allows).
    pub fn max(&self) -> usize {
        self.limit.max
    }

    /// Counts a question `user` typed at `date` (unix seconds) and says when to answer.
    pub fn check(&self, user: u64, date: i64) -> Verdict {
        let window = self.limit.window.as_secs() as i64;
        let pause = self.limit.pause.as_secs() as i64;
        let mut users = self.users.lock().unwrap_or_else(|e| e.into_inner());
        // Forget users who have been quiet for a whole window, so the map stays small.
        if users.len() > 10_000 {
            users.retain(|_, r| {
                r.paused_until.is_some_and(|t| t > date)
                    || r.asked.back().is_some_and(|&t| date - t < window)
            });
        }
        let recent = users.entry(user).or_default();
        if let Some(until) = recent.paused_until {
            if date < until {
                if recent.held >= self.limit.max {
                    return Verdict::Not;
                }
                recent.held += 1;
                return Verdict::Later {
                    until,
                    notice: false,
                };
            }
            recent.paused_until = None;
            recent.held = 0;
        }
        while recent.asked.front().is_some_and(|&t| date - t >= window) {
            recent.asked.pop_front();
        }
        recent.asked.push_back(date);
        if recent.asked.len() > self.limit.max {
            recent.asked.clear();
            let until = date + pause;
            recent.paused_until = Some(until);
            recent.held = 1;
            return Verdict::Later {
                until,
                notice: true,
            };
        }
        Verdict::Now
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_800_000_000;

    #[test]
    fn the_sixth_question_in_thirty_seconds_waits_for_the_pause_with_one_notice() {
        let guard = FloodGuard::new(FloodLimit::default());
        for i in 0..5 {
            assert_eq!(guard.check(1, T0 + i), Verdict::Now);
        }
        let until = T0 + 5 + 60;
        assert_eq!(
            guard.check(1, T0 + 5),
            Verdict::Later {
                until,
                notice: true
            }
        );
        // During the pause: held silently, up to five in all; then not answered.
        for i in 0..4 {
            assert_eq!(
                guard.check(1, T0 + 6 + i),
                Verdict::Later {
                    until,
                    notice: false
                }
            );
        }
        assert_eq!(guard.check(1, T0 + 20), Verdict::Not);
        // Another user is unaffected.
        assert_eq!(guard.check(2, T0 + 6), Verdict::Now);
        // After the pause, the user is heard again.
        assert_eq!(guard.check(1, until), Verdict::Now);
    }

    #[test]
    fn questions_spread_out_are_never_limited_even_when_they_arrive_together() {
        let guard = FloodGuard::new(FloodLimit::default());
        // Seven questions typed 8 s apart (at most four in any 30 s), handled at once.
        for i in 0..7 {
            assert_eq!(guard.check(1, T0 + i * 8), Verdict::Now, "question {i}");
        }
        for i in 0..20 {
            assert_eq!(guard.check(3, T0 + i * 7), Verdict::Now);
        }
    }
}
