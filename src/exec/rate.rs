//! A target's rate limit: at most N requests a second, across every request konform sends
//! it (scenario steps, retries, preflight and profile probes, OAuth2 token calls), however
//! many run at once. A token bucket holding one token: requests are started at least
//! `1/N` seconds apart, in the order they asked, so no second ever sees more than N of them
//! start (a burst would let 2N into one second after a quiet one).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

/// Shared by clones: one limiter per target.
#[derive(Debug, Clone)]
pub struct RateLimit {
    interval: Duration,
    /// When the next request may start.
    next: Arc<Mutex<Option<Instant>>>,
}

impl RateLimit {
    /// `per_second` requests a second (more than 0, finite: checked where it is read).
    pub fn new(per_second: f64) -> RateLimit {
        let interval = Duration::try_from_secs_f64(1.0 / per_second).unwrap_or(Duration::MAX);
        RateLimit { interval, next: Arc::new(Mutex::new(None)) }
    }

    /// Waits for this request's turn. Each caller reserves its own slot before it sleeps,
    /// so callers are served in the order they asked and none is starved.
    pub async fn acquire(&self) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot.checked_add(self.interval).unwrap_or(slot));
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each start is at or after its slot (timers never fire early): the k-th start is at
    /// least k intervals after the first request asked, however the tasks interleave.
    #[tokio::test]
    async fn concurrent_requests_start_one_interval_apart() {
        let limit = RateLimit::new(50.0);
        let asked = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let limit = limit.clone();
            tasks.spawn(async move {
                limit.acquire().await;
                Instant::now()
            });
        }
        let mut started = Vec::new();
        while let Some(done) = tasks.join_next().await {
            started.push(done.unwrap());
        }
        started.sort();
        for (k, at) in started.iter().enumerate() {
            assert!(*at - asked >= Duration::from_millis(20) * k as u32, "start {k} came early");
        }
    }

    #[tokio::test]
    async fn a_quiet_spell_gives_no_burst() {
        let limit = RateLimit::new(20.0);
        limit.acquire().await;
        tokio::time::sleep(Duration::from_millis(120)).await;
        let asked = Instant::now();
        for _ in 0..3 {
            limit.acquire().await;
        }
        assert!(Instant::now() - asked >= Duration::from_millis(100), "after a pause, requests still wait their turn");
    }
}
