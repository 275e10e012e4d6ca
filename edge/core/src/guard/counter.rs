//! A fixed-window counter, the unit of every throttle the guard keeps.

use serde::{Deserialize, Serialize};

use crate::time::{UnixMillis, SECOND};

/// A fixed-window counter: at most `limit` hits per `window_ms`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowCounter {
    pub window_start: UnixMillis,
    pub count: u32,
}

impl WindowCounter {
    fn current(self, now: UnixMillis, window_ms: i64) -> WindowCounter {
        if now >= self.window_start + window_ms || now < self.window_start {
            WindowCounter {
                window_start: now,
                count: 0,
            }
        } else {
            self
        }
    }

    /// Seconds until the window frees a hit, or `None` when one is free now.
    pub fn retry_after(self, now: UnixMillis, window_ms: i64, limit: u32) -> Option<u64> {
        let current = self.current(now, window_ms);
        (current.count >= limit).then(|| seconds_until(now, current.window_start + window_ms))
    }

    pub fn hit(self, now: UnixMillis, window_ms: i64) -> WindowCounter {
        let current = self.current(now, window_ms);
        WindowCounter {
            count: current.count + 1,
            ..current
        }
    }
}

pub(crate) fn seconds_until(now: UnixMillis, at: UnixMillis) -> u64 {
    ((at - now).max(0) as u64).div_ceil(SECOND as u64).max(1)
}
