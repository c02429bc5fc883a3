//! GMCR+ `.gmcr` files (the JSON saved by gmcr-py): import and export.

use serde::{Deserialize, Serialize};

use super::conflict::{Conflict, ConflictBuilder, ConflictError, Direction, Preferences, StateRef};
use super::statement::{Literal, Statement};
use super::OptionId;

/// Why a `.gmcr` file could not be read.
///
/// Marked `#[non_exhaustive]`: new variants are not breaking changes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GmcrError {
    /// Not JSON of the expected shape.
    #[error("{path}: {message}")]
    Syntax {
        /// The path to the entry (`.` for the document).
        path: String,
        /// What is wrong, with line and column.
        message: String,
    },
    /// A value the format does not allow: an option index out of range, a literal other than
    /// `Y`/`N`, an unknown direction.
    #[error("{path}: {message}")]
    Value {
        /// The path to the entry.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The conflict the file describes does not validate.
    #[error("{0}")]
    Conflict(#[source] ConflictError),
}

/// A condition: a conjunction of `[option index, "Y"|"N"]` pairs, or a disjunction of them.
#[derive(Deserialize, Serialize)]
#[serde(untagged)]
enum Condition {
    Simple(Vec<(usize, String)>),
    Compound {
        #[serde(default)]
        compound: bool,
        members: Vec<Vec<(usize, String)>>,
    },
}

#[derive(Deserialize, Serialize)]
#[serde(untagged)]
enum Entry {
    One(usize),
    Tie(Vec<usize>),
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct OptionEntry {
    name: String,
    #[serde(default = "both")]
    permitted_direction: String,
}

fn both() -> String {
    "both".into()
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct DmEntry {
    name: String,
    options: Vec<usize>,
    #[serde(default)]
    preferences: Vec<Condition>,
    #[serde(
        default,
        alias = "preferenceVector",
        skip_serializing_if = "Option::is_none"
    )]
    preference_ranking: Option<Vec<Entry>>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    payoffs: Vec<u32>,
    #[serde(default)]
    misperceptions: Vec<Condition>,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct File {
    options: Vec<OptionEntry>,
    decision_makers: Vec<DmEntry>,
    #[serde(default)]
    infeasibles: Vec<Condition>,
    #[serde(default, alias = "useManualPreferenceVectors")]
    use_manual_preference_ranking: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    coalitions: Option<Vec<Entry>>,
    #[serde(default, skip_deserializing)]
    program: String,
    #[serde(default, skip_deserializing)]
    version: String,
}

impl Conflict {
    /// Reads a GMCR+ `.gmcr` file. Unknown keys are ignored; the older key names
    /// `preferenceVector` and `useManualPreferenceVectors` are accepted.
    ///
    /// States keep the file's numbering: feasible states by ascending code, where option k
    /// (its index in `options`) contributes 2^k. Misperceptions are kept, not analysed.
    ///
    /// # Errors
    ///
    /// A [`GmcrError`] with the path to the offending entry
    /// (`decisionMakers[1].preferences[0][2]: option 9 does not exist (4 options)`), or the
    /// [`ConflictError`] of the conflict it describes.
    pub fn from_gmcr(json: &str) -> Result<Conflict, GmcrError> {
        let de = &mut serde_json::Deserializer::from_str(json);
        let file: File =
            serde_path_to_error::deserialize(&mut *de).map_err(|e| GmcrError::Syntax {
                path: crate::scenario::json_path(e.path()),
                message: e.inner().to_string(),
            })?;
        // A second document appended to the file would otherwise be dropped.
        de.end().map_err(|e| GmcrError::Syntax {
            path: ".".to_owned(),
            message: format!("content after the GMCR+ document: {e}"),
        })?;
        let n = file.options.len();
        let value = |path: String, message: String| GmcrError::Value { path, message };
        if n > super::MAX_OPTIONS {
            return Err(GmcrError::Conflict(ConflictError::TooManyOptions {
                count: n,
                max: super::MAX_OPTIONS,
            }));
        }
        for (d, dm) in file.decision_makers.iter().enumerate() {
            if file.decision_makers[..d].iter().any(|o| o.name == dm.name) {
                return Err(value(
                    format!("decisionMakers[{d}].name"),
                    format!("`{}` names two decision makers", dm.name),
                ));
            }
        }
        let option = |path: &dyn Fn() -> String, k: usize| -> Result<OptionId, GmcrError> {
            if k < n {
                Ok(OptionId(k as u32))
            } else {
                Err(value(
                    path(),
                    format!(
                        "option {k} does not exist ({n} option{})",
                        if n == 1 { "" } else { "s" }
                    ),
                ))
            }
        };
        let conjunction = |path: &str, pairs: &[(usize, String)]| -> Result<Statement, GmcrError> {
            let mut literals = Vec::with_capacity(pairs.len());
            for (j, (k, yn)) in pairs.iter().enumerate() {
                let option = option(&|| format!("{path}[{j}]"), *k)?;
                let taken = match yn.as_str() {
                    "Y" => true,
                    "N" => false,
                    other => {
                        return Err(value(
                            format!("{path}[{j}]"),
                            format!("`{other}`: expected \"Y\" or \"N\""),
                        ))
                    }
                };
                literals.push(Literal { option, taken });
            }
            Ok(Statement::all_of(literals))
        };
        let condition = |path: String, c: &Condition| -> Result<Statement, GmcrError> {
            match c {
                Condition::Simple(pairs) => conjunction(&path, pairs),
                Condition::Compound { members, .. } => {
                    let mut alternatives = Vec::with_capacity(members.len());
                    for (m, pairs) in members.iter().enumerate() {
                        alternatives.push(conjunction(&format!("{path}.members[{m}]"), pairs)?);
                    }
                    Ok(Statement::any_of(alternatives))
                }
            }
        };

        let mut b = ConflictBuilder::new();
        for (k, o) in file.options.iter().enumerate() {
            let direction = Direction::parse(&o.permitted_direction).ok_or_else(|| {
                value(
                    format!("options[{k}].permittedDirection"),
                    format!(
                        "`{}`: expected \"both\", \"fwd\" or \"back\"",
                        o.permitted_direction
                    ),
                )
            })?;
            b.option_with(o.name.clone(), direction);
        }
        for (d, dm) in file.decision_makers.iter().enumerate() {
            let path = format!("decisionMakers[{d}]");
            let mut names = Vec::with_capacity(dm.options.len());
            for (j, &k) in dm.options.iter().enumerate() {
                option(&|| format!("{path}.options[{j}]"), k)?;
                names.push(file.options[k].name.clone());
            }
            b.decision_maker(dm.name.clone(), names);
            for (j, m) in dm.misperceptions.iter().enumerate() {
                b.misperceive(
                    &dm.name,
                    condition(format!("{path}.misperceptions[{j}]"), m)?,
                );
            }
            if file.use_manual_preference_ranking {
                let ranking = dm.preference_ranking.as_ref().ok_or_else(|| {
                    value(
                        format!("{path}.preferenceRanking"),
                        "missing, although useManualPreferenceRanking is true".into(),
                    )
                })?;
                let tiers = ranking.iter().map(|e| match e {
                    Entry::One(s) => vec![StateRef::Number(*s)],
                    Entry::Tie(ss) => ss.iter().map(|&s| StateRef::Number(s)).collect(),
                });
                b.rank(&dm.name, tiers);
            } else {
                let statements = dm
                    .preferences
                    .iter()
                    .enumerate()
                    .map(|(j, c)| condition(format!("{path}.preferences[{j}]"), c))
                    .collect::<Result<Vec<_>, _>>()?;
                b.prioritize(&dm.name, statements);
            }
        }
        for (j, c) in file.infeasibles.iter().enumerate() {
            b.infeasible(condition(format!("infeasibles[{j}]"), c)?);
        }
        if let Some(coalitions) = &file.coalitions {
            let mut groups = Vec::with_capacity(coalitions.len());
            for (j, e) in coalitions.iter().enumerate() {
                let members = match e {
                    Entry::One(d) => vec![*d],
                    Entry::Tie(ds) => ds.clone(),
                };
                let mut names = Vec::with_capacity(members.len());
                for d in members {
                    let dm = file.decision_makers.get(d).ok_or_else(|| {
                        value(
                            format!("coalitions[{j}]"),
                            format!(
                                "decision maker {d} does not exist ({} decision maker{})",
                                file.decision_makers.len(),
                                if file.decision_makers.len() == 1 {
                                    ""
                                } else {
                                    "s"
                                }
                            ),
                        )
                    })?;
                    names.push(dm.name.clone());
                }
                groups.push(names);
            }
            b.coalitions(groups);
        }
        b.build().map_err(GmcrError::Conflict)
    }

    /// Writes the conflict as a GMCR+ `.gmcr` file that [`Conflict::from_gmcr`] reads back to
    /// the same options, decision makers, feasible states, preferences and coalitions. GMCR+
    /// has one preference mode per file: when every decision maker is prioritized, the file
    /// holds statements (conjunctions and their disjunctions, so "if" and "iff" come back
    /// expanded); when any is ranked directly, rankings for all, derived from the preferences
    /// (the statements are written too, but a prioritized decision maker comes back ranked). Each decision maker's
    /// `payoffs` (dense ranks from 1, least preferred) are written too, as GMCR+ does.
    pub fn to_gmcr(&self) -> String {
        let pairs = |lits: Vec<Literal>| -> Vec<(usize, String)> {
            lits.into_iter()
                .map(|l| {
                    (
                        l.option.index(),
                        if l.taken { "Y" } else { "N" }.to_string(),
                    )
                })
                .collect()
        };
        let condition = |s: &Statement| -> Condition {
            let mut terms: Vec<_> = s.terms().map(pairs).collect();
            if terms.len() == 1 {
                Condition::Simple(terms.remove(0))
            } else {
                Condition::Compound {
                    compound: true,
                    members: terms,
                }
            }
        };
        let manual = self
            .dms
            .iter()
            .any(|d| matches!(d.preferences(), Preferences::Ranking(_)));
        let ranking = |d: usize| -> Vec<Entry> {
            // Tiers from payoffs, most preferred first.
            let pay = &self.payoffs[d];
            let top = pay.iter().copied().max().unwrap_or(0);
            let mut tiers: Vec<Vec<usize>> = vec![Vec::new(); top as usize + 1];
            for (s, &p) in pay.iter().enumerate() {
                tiers[(top - p) as usize].push(s + 1);
            }
            tiers
                .into_iter()
                .filter(|t| !t.is_empty())
                .map(|mut t| {
                    if t.len() == 1 {
                        Entry::One(t.remove(0))
                    } else {
                        Entry::Tie(t)
                    }
                })
                .collect()
        };
        let file = File {
            options: self
                .options
                .iter()
                .map(|o| OptionEntry {
                    name: o.name.clone(),
                    permitted_direction: o.direction.as_str().to_string(),
                })
                .collect(),
            decision_makers: self
                .dms
                .iter()
                .enumerate()
                .map(|(d, dm)| DmEntry {
                    name: dm.name().to_string(),
                    options: dm.options().iter().map(|o| o.index()).collect(),
                    preferences: match dm.preferences() {
                        Preferences::Prioritized(list) => list.iter().map(condition).collect(),
                        Preferences::Ranking(_) => Vec::new(),
                    },
                    preference_ranking: manual.then(|| ranking(d)),
                    payoffs: self.payoffs[d].iter().map(|p| p + 1).collect(),
                    misperceptions: dm.misperceptions().iter().map(condition).collect(),
                })
                .collect(),
            infeasibles: self
                .infeasible
                .iter()
                .flat_map(|s| {
                    s.terms()
                        .map(pairs)
                        .map(Condition::Simple)
                        .collect::<Vec<_>>()
                })
                .collect(),
            use_manual_preference_ranking: manual,
            coalitions: self.coalitions().map(|groups| {
                groups
                    .iter()
                    .map(|g| match g.as_slice() {
                        [one] => Entry::One(one.index()),
                        many => Entry::Tie(many.iter().map(|d| d.index()).collect()),
                    })
                    .collect()
            }),
            program: "negotiation".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        };
        // Serializing plain data to a string cannot fail.
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }
}
