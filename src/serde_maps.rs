//! Serde helpers (feature `serde`) for maps kept as pairs: a JSON object in declaration order,
//! with duplicate keys refused.

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Pairs keyed by an id as a JSON object in declaration order: article positions
/// `{"armenia": "accepts"}`, track roles `{"usa": "mediator"}`, weights `{"de": 84}`.
pub(crate) mod pairs {
    use super::*;

    pub(crate) fn serialize<S: Serializer, V: Serialize>(
        pairs: &[(String, V)],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(pairs.len()))?;
        for (key, value) in pairs {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>, V: Deserialize<'de>>(
        deserializer: D,
    ) -> Result<Vec<(String, V)>, D::Error> {
        struct Pairs<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Pairs<V> {
            type Value = Vec<(String, V)>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object keyed by ids")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut pairs: Vec<(String, V)> = Vec::new();
                let mut seen = std::collections::HashSet::new();
                while let Some((key, value)) = map.next_entry::<String, V>()? {
                    if !seen.insert(key.clone()) {
                        return Err(de::Error::custom(format!("duplicate key `{key}`")));
                    }
                    pairs.push((key, value));
                }
                Ok(pairs)
            }
        }
        deserializer.deserialize_map(Pairs(std::marker::PhantomData))
    }
}

/// A map keyed by ids that refuses a repeated key (serde's maps keep the last silently):
/// the costs' `nodes`, `parties` and `party_nodes`.
pub(crate) mod unique_map {
    use std::collections::BTreeMap;

    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>, V: Deserialize<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<String, V>, D::Error> {
        Ok(pairs::deserialize(deserializer)?.into_iter().collect())
    }

    /// Ids to maps of ids, both without repeated keys.
    pub(crate) fn nested<'de, D: Deserializer<'de>, V: Deserialize<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<String, BTreeMap<String, V>>, D::Error> {
        struct Inner<V>(BTreeMap<String, V>);
        impl<'de, V: Deserialize<'de>> Deserialize<'de> for Inner<V> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                deserialize(d).map(Inner)
            }
        }
        let outer: Vec<(String, Inner<V>)> = pairs::deserialize(deserializer)?;
        Ok(outer.into_iter().map(|(k, v)| (k, v.0)).collect())
    }
}

/// [`pairs`] for an optional field.
pub(crate) mod optional_pairs {
    use super::*;

    pub(crate) fn serialize<S: Serializer, V: Serialize>(
        value: &Option<Vec<(String, V)>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(pairs) => super::pairs::serialize(pairs, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>, V: Deserialize<'de>>(
        deserializer: D,
    ) -> Result<Option<Vec<(String, V)>>, D::Error> {
        super::pairs::deserialize(deserializer).map(Some)
    }
}
