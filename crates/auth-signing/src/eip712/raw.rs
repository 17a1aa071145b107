//! A light JSON tree borrowed from the input: what parsing reads of a document, without
//! building a `serde_json::Value` (no map, no copy of keys or strings without escapes).
//!
//! `types` may come after `message` in the text, so the values are kept until the types
//! are known; only then are they checked and encoded.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;

use super::MAX_DEPTH;

/// A JSON value.
pub(crate) enum Raw<'a> {
    Null,
    Bool(bool),
    /// An integer that fits in a `u64`.
    PosInt(u64),
    /// A negative integer that fits in an `i64`.
    NegInt(i64),
    /// Any other number (written with a fraction or an exponent, or an integer beyond
    /// 64 bits), as the double serde_json reads it, the same from text as in a
    /// `serde_json::Value`.
    Float(f64),
    Str(Cow<'a, str>),
    Array(Vec<Raw<'a>>),
    Object(Object<'a>),
    /// Only in trees copied from a `serde_json::Value`: a value nested deeper than parsing
    /// ever looks (the checks stop at [`MAX_DEPTH`]), left out.
    Deeper,
}

/// A JSON object: its members in document order. As in `serde_json::Value`, when a key
/// is repeated the last member counts.
pub(crate) struct Object<'a> {
    members: Vec<(Cow<'a, str>, Raw<'a>)>,
    /// For large objects, member indices sorted by key (then position), so that looking
    /// up every field of a hostile struct stays `O(n log n)`.
    sorted: Option<Vec<usize>>,
    /// How many distinct keys there are.
    distinct: usize,
}

/// Objects with more members than this get a sorted index.
const INDEX_FROM: usize = 16;

impl<'a> Object<'a> {
    fn new(members: Vec<(Cow<'a, str>, Raw<'a>)>) -> Self {
        let sorted = (members.len() > INDEX_FROM).then(|| {
            let mut order: Vec<usize> = (0..members.len()).collect();
            // Stable: equal keys stay in document order, so the last is the one counted.
            order.sort_by(|a, b| members[*a].0.cmp(&members[*b].0));
            order
        });
        let distinct = match &sorted {
            Some(order) => {
                1 + order
                    .windows(2)
                    .filter(|w| members[w[0]].0 != members[w[1]].0)
                    .count()
            }
            None => (0..members.len())
                .filter(|&i| members[..i].iter().all(|(k, _)| *k != members[i].0))
                .count(),
        };
        Object {
            members,
            sorted,
            distinct,
        }
    }

    /// How many distinct keys the object has (a repeated key counts once).
    pub(crate) fn distinct_len(&self) -> usize {
        self.distinct
    }

    /// The value of `key` (the last one, if repeated).
    pub(crate) fn get(&self, key: &str) -> Option<&Raw<'a>> {
        match &self.sorted {
            None => self
                .members
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v),
            Some(order) => {
                // The first index whose key is greater than `key`; the one before it is
                // the last member with that key, if any.
                let end = order.partition_point(|i| self.members[*i].0.as_ref() <= key);
                let i = *order.get(end.checked_sub(1)?)?;
                let (k, v) = &self.members[i];
                (k == key).then_some(v)
            }
        }
    }

    /// Every key, repeats included, in document order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|(k, _)| k.as_ref())
    }

    /// The distinct keys sorted, each with the value counted for it (the order a
    /// `serde_json::Map` iterates in).
    pub(crate) fn sorted_entries(&self) -> Vec<(&str, &Raw<'a>)> {
        let order: Cow<'_, [usize]> = match &self.sorted {
            Some(order) => Cow::Borrowed(order),
            None => {
                let mut order: Vec<usize> = (0..self.members.len()).collect();
                order.sort_by(|a, b| self.members[*a].0.cmp(&self.members[*b].0));
                Cow::Owned(order)
            }
        };
        let mut out: Vec<(&str, &Raw<'a>)> = Vec::with_capacity(order.len());
        for &i in order.iter() {
            let (k, v) = &self.members[i];
            match out.last_mut() {
                // A repeated key: the later member replaces the earlier.
                Some(last) if last.0 == k.as_ref() => *last = (k, v),
                _ => out.push((k, v)),
            }
        }
        out
    }
}

impl Raw<'_> {
    /// The object, if this is one.
    pub(crate) fn as_object(&self) -> Option<&Object<'_>> {
        match self {
            Raw::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Raw::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Raw::Null)
    }

    /// What kind of JSON value this is, for error messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Raw::Null => "null",
            Raw::Bool(_) => "a boolean",
            Raw::PosInt(_) | Raw::NegInt(_) | Raw::Float(_) => "a number",
            Raw::Str(_) => "a string",
            Raw::Array(_) => "an array",
            Raw::Object(_) => "an object",
            Raw::Deeper => "a value nested too deep",
        }
    }
}

impl<'a> Raw<'a> {
    /// Borrows a `serde_json::Value`. Containers deeper than parsing ever looks are left
    /// out, so a hostile value nested a million levels costs no stack.
    pub(crate) fn from_json(value: &'a Json) -> Raw<'a> {
        Self::from_json_at(value, 0)
    }

    fn from_json_at(value: &'a Json, level: usize) -> Raw<'a> {
        match value {
            Json::Null => Raw::Null,
            Json::Bool(b) => Raw::Bool(*b),
            Json::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Raw::PosInt(u),
                (None, Some(i)) => Raw::NegInt(i),
                _ => Raw::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Json::String(s) => Raw::Str(Cow::Borrowed(s)),
            // Values are checked down to level MAX_DEPTH + 1 (the message is at level 1);
            // the children of a container there are never read.
            Json::Array(_) | Json::Object(_) if level > MAX_DEPTH + 2 => Raw::Deeper,
            Json::Array(items) => Raw::Array(
                items
                    .iter()
                    .map(|v| Self::from_json_at(v, level + 1))
                    .collect(),
            ),
            Json::Object(map) => Raw::Object(Object::new(
                map.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), Self::from_json_at(v, level + 1)))
                    .collect(),
            )),
        }
    }
}

impl<'de> Deserialize<'de> for Raw<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Raw<'de>, E> {
        Ok(Raw::Bool(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Raw<'de>, E> {
        Ok(Raw::PosInt(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Raw<'de>, E> {
        Ok(match u64::try_from(v) {
            Ok(u) => Raw::PosInt(u),
            Err(_) => Raw::NegInt(v),
        })
    }

    fn visit_f64<E>(self, v: f64) -> Result<Raw<'de>, E> {
        Ok(Raw::Float(v))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Raw<'de>, E> {
        Ok(Raw::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Raw<'de>, E> {
        Ok(Raw::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Raw<'de>, E> {
        Ok(Raw::Str(Cow::Owned(v)))
    }

    fn visit_unit<E>(self) -> Result<Raw<'de>, E> {
        Ok(Raw::Null)
    }

    fn visit_none<E>(self) -> Result<Raw<'de>, E> {
        Ok(Raw::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw<'de>, D::Error> {
        Raw::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Raw::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw<'de>, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(Key(key)) = map.next_key()? {
            members.push((key, map.next_value()?));
        }
        Ok(Raw::Object(Object::new(members)))
    }
}

/// An object key, borrowed when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }

            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }

            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}
