//! Telegram's limits on sending, as a schedule: when may the next message to a chat go
//! out. Kept per chat, so that a busy chat only ever waits for itself, and overall.
//! Groups (negative chat ids) also keep a per-minute budget.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use super::config::RateLimits;

const SECOND: Duration = Duration::from_secs(1);
const MINUTE: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub struct Pace {
    limits: RateLimits,
    /// Sends within the last second, overall.
    overall: VecDeque<Instant>,
    chats: HashMap<i64, Recent>,
    recorded: u64,
}

#[derive(Debug, Default)]
struct Recent {
    /// Sends to this chat within the last minute.
    sends: VecDeque<Instant>,
}

/// Groups, supergroups and channels have negative ids; private chats positive ones.
pub fn is_group(chat: i64) -> bool {
    chat < 0
}

impl Pace {
    pub fn new(limits: RateLimits) -> Pace {
        Pace {
            limits,
            overall: VecDeque::new(),
            chats: HashMap::new(),
            recorded: 0,
        }
    }

    /// The earliest moment (not before `now`) a message to `chat` may go, as far as this
    /// chat's own limits go.
    pub fn next_for(&self, chat: i64, now: Instant) -> Instant {
        let Some(recent) = self.chats.get(&chat) else {
            return now;
        };
        let mut at = now;
        let per_sec = self.limits.per_chat_per_sec.max(1) as usize;
        if let Some(&t) = recent.sends.iter().rev().nth(per_sec - 1) {
            at = at.max(t + SECOND);
        }
        let per_min = self.limits.per_group_per_min.max(1) as usize;
        if is_group(chat)
            && let Some(&t) = recent.sends.iter().rev().nth(per_min - 1)
        {
            at = at.max(t + MINUTE);
        }
        at
    }

    /// The earliest moment (not before `now`) any message may go.
    pub fn next_overall(&self, now: Instant) -> Instant {
        let per_sec = self.limits.overall_per_sec.max(1) as usize;
        match self.overall.iter().rev().nth(per_sec - 1) {
            Some(&t) => now.max(t + SECOND),
            None => now,
        }
    }

    /// A message to `chat` goes out at `now`.
    pub fn record(&mut self, chat: i64, now: Instant) {
        while self
            .overall
            .front()
            .is_some_and(|&t| now.duration_since(t) >= SECOND)
        {
            self.overall.pop_front();
        }
        self.overall.push_back(now);
        let recent = self.chats.entry(chat).or_default();
        while recent
            .sends
            .front()
            .is_some_and(|&t| now.duration_since(t) >= MINUTE)
        {
            recent.sends.pop_front();
        }
        recent.sends.push_back(now);
        // Forget chats quiet for a minute now and then, so the map stays small.
        self.recorded += 1;
        if self.recorded.is_multiple_of(1024) {
            self.chats.retain(|_, r| {
                r.sends
                    .back()
                    .is_some_and(|&t| now.duration_since(t) < MINUTE)
            });
        }
    }

    #[cfg(test)]
    fn chats_remembered(&self) -> usize {
        self.chats.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn a_chat_gets_one_message_a_second_and_others_are_not_held_back() {
        let mut pace = Pace::new(RateLimits::default());
        let t0 = Instant::now();
        assert_eq!(pace.next_for(7, t0), t0);
        pace.record(7, t0);
        assert_eq!(pace.next_for(7, t0 + ms(10)), t0 + SECOND);
        assert_eq!(pace.next_for(8, t0 + ms(10)), t0 + ms(10));
        assert_eq!(pace.next_for(7, t0 + ms(1500)), t0 + ms(1500));
    }

    #[test]
    fn a_group_gets_twenty_a_minute() {
        let mut pace = Pace::new(RateLimits::default());
        let t0 = Instant::now();
        let g = -100;
        for i in 0..20 {
            let at = t0 + SECOND * i;
            assert_eq!(pace.next_for(g, at), at, "message {i}");
            pace.record(g, at);
        }
        assert_eq!(pace.next_for(g, t0 + SECOND * 20), t0 + MINUTE);
        // A private chat is not held to the group budget.
        for i in 0..25 {
            let at = t0 + SECOND * i;
            assert_eq!(pace.next_for(9, at), at);
            pace.record(9, at);
        }
    }

    #[test]
    fn thirty_a_second_overall() {
        let mut pace = Pace::new(RateLimits::default());
        let t0 = Instant::now();
        for chat in 0..30 {
            assert_eq!(pace.next_overall(t0 + ms(chat)), t0 + ms(chat));
            pace.record(chat as i64 + 1, t0 + ms(chat));
        }
        assert_eq!(pace.next_overall(t0 + ms(30)), t0 + SECOND);
        assert_eq!(pace.next_overall(t0 + ms(1001)), t0 + ms(1001));
    }

    #[test]
    fn quiet_chats_are_forgotten() {
        let mut pace = Pace::new(RateLimits::default());
        let t0 = Instant::now();
        for chat in 0..1023 {
            pace.record(chat + 1, t0);
        }
        pace.record(5000, t0 + MINUTE * 2);
        assert_eq!(pace.chats_remembered(), 1);
    }
}
