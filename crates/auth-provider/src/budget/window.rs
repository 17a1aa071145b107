//! The sliding-window guard: a request is sent only when fewer than `requests` of the
//! last ones could have reached the server within the window before it. A request counts
//! from when it was sent until its answer came back, which is after the server counted
//! it; so however late a paced request arrives, no window the server sees holds one too
//! many.

use std::collections::VecDeque;
use std::time::Duration;

/// The last `requests` requests of one host: `None` while in flight, else when their
/// answer (or failure) came back, from the budget's origin.
#[derive(Debug, Default)]
pub(crate) struct Window {
    next: u64,
    recent: VecDeque<(u64, Option<Duration>)>,
}

/// What the guard decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admit {
    /// Sent: the request's number, to [`Window::done`] when it ends.
    Sent(u64),
    /// Not before `wait` from now.
    Wait(Duration),
    /// The oldest of the last ones is still in flight: look again soon.
    InFlight,
}

impl Window {
    /// Admits a request at `now` if fewer than `requests` of the last ones may lie within
    /// `window` before it.
    pub(crate) fn admit(&mut self, now: Duration, requests: u32, window: Duration) -> Admit {
        let requests = requests.max(1) as usize;
        while self.recent.len() > requests {
            self.recent.pop_front();
        }
        if self.recent.len() == requests {
            match self.recent.front() {
                Some((_, None)) => return Admit::InFlight,
                Some((_, Some(done))) => {
                    let free = done.saturating_add(window);
                    if free > now {
                        return Admit::Wait(free - now);
                    }
                    self.recent.pop_front();
                }
                None => {}
            }
        }
        let id = self.next;
        self.next += 1;
        self.recent.push_back((id, None));
        Admit::Sent(id)
    }

    /// Request `id` ended at `at`.
    pub(crate) fn done(&mut self, id: u64, at: Duration) {
        if let Some(entry) = self.recent.iter_mut().find(|(i, _)| *i == id) {
            entry.1 = Some(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn the_nth_request_waits_for_the_oldest_answer_plus_the_window() {
        let mut w = Window::default();
        assert_eq!(w.admit(Duration::ZERO, 2, 1000 * MS), Admit::Sent(0));
        assert_eq!(w.admit(10 * MS, 2, 1000 * MS), Admit::Sent(1));
        // The oldest is in flight: it may reach the server any time.
        assert_eq!(w.admit(20 * MS, 2, 1000 * MS), Admit::InFlight);
        w.done(0, 30 * MS);
        assert_eq!(w.admit(40 * MS, 2, 1000 * MS), Admit::Wait(990 * MS));
        assert_eq!(w.admit(1030 * MS, 2, 1000 * MS), Admit::Sent(2));
        assert_eq!(w.admit(1030 * MS, 2, 1000 * MS), Admit::InFlight);
    }
}
