//! The grammar of a type name: atomic types, struct references, array suffixes, and the
//! identifiers struct and field names must be.

use crate::eip712::MAX_DEPTH;
use crate::eip712::error::Eip712Error;

/// A parsed, resolved type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    Bool,
    Address,
    String,
    Bytes,
    /// `bytesN`, 1 <= N <= 32.
    FixedBytes(usize),
    /// `uintN`, N bits.
    Uint(u32),
    /// `intN`, N bits.
    Int(u32),
    /// Index into [`Resolved::structs`].
    Struct(usize),
    /// `T[]` (`len` None) or `T[n]`.
    Array {
        elem: Box<Kind>,
        len: Option<usize>,
    },
}

impl Kind {
    /// The struct at the bottom of this type, looking through arrays.
    pub(crate) fn struct_id(&self) -> Option<usize> {
        match self {
            Kind::Struct(id) => Some(*id),
            Kind::Array { elem, .. } => elem.struct_id(),
            _ => None,
        }
    }
}

/// Struct names go into `encodeType` verbatim, so they must not contain the characters of
/// its syntax. ASCII identifiers keep the dependency sort order unambiguous too.
///
/// No `$` in struct names, though the EIP's identifiers allow it: viem and eth-sig-util
/// find dependencies with `\w`, which stops at it, so such names hash differently there.
pub(super) fn check_struct_name(name: &str) -> Result<(), Eip712Error> {
    if is_identifier(name, false) {
        Ok(())
    } else {
        Err(Eip712Error::InvalidType {
            path: format!("types.{name}"),
            type_name: name.to_owned(),
            reason: "struct names must be ASCII identifiers",
        })
    }
}

/// Whether `name` is an ASCII identifier, `[A-Za-z_][A-Za-z0-9_]*`, with `$` allowed
/// wherever `_` is when `dollar` is set. Field names must be identifiers too: they go into
/// `encodeType` verbatim, and a field named `"address,string clientId"` would forge
/// the text of a type with more fields than are signed.
pub(super) fn is_identifier(name: &str, dollar: bool) -> bool {
    let word = |b: u8| b == b'_' || (dollar && b == b'$') || b.is_ascii_alphabetic();
    match name.as_bytes().split_first() {
        Some((first, rest)) => word(*first) && rest.iter().all(|b| word(*b) || b.is_ascii_digit()),
        None => false,
    }
}

/// Parses a type name. `struct_id` maps a struct name to its index, registering it if it
/// is defined, or returns None for an unknown name.
pub(crate) fn parse_type(
    type_name: &str,
    path: impl Fn() -> String,
    mut struct_id: impl FnMut(&str) -> Option<usize>,
) -> Result<Kind, Eip712Error> {
    let invalid = |reason| Eip712Error::InvalidType {
        path: path(),
        type_name: type_name.to_owned(),
        reason,
    };
    // Peel array suffixes from the right: the last suffix is the outermost array.
    let mut base = type_name;
    let mut dims: Vec<Option<usize>> = Vec::new();
    while let Some(rest) = base.strip_suffix(']') {
        let open = rest.rfind('[').ok_or_else(|| invalid("unbalanced `]`"))?;
        let inside = &rest[open + 1..];
        let len = if inside.is_empty() {
            None
        } else {
            if !inside.bytes().all(|b| b.is_ascii_digit()) || inside.starts_with('0') {
                return Err(invalid("array length must be a positive decimal integer"));
            }
            Some(
                inside
                    .parse::<usize>()
                    .map_err(|_| invalid("array length is too large"))?,
            )
        };
        dims.push(len);
        if dims.len() > MAX_DEPTH {
            return Err(invalid("too many array dimensions"));
        }
        base = &rest[..open];
    }
    let mut kind = match parse_atomic(base) {
        Atomic::Kind(kind) => kind,
        Atomic::Invalid(reason) => return Err(invalid(reason)),
        Atomic::Other => {
            if base.contains(['[', ']', '(', ')', ',', ' ']) || base.is_empty() {
                return Err(invalid("malformed type name"));
            }
            match struct_id(base) {
                Some(id) => Kind::Struct(id),
                None => {
                    return Err(Eip712Error::UnknownType {
                        path: path(),
                        type_name: type_name.to_owned(),
                    });
                }
            }
        }
    };
    for len in dims.into_iter().rev() {
        kind = Kind::Array {
            elem: Box::new(kind),
            len,
        };
    }
    Ok(kind)
}

enum Atomic {
    Kind(Kind),
    Invalid(&'static str),
    Other,
}

fn parse_atomic(base: &str) -> Atomic {
    match base {
        "bool" => return Atomic::Kind(Kind::Bool),
        "address" => return Atomic::Kind(Kind::Address),
        "string" => return Atomic::Kind(Kind::String),
        "bytes" => return Atomic::Kind(Kind::Bytes),
        // Solidity's aliases are not EIP-712 types, and the references disagree on them
        // (one keeps the name `uint` in `encodeType`, one reads it as `uint256`, one
        // refuses it): a signature made with one would not verify with another.
        "uint" => {
            return Atomic::Invalid("the EIP defines no `uint` alias; write uint256");
        }
        "int" => return Atomic::Invalid("the EIP defines no `int` alias; write int256"),
        _ => {}
    }
    let (prefix, digits) = if let Some(d) = base.strip_prefix("uint") {
        ("uint", d)
    } else if let Some(d) = base.strip_prefix("int") {
        ("int", d)
    } else if let Some(d) = base.strip_prefix("bytes") {
        ("bytes", d)
    } else {
        return Atomic::Other;
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        // `uintX`, `bytesFoo`: could be a struct name.
        return Atomic::Other;
    }
    let width = if digits.len() > 3 || digits.starts_with('0') {
        0
    } else {
        digits.parse::<u32>().unwrap_or(0)
    };
    match prefix {
        "bytes" if (1..=32).contains(&width) => Atomic::Kind(Kind::FixedBytes(width as usize)),
        "bytes" => Atomic::Invalid("bytesN needs 1 <= N <= 32"),
        _ if (8..=256).contains(&width) && width % 8 == 0 => {
            if prefix == "uint" {
                Atomic::Kind(Kind::Uint(width))
            } else {
                Atomic::Kind(Kind::Int(width))
            }
        }
        _ => Atomic::Invalid("integer width must be a multiple of 8 from 8 to 256"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Kind, Eip712Error> {
        parse_type(t, || "p".to_owned(), |name| (name == "S").then_some(0))
    }

    #[test]
    fn parses_atomic_and_arrays() {
        assert_eq!(parse("uint8"), Ok(Kind::Uint(8)));
        assert_eq!(parse("int256"), Ok(Kind::Int(256)));
        assert_eq!(parse("bytes32"), Ok(Kind::FixedBytes(32)));
        assert_eq!(parse("bytes1"), Ok(Kind::FixedBytes(1)));
        // `T[][2]` is a fixed array of two dynamic arrays.
        assert_eq!(
            parse("S[][2]"),
            Ok(Kind::Array {
                elem: Box::new(Kind::Array {
                    elem: Box::new(Kind::Struct(0)),
                    len: None
                }),
                len: Some(2)
            })
        );
    }

    #[test]
    fn refuses_invalid_types() {
        for t in [
            "uint7", "uint0", "uint264", "int9", "bytes33", "bytes0", "uint08", "bytes01", "S[x]",
            "S[0]", "S[01]", "S]", "S[-1]", "[]", "uint", "int", "uint[]", "int[3]",
        ] {
            assert!(
                matches!(parse(t), Err(Eip712Error::InvalidType { .. })),
                "{t}: {:?}",
                parse(t)
            );
        }
        assert!(matches!(
            parse("Unknown"),
            Err(Eip712Error::UnknownType { .. })
        ));
        assert!(matches!(
            parse("uintX"),
            Err(Eip712Error::UnknownType { .. })
        ));
        let deep = format!("uint8{}", "[]".repeat(MAX_DEPTH + 1));
        assert!(matches!(parse(&deep), Err(Eip712Error::InvalidType { .. })));
    }
}
