//! Key derivation: the parameters a keystore may carry, checked before any work is done.

use zeroize::Zeroizing;

use super::KeystoreError;

/// The largest scrypt `log2(n)` accepted: 20 (n = 1 048 576).
pub const MAX_SCRYPT_LOG_N: u8 = 20;
/// The most memory scrypt may use, `n * r * 128` bytes: 512 MiB.
pub const MAX_SCRYPT_MEMORY: u64 = 512 << 20;
/// The largest scrypt parallelism `p` accepted.
pub const MAX_SCRYPT_P: u32 = 16;
/// The most scrypt work accepted, `n * r * p * 128` bytes mixed: 1 GiB (four times geth's
/// standard n = 2^18, r = 8, p = 1).
pub const MAX_SCRYPT_WORK: u64 = 1 << 30;
/// The most PBKDF2 iterations accepted: 10 000 000.
pub const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;
/// Salts shorter or longer than this are refused (writers use 16 or 32 bytes).
pub(crate) const SALT_LENGTHS: std::ops::RangeInclusive<usize> = 8..=256;

/// How a keystore's AES key is derived from its password.
///
/// ```
/// use auth_signing::ethereum::keystore::Kdf;
/// assert_eq!(Kdf::SCRYPT_STANDARD, Kdf::Scrypt { log_n: 18, r: 8, p: 1 });
/// assert!(Kdf::Scrypt { log_n: 30, r: 8, p: 1 }.check().is_err()); // 128 GiB: refused
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kdf {
    /// scrypt with `n = 2^log_n`.
    Scrypt {
        /// `log2(n)`, the CPU/memory cost.
        log_n: u8,
        /// The block size.
        r: u32,
        /// The parallelism.
        p: u32,
    },
    /// PBKDF2-HMAC-SHA256.
    Pbkdf2 {
        /// The iteration count `c`.
        iterations: u32,
    },
}

impl Kdf {
    /// geth's and eth-account's standard: scrypt n = 2^18, r = 8, p = 1 (256 MiB, about a
    /// second). Use it for keys that matter.
    pub const SCRYPT_STANDARD: Kdf = Kdf::Scrypt {
        log_n: 18,
        r: 8,
        p: 1,
    };
    /// geth's `--lightkdf`: scrypt n = 2^12, r = 8, p = 6 (4 MiB, milliseconds). For tests
    /// and throwaway keys only: a stolen file is cheap to attack.
    pub const SCRYPT_LIGHT: Kdf = Kdf::Scrypt {
        log_n: 12,
        r: 8,
        p: 6,
    };

    /// Checks the parameters against the limits of this module, without deriving anything.
    pub fn check(&self) -> Result<(), KeystoreError> {
        match *self {
            Kdf::Scrypt { log_n, r, p } => check_scrypt(
                1u64.checked_shl(log_n.into()).unwrap_or(u64::MAX),
                u64::from(r),
                u64::from(p),
            )
            .map(|_| ()),
            Kdf::Pbkdf2 { iterations } => check_pbkdf2(u64::from(iterations)).map(|_| ()),
        }
    }

    /// Derives the 32-byte key. Checks the parameters first.
    pub(crate) fn derive(
        &self,
        password: &[u8],
        salt: &[u8],
    ) -> Result<Zeroizing<[u8; 32]>, KeystoreError> {
        self.check()?;
        let mut out = Zeroizing::new([0u8; 32]);
        match *self {
            Kdf::Scrypt { log_n, r, p } => {
                let params = scrypt::Params::new(log_n, r, p, 32).map_err(|_| {
                    KeystoreError::KdfParamsRefused {
                        param: "n",
                        value: 1u64 << log_n,
                        limit: "not accepted by scrypt",
                    }
                })?;
                scrypt::scrypt(password, salt, &params, &mut out[..]).map_err(|_| {
                    KeystoreError::KdfParamsRefused {
                        param: "dklen",
                        value: 32,
                        limit: "not accepted by scrypt",
                    }
                })?;
            }
            Kdf::Pbkdf2 { iterations } => {
                pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, iterations, &mut out[..]);
            }
        }
        Ok(out)
    }
}

fn refused(param: &'static str, value: u64, limit: &'static str) -> KeystoreError {
    KeystoreError::KdfParamsRefused {
        param,
        value,
        limit,
    }
}

/// Checks scrypt's `n`, `r`, `p` as a file states them; gives the [`Kdf`].
pub(crate) fn check_scrypt(n: u64, r: u64, p: u64) -> Result<Kdf, KeystoreError> {
    if n < 2 || !n.is_power_of_two() {
        return Err(refused("n", n, "must be a power of two, at least 2"));
    }
    let log_n = n.trailing_zeros();
    if log_n > u32::from(MAX_SCRYPT_LOG_N) {
        return Err(refused("n", n, "above 2^20"));
    }
    if r == 0 {
        return Err(refused("r", r, "must be at least 1"));
    }
    if p == 0 {
        return Err(refused("p", p, "must be at least 1"));
    }
    if p > u64::from(MAX_SCRYPT_P) {
        return Err(refused("p", p, "above 16"));
    }
    // n <= 2^20 and r, p are checked one at a time, so these products cannot overflow
    // unless r is absurd; saturate to be sure.
    let memory = n.saturating_mul(r).saturating_mul(128);
    if memory > MAX_SCRYPT_MEMORY {
        return Err(refused(
            "r",
            r,
            "n * r * 128 bytes of memory is above 512 MiB",
        ));
    }
    if memory.saturating_mul(p) > MAX_SCRYPT_WORK {
        return Err(refused("p", p, "n * r * p * 128 is above 1 GiB of work"));
    }
    // Both fit in u32 now: r <= 2^22 and p <= 16.
    let (r, p) = (r as u32, p as u32);
    Ok(Kdf::Scrypt {
        log_n: log_n as u8,
        r,
        p,
    })
}

/// Checks PBKDF2's iteration count; gives the [`Kdf`].
pub(crate) fn check_pbkdf2(c: u64) -> Result<Kdf, KeystoreError> {
    if c == 0 {
        return Err(refused("c", c, "must be at least 1"));
    }
    if c > u64::from(MAX_PBKDF2_ITERATIONS) {
        return Err(refused("c", c, "above 10 000 000 iterations"));
    }
    Ok(Kdf::Pbkdf2 {
        iterations: c as u32,
    })
}
