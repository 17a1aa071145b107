//! The one loop every kind of sign-in runs: the wallet's account in, what to sign out,
//! the signature in and checked, within the timeout.

use std::fmt;
use std::future::Future;

use crate::server::{Event, Kind};
use crate::{BrowserError, BrowserSignIn};

/// One kind of signature: how to read the wallet's account, what the page gets for what
/// the caller prepared, and how to check what comes back.
pub(crate) trait Flow {
    /// The wallet's account, parsed.
    type Account: Clone + fmt::Display;
    /// What the caller's `prepare` returns for the account.
    type Prepared;
    /// What the check needs: the account and what it was asked to sign.
    type Pending;
    /// The checked result.
    type Signed;
    /// What the page asks the wallet for.
    const KIND: Kind;
    /// What an account of this kind looks like, for an error.
    const ACCOUNT: &'static str;

    /// Parses the account the page posted.
    fn account(text: &str) -> Option<Self::Account>;

    /// What the page gets (shown and signed), and what the check will need.
    fn offer(
        account: Self::Account,
        prepared: Self::Prepared,
    ) -> Result<(serde_json::Value, Self::Pending), BrowserError>;

    /// Checks the posted account and signature against what was offered.
    fn check(
        pending: Self::Pending,
        address: &str,
        signature: &str,
    ) -> Result<Self::Signed, BrowserError>;
}

impl BrowserSignIn {
    /// Runs `F` with the caller's `prepare`; see the `sign_*` methods.
    pub(crate) async fn run<F, P, Fut, E>(
        &mut self,
        mut prepare: P,
    ) -> Result<F::Signed, BrowserError>
    where
        F: Flow,
        P: FnMut(F::Account) -> Fut,
        Fut: Future<Output = Result<F::Prepared, E>>,
        E: fmt::Display,
    {
        self.served.set_kind(F::KIND);
        let timeout = self.timeout;
        let events = &mut self.events;
        let run = async {
            let mut pending: Option<F::Pending> = None;
            loop {
                let Some(event) = events.recv().await else {
                    return Err(BrowserError::Stopped);
                };
                match event {
                    Event::Account { address, reply } => {
                        let Some(account) = F::account(&address) else {
                            // Not fatal: the page may try again with a proper account.
                            let _ = reply.send(Err(format!(
                                "the wallet's account {address:?} is not {}",
                                F::ACCOUNT
                            )));
                            continue;
                        };
                        let prepared = match prepare(account.clone()).await {
                            Ok(prepared) => prepared,
                            Err(e) => {
                                let error = BrowserError::Prepare {
                                    address: account.to_string(),
                                    reason: e.to_string(),
                                };
                                let _ = reply.send(Err(error.to_string()));
                                return Err(error);
                            }
                        };
                        match F::offer(account, prepared) {
                            Ok((page, offered)) => {
                                let _ = reply.send(Ok(page));
                                pending = Some(offered);
                            }
                            Err(error) => {
                                let _ = reply.send(Err(error.to_string()));
                                return Err(error);
                            }
                        }
                    }
                    Event::Signature {
                        address,
                        signature,
                        reply,
                    } => {
                        let result = match pending.take() {
                            Some(offered) => F::check(offered, &address, &signature),
                            None => Err(BrowserError::OutOfOrder),
                        };
                        let _ = reply.send(match &result {
                            Ok(_) => Ok(()),
                            Err(e) => Err(e.to_string()),
                        });
                        return result;
                    }
                }
            }
        };
        match tokio::time::timeout(timeout, run).await {
            Ok(result) => result,
            Err(_) => Err(BrowserError::TimedOut(timeout)),
        }
    }
}
