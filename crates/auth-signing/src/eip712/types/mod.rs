//! The EIP-712 types: the struct definitions as written ([`Types`], or borrowed from JSON
//! as [`TypeDefs`]), the grammar of a type name (`name.rs`), and the resolved structs with
//! their `encodeType` and `typeHash` (`resolve.rs`).

mod name;
mod resolve;

use std::collections::BTreeMap;

pub(crate) use name::Kind;
pub(crate) use resolve::{Resolved, StructDef};

/// One field of a struct type as written: a name and a type name such as `uint256`,
/// `Person[]` or `bytes32[][2]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field's name: an identifier, `[A-Za-z_$][A-Za-z0-9_$]*` (checked when typed
    /// data is built from it).
    pub name: String,
    /// The field's type name.
    pub type_name: String,
}

impl Field {
    /// A field with the given name and type name.
    pub fn new(name: impl Into<String>, type_name: impl Into<String>) -> Self {
        Field {
            name: name.into(),
            type_name: type_name.into(),
        }
    }
}

/// Struct type definitions, as in the `types` member of `eth_signTypedData_v4` JSON.
///
/// ```
/// use auth_signing::eip712::Types;
/// let types = Types::new()
///     .with_struct("Person", [("name", "string"), ("wallet", "address")])
///     .with_struct("Mail", [("from", "Person"), ("to", "Person"), ("contents", "string")]);
/// assert_eq!(types.get("Mail").map(|f| f.len()), Some(3));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Types {
    pub(crate) structs: BTreeMap<String, Vec<Field>>,
}

impl Types {
    /// No types yet.
    pub fn new() -> Self {
        Types::default()
    }

    /// Adds (or replaces) a struct type from `(field name, type name)` pairs, in order.
    pub fn with_struct<N, T>(
        mut self,
        name: impl Into<String>,
        fields: impl IntoIterator<Item = (N, T)>,
    ) -> Self
    where
        N: Into<String>,
        T: Into<String>,
    {
        self.insert(
            name,
            fields.into_iter().map(|(n, t)| Field::new(n, t)).collect(),
        );
        self
    }

    /// Adds (or replaces) a struct type.
    pub fn insert(&mut self, name: impl Into<String>, fields: Vec<Field>) {
        self.structs.insert(name.into(), fields);
    }

    /// The fields of a struct type, if defined.
    pub fn get(&self, name: &str) -> Option<&[Field]> {
        self.structs.get(name).map(Vec::as_slice)
    }
}

/// Struct definitions borrowed from the input (JSON text, a JSON value or [`Types`]),
/// sorted by name with one definition per name, ready for [`Resolved::resolve`].
pub(crate) struct TypeDefs<'a> {
    defs: Vec<(&'a str, Vec<(&'a str, &'a str)>)>,
}

impl<'a> TypeDefs<'a> {
    /// Definitions already sorted by name, each name once.
    pub(crate) fn from_sorted(defs: Vec<(&'a str, Vec<(&'a str, &'a str)>)>) -> Self {
        debug_assert!(defs.windows(2).all(|w| w[0].0 < w[1].0));
        TypeDefs { defs }
    }

    /// Borrows the definitions of [`Types`] (a sorted map already).
    pub(crate) fn from_types(types: &'a Types) -> Self {
        TypeDefs {
            defs: types
                .structs
                .iter()
                .map(|(name, fields)| {
                    let fields = fields
                        .iter()
                        .map(|f| (f.name.as_str(), f.type_name.as_str()))
                        .collect();
                    (name.as_str(), fields)
                })
                .collect(),
        }
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.defs.binary_search_by(|(n, _)| (*n).cmp(name))
    }

    /// The fields of a struct type, if defined.
    pub(crate) fn get(&self, name: &str) -> Option<&[(&'a str, &'a str)]> {
        self.position(name).ok().map(|i| self.defs[i].1.as_slice())
    }

    /// Adds a definition under a name that is not defined yet.
    pub(crate) fn insert_new(&mut self, name: &'a str, fields: Vec<(&'a str, &'a str)>) {
        if let Err(at) = self.position(name) {
            self.defs.insert(at, (name, fields));
        }
    }
}
