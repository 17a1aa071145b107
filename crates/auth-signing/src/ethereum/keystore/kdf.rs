//! Key derivation: the parameters a keystore may carry, checked before any work is done.

use zeroize::Zeroizing;

use super::KeystoreError;

/// The largest scrypt `log2(n)` accepted: 20 (n = 1 048 576).
pub const MAX_SCRYPT_LOG_N: u8 = 20;
/// The most memory scrypt may allocate for one derivation: 512 MiB.
///
/// RustCrypto's `scrypt` (0.11) holds three buffers at once, all of them counted:
/// `V`, `128 * r * n` bytes; `B`, `128 * r * p` bytes (the `p` lanes run one after the
/// other, sharing `V`); and a mix buffer of `128 * r` bytes. Parameters are refused when
/// `128 * r * (n + p + 1)` is above this. The PBKDF2-HMAC-SHA256 steps around it use no
/// heap. geth's standard (n = 2^18, r = 8, p = 1) needs 256 MiB and 2 KiB; n = 2^19,
/// r = 8 (`V` alone 512 MiB) is refused.
pub const MAX_SCRYPT_MEMORY: u64 = 512 << 20;
/// The largest scrypt parallelism `p` accepted.
pub const MAX_SCRYPT_P: u32 = 16;
/// The most scrypt work accepted, `n * r * p * 128` bytes mixed: 1 GiB (four times geth's
/// standard n = 2^18, r = 8, p = 1).
///
/// This bounds scrypt's mixing (its `p` lanes of `2 * n` block mixes of `128 * r` bytes).
/// scrypt's time has one more part, PBKDF2-HMAC-SHA256 writing and then reading `B`
/// (`128 * r * p` bytes), which [`MAX_SCRYPT_MEMORY`] bounds. With both limits the
/// slowest accepted parameters found (n = 2, r = 220 752, p = 16: 862 MiB mixed, `B`
/// 431 MiB) took 4.8 s where geth's standard took 1.0 s (release build, 2 shared cores).
pub const MAX_SCRYPT_WORK: u64 = 1 << 30;
/// The most PBKDF2 iterations accepted: 10 000 000 (about 1.4 s on the machine above;
/// the Web3 Secret Storage definition's example has 262 144).
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

/// The bytes RustCrypto's `scrypt` allocates for `n`, `r`, `p`, all held at once:
/// `128 * r * (n + p + 1)` (see [`MAX_SCRYPT_MEMORY`]), saturated at `u64::MAX`.
pub(crate) fn scrypt_memory(n: u64, r: u64, p: u64) -> u64 {
    n.saturating_add(p)
        .saturating_add(1)
        .saturating_mul(r)
        .saturating_mul(128)
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
    // `r` multiplies every buffer, so it is the parameter named.
    if scrypt_memory(n, r, p) > MAX_SCRYPT_MEMORY {
        return Err(refused(
            "r",
            r,
            "128 * r * (n + p + 1) bytes of scrypt memory is above 512 MiB",
        ));
    }
    // r * (n + p + 1) <= 2^22 and p <= 16 now: no overflow.
    if n * r * p * 128 > MAX_SCRYPT_WORK {
        return Err(refused("p", p, "n * r * p * 128 is above 1 GiB of work"));
    }
    // Both fit in u32 now: r <= 2^20 and p <= 16.
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

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1 << 20;

    /// The formula, against buffer sizes worked out by hand and the peaks measured (with
    /// `/usr/bin/time`, about 1.9 MiB of it the process itself) when `scrypt` 0.11 ran them.
    #[test]
    fn scrypt_memory_is_v_and_b_and_the_mix_buffer() {
        for (n, r, p, v, b, mix) in [
            // geth's standard: measured 263 940 KiB.
            (1 << 18, 8, 1, 256 * MIB, 1024, 1024),
            // geth's light setting.
            (1 << 12, 8, 6, 4 * MIB, 6 * 1024, 1024),
            // issue 21's file: measured 1 312 704 KiB (1.31 GB), 1280 MiB of it scrypt's.
            (2, 1 << 21, 2, 512 * MIB, 512 * MIB, 256 * MIB),
            // V 512 MiB and the smallest B: measured 526 272 KiB.
            (1 << 21, 2, 2, 512 * MIB, 512, 256),
            (2, 1, 1, 256, 128, 128),
        ] {
            assert_eq!(
                scrypt_memory(n, r, p),
                v + b + mix,
                "n = {n}, r = {r}, p = {p}"
            );
            assert_eq!(
                scrypt_memory(n, r, p),
                128 * r * n + 128 * r * p + 128 * r,
                "n = {n}, r = {r}, p = {p}"
            );
        }
        assert_eq!(scrypt_memory(1 << 20, u64::MAX, 16), u64::MAX);
        assert_eq!(scrypt_memory(u64::MAX, 1, u64::MAX), u64::MAX);
    }

    /// The check is on the sum: exactly at the limit is accepted; more, in any of the three
    /// buffers, is not.
    #[test]
    fn the_memory_limit_is_on_all_three_buffers() {
        // 128 * 2^20 * (2 + 1 + 1) = 512 MiB exactly.
        assert_eq!(scrypt_memory(2, 1 << 20, 1), MAX_SCRYPT_MEMORY);
        assert!(check_scrypt(2, 1 << 20, 1).is_ok());
        for (n, r, p) in [(2, 1 << 20, 2), (4, 1 << 20, 1), (2, (1 << 20) + 1, 1)] {
            assert!(scrypt_memory(n, r, p) > MAX_SCRYPT_MEMORY);
            assert_eq!(
                check_scrypt(n, r, p),
                Err(KeystoreError::KdfParamsRefused {
                    param: "r",
                    value: r,
                    limit: "128 * r * (n + p + 1) bytes of scrypt memory is above 512 MiB",
                }),
                "n = {n}, r = {r}, p = {p}"
            );
        }
        // V alone at the limit (what the check used to count) is over it.
        assert!(check_scrypt(1 << 20, 4, 1).is_err());
        assert!(check_scrypt(1 << 20, 3, 1).is_ok());
        // An absurd r saturates and is refused, never overflows.
        assert!(check_scrypt(1 << 20, u64::MAX, 16).is_err());
    }
}
