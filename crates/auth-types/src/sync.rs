//! A mutex guard that outlives a panic elsewhere.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks `mutex`, taking the guard even if a thread panicked while holding it.
///
/// Every mutex of this workspace guards data that stays consistent between statements (a
/// counter, a map, a slot swapped whole), so a panic in another holder leaves nothing half
/// written: refusing the lock would turn one panic into a failure of every later caller.
///
/// ```
/// use std::sync::Mutex;
///
/// let seen = Mutex::new(0_u32);
/// *auth_types::lock(&seen) += 1;
/// assert_eq!(*auth_types::lock(&seen), 1);
/// ```
pub fn lock<T: ?Sized>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    #[test]
    fn a_poisoned_mutex_still_locks() {
        let shared = Arc::new(Mutex::new(vec![1]));
        let held = Arc::clone(&shared);
        let panicked = std::thread::spawn(move || {
            let _guard = held.lock();
            panic!("poison it");
        })
        .join();
        assert!(panicked.is_err());
        assert!(shared.is_poisoned());
        super::lock(&shared).push(2);
        assert_eq!(*super::lock(&shared), vec![1, 2]);
    }
}
