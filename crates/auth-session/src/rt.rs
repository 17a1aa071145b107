//! The runtime seam: the concurrency primitives the session is built on, named in one
//! place: spawning a task, the monotonic clock, timers, its locks and the swappable
//! current token.
//!
//! In every build a user or an integration test sees, these are Tokio's, the standard
//! library's and `arc-swap`'s, re-exported unchanged. In this crate's own unit tests (`cfg(test)`) they are `shuttle`'s scheduler
//! and locks and a virtual clock ([`clock`]), so that the model check in
//! `session/model/` runs the session's real code under schedules it controls: every lock,
//! every load or swap of the current token, every spawn and every timer is a point where
//! another task may run.

#[cfg(test)]
pub(crate) use self::model_rt::*;
#[cfg(not(test))]
pub(crate) use self::tokio_rt::*;

/// The monotonic instant of every deadline (Tokio's, so that tests can pause time).
pub(crate) use tokio::time::Instant;

/// A [`timeout`] ran out before its future finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Elapsed;

/// The production runtime: Tokio, `std` and `arc-swap`, unchanged.
#[cfg(not(test))]
mod tokio_rt {
    use std::future::Future;
    use std::time::Duration;

    use super::{Elapsed, Instant};

    pub(crate) use arc_swap::ArcSwapOption;
    pub(crate) use auth_types::lock;
    pub(crate) use std::sync::Mutex;
    pub(crate) use tokio::sync::Mutex as AsyncMutex;

    /// A spawned task; dropping it detaches the task, `abort` ends it.
    pub(crate) type Task = tokio::task::JoinHandle<()>;

    /// The monotonic clock.
    #[inline]
    pub(crate) fn now() -> Instant {
        Instant::now()
    }

    /// Runs `task` on the Tokio runtime.
    pub(crate) fn spawn(task: impl Future<Output = ()> + Send + 'static) -> Task {
        tokio::spawn(task)
    }

    /// `future`'s output, or [`Elapsed`] once `after` has passed.
    pub(crate) async fn timeout<F: Future>(
        after: Duration,
        future: F,
    ) -> Result<F::Output, Elapsed> {
        tokio::time::timeout(after, future)
            .await
            .map_err(|_| Elapsed)
    }

    /// Waits until `deadline`.
    pub(crate) async fn sleep_until(deadline: Instant) {
        tokio::time::sleep_until(deadline).await;
    }
}

/// The model runtime of this crate's unit tests: shuttle's scheduler and locks, and a
/// virtual clock that only [`clock::advance`] moves.
#[cfg(test)]
mod model_rt {
    use std::future::Future;
    use std::pin::{Pin, pin};
    use std::sync::Arc;
    use std::task::{Context, Poll};
    use std::time::Duration;

    use super::{Elapsed, Instant, clock};

    pub(crate) use shuttle::sync::Mutex;
    use shuttle::sync::MutexGuard;

    /// `auth_types::lock` for shuttle's mutex: the guard, even after a panic elsewhere.
    pub(crate) fn lock<T: ?Sized>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
        mutex
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A spawned task; dropping it detaches the task, `abort` ends it.
    pub(crate) type Task = shuttle::future::JoinHandle<()>;

    /// The virtual monotonic clock.
    pub(crate) fn now() -> Instant {
        clock::now()
    }

    /// Runs `task` as a shuttle task.
    pub(crate) fn spawn(task: impl Future<Output = ()> + Send + 'static) -> Task {
        shuttle::future::spawn(task)
    }

    /// A point where the scheduler may run another task.
    pub(crate) fn switch() {
        shuttle::thread::yield_now();
    }

    /// `future`'s output, or [`Elapsed`] once the virtual clock passed `after`.
    pub(crate) async fn timeout<F: Future>(
        after: Duration,
        future: F,
    ) -> Result<F::Output, Elapsed> {
        let mut future = pin!(future);
        let mut sleep = Sleep(now().checked_add(after));
        std::future::poll_fn(|cx| {
            if let Poll::Ready(output) = future.as_mut().poll(cx) {
                return Poll::Ready(Ok(output));
            }
            Pin::new(&mut sleep).poll(cx).map(|()| Err(Elapsed))
        })
        .await
    }

    /// Waits until the virtual clock reaches `deadline`.
    pub(crate) async fn sleep_until(deadline: Instant) {
        Sleep(Some(deadline)).await;
    }

    /// Ready once the virtual clock reaches the deadline (`None`: never).
    struct Sleep(Option<Instant>);

    impl Future for Sleep {
        type Output = ();

        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            match self.0 {
                Some(deadline) if deadline <= now() => Poll::Ready(()),
                deadline => {
                    clock::wake_at(deadline, cx.waker().clone());
                    Poll::Pending
                }
            }
        }
    }

    /// Tokio's mutex (it works on any executor), with a scheduling point before each lock.
    pub(crate) struct AsyncMutex<T>(tokio::sync::Mutex<T>);

    impl<T> AsyncMutex<T> {
        pub(crate) fn new(value: T) -> Self {
            AsyncMutex(tokio::sync::Mutex::new(value))
        }

        pub(crate) async fn lock(&self) -> tokio::sync::MutexGuard<'_, T> {
            shuttle::future::yield_now().await;
            self.0.lock().await
        }
    }

    /// `arc-swap`'s `ArcSwapOption`, with a scheduling point before each access (its own
    /// atomics are invisible to shuttle).
    pub(crate) struct ArcSwapOption<T>(arc_swap::ArcSwapOption<T>);

    impl<T> ArcSwapOption<T> {
        pub(crate) fn empty() -> Self {
            ArcSwapOption(arc_swap::ArcSwapOption::empty())
        }

        pub(crate) fn load(&self) -> arc_swap::Guard<Option<Arc<T>>> {
            switch();
            self.0.load()
        }

        pub(crate) fn load_full(&self) -> Option<Arc<T>> {
            switch();
            self.0.load_full()
        }

        pub(crate) fn swap(&self, value: Option<Arc<T>>) -> Option<Arc<T>> {
            switch();
            self.0.swap(value)
        }

        pub(crate) fn compare_and_swap<C: arc_swap::AsRaw<T>>(
            &self,
            current: C,
            new: Option<Arc<T>>,
        ) -> arc_swap::Guard<Option<Arc<T>>> {
            switch();
            self.0.compare_and_swap(current, new)
        }
    }
}

/// The virtual clock of the model check: a monotonic and a wall clock that stand still
/// until [`advance`] moves both by the same amount, waking the timers that are due.
/// One per OS thread (a shuttle execution runs on the thread of its test).
#[cfg(test)]
pub(crate) mod clock {
    use std::cell::RefCell;
    use std::task::Waker;
    use std::time::{Duration, SystemTime};

    use super::Instant;

    /// What the wall clock reads at the start of an execution.
    const WALL_START: Duration = Duration::from_secs(1_700_000_000);

    struct State {
        /// Where the monotonic clock starts (a real instant: only differences count).
        start: Instant,
        /// How far the clock has been advanced.
        elapsed: Duration,
        /// Tasks waiting for a deadline (`None`: never).
        timers: Vec<(Option<Instant>, Waker)>,
    }

    std::thread_local! {
        static STATE: RefCell<State> = RefCell::new(State {
            start: Instant::now(),
            elapsed: Duration::ZERO,
            timers: Vec::new(),
        });
    }

    /// Sets the clock back to its start and forgets every timer (each execution first).
    pub(crate) fn reset() {
        STATE.with_borrow_mut(|state| {
            state.elapsed = Duration::ZERO;
            state.timers.clear();
        });
    }

    /// The monotonic clock.
    pub(crate) fn now() -> Instant {
        STATE.with_borrow(|state| state.start + state.elapsed)
    }

    /// The wall clock.
    pub(crate) fn wall() -> SystemTime {
        SystemTime::UNIX_EPOCH + WALL_START + STATE.with_borrow(|state| state.elapsed)
    }

    /// Moves both clocks on by `by` and wakes the timers that are due.
    pub(crate) fn advance(by: Duration) {
        let due: Vec<Waker> = STATE.with_borrow_mut(|state| {
            state.elapsed += by;
            let now = state.start + state.elapsed;
            let (due, waiting) = std::mem::take(&mut state.timers)
                .into_iter()
                .partition(|(deadline, _)| deadline.is_some_and(|d| d <= now));
            state.timers = waiting;
            due.into_iter().map(|(_, waker)| waker).collect()
        });
        due.into_iter().for_each(Waker::wake);
    }

    /// Wakes `waker` once the clock reaches `deadline`.
    pub(super) fn wake_at(deadline: Option<Instant>, waker: Waker) {
        STATE.with_borrow_mut(|state| state.timers.push((deadline, waker)));
    }
}
