//! A stop asked from outside the run (Ctrl-C, SIGTERM), in two degrees: asked once, no step
//! or probe starts and requests in flight settle (answer or time out); asked again, requests
//! in flight are abandoned at once. Either way the run is reported as interrupted.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::watch;

/// How many times a stop was asked; clones share it.
#[derive(Debug, Clone)]
pub struct Stop {
    asked: Arc<watch::Sender<u8>>,
}

impl Default for Stop {
    fn default() -> Self {
        Stop { asked: Arc::new(watch::Sender::new(0)) }
    }
}

impl Stop {
    /// Asks once more: the first time stops what has not started, the second abandons what
    /// is in flight.
    pub fn request(&self) {
        self.asked.send_modify(|n| *n = n.saturating_add(1));
    }

    /// Nothing new may start.
    pub fn requested(&self) -> bool {
        *self.asked.borrow() >= 1
    }

    /// What is in flight is abandoned.
    pub fn aborted(&self) -> bool {
        *self.asked.borrow() >= 2
    }

    /// Runs `work` to its end, or `None` when the stop is asked a second time first.
    pub async fn unless_aborted<F: Future>(&self, work: F) -> Option<F::Output> {
        let mut asked = self.asked.subscribe();
        tokio::select! {
            biased;
            _ = asked.wait_for(|n| *n >= 2) => None,
            out = work => Some(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn one_request_lets_work_in_flight_finish() {
        let stop = Stop::default();
        stop.request();
        assert!(stop.requested() && !stop.aborted());
        let work = async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            7
        };
        assert_eq!(stop.unless_aborted(work).await, Some(7));
    }

    #[tokio::test]
    async fn a_second_request_abandons_work_in_flight() {
        let stop = Stop::default();
        let asker = stop.clone();
        tokio::spawn(async move {
            asker.request();
            tokio::time::sleep(Duration::from_millis(20)).await;
            asker.request();
        });
        let hangs = std::future::pending::<()>();
        let abandoned = tokio::time::timeout(Duration::from_secs(10), stop.unless_aborted(hangs)).await;
        assert_eq!(abandoned, Ok(None), "the hanging work is abandoned, not waited for");
        assert!(stop.aborted());
    }

    #[tokio::test]
    async fn work_started_after_the_second_request_is_not_run() {
        let stop = Stop::default();
        stop.request();
        stop.request();
        assert_eq!(stop.unless_aborted(async { 1 }).await, None);
    }
}
