//! Statements about states: literals, conjunctions and disjunctions of them, and the small text
//! syntax the builder reads.

use std::fmt;

use super::OptionId;

/// One option taken (`Y`) or not taken (`N`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Literal {
    /// The option.
    pub option: OptionId,
    /// Whether the option is taken.
    pub taken: bool,
}

impl Literal {
    /// The option taken.
    #[must_use]
    pub fn yes(option: OptionId) -> Literal {
        Literal {
            option,
            taken: true,
        }
    }
    /// The option not taken.
    #[must_use]
    pub fn no(option: OptionId) -> Literal {
        Literal {
            option,
            taken: false,
        }
    }
}

/// A conjunction of literals as two bit masks: the options it mentions, and which of them must be
/// taken. A state's code satisfies it when `code & mask == value`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Term {
    pub(crate) mask: u64,
    pub(crate) value: u64,
}

impl Term {
    const TRUE: Term = Term { mask: 0, value: 0 };

    /// The literal's term; for an option past the 64 a code holds (none of a conflict's), the
    /// contradiction (`None`) when taken, the empty term when not.
    fn literal(l: Literal) -> Option<Term> {
        match 1u64.checked_shl(l.option.index) {
            Some(bit) => Some(Term {
                mask: bit,
                value: if l.taken { bit } else { 0 },
            }),
            None => (!l.taken).then_some(Term::TRUE),
        }
    }

    /// The conjunction of both, or `None` when they contradict each other.
    fn and(self, other: Term) -> Option<Term> {
        let common = self.mask & other.mask;
        ((self.value ^ other.value) & common == 0).then_some(Term {
            mask: self.mask | other.mask,
            value: self.value | other.value,
        })
    }

    pub(crate) fn holds(self, code: u64) -> bool {
        code & self.mask == self.value
    }

    /// Whether every state satisfying `self` satisfies `other`.
    fn implies(self, other: Term) -> bool {
        self.mask & other.mask == other.mask && self.value & other.mask == other.value
    }

    fn literals(self) -> impl Iterator<Item = Literal> {
        let Term { mask, value } = self;
        (0..64u32)
            .filter(move |k| mask >> k & 1 == 1)
            .map(move |k| Literal {
                option: OptionId(k),
                taken: value >> k & 1 == 1,
            })
    }
}

/// A statement about a state: a disjunction of conjunctions of literals.
///
/// Built from literals with [`Statement::all_of`] and [`Statement::any_of`], and combined with
/// `!a` (negation), `a & b`, `a | b` (also on references), [`Statement::if_`] ("A if B") and
/// [`Statement::iff`] ("A iff B"). Every
/// statement is kept in that disjunctive form, simplified, so that it can be written to a GMCR+
/// file, which knows only conjunctions and their disjunctions.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(from = "Vec<Vec<Literal>>", into = "Vec<Vec<Literal>>")
)]
#[must_use]
pub struct Statement {
    terms: Vec<Term>,
}

/// In JSON (feature `serde`) a statement is its disjunction of conjunctions:
/// `[[{"option": 0, "taken": true}], …]` (see [`Statement::terms`]).
impl From<Statement> for Vec<Vec<Literal>> {
    fn from(statement: Statement) -> Vec<Vec<Literal>> {
        statement.terms().collect()
    }
}

/// The disjunction of the conjunctions of literals.
impl From<Vec<Vec<Literal>>> for Statement {
    fn from(terms: Vec<Vec<Literal>>) -> Statement {
        Statement::any_of(terms.into_iter().map(Statement::all_of))
    }
}

impl Statement {
    /// The statement every state satisfies.
    pub fn always() -> Statement {
        Statement {
            terms: vec![Term::TRUE],
        }
    }

    /// The statement no state satisfies.
    pub fn never() -> Statement {
        Statement { terms: Vec::new() }
    }

    /// The conjunction of the literals. A literal and its opposite make [`Statement::never`].
    pub fn all_of(literals: impl IntoIterator<Item = Literal>) -> Statement {
        let term = literals
            .into_iter()
            .try_fold(Term::TRUE, |t, l| t.and(Term::literal(l)?));
        Statement::from_terms(term.into_iter().collect())
    }

    /// The disjunction of the statements.
    pub fn any_of(statements: impl IntoIterator<Item = Statement>) -> Statement {
        Statement::from_terms(statements.into_iter().flat_map(|s| s.terms).collect())
    }

    /// The conjunction of two statements.
    fn and(&self, other: &Statement) -> Statement {
        let mut terms = Vec::with_capacity(self.terms.len() * other.terms.len());
        for a in &self.terms {
            terms.extend(other.terms.iter().filter_map(|b| a.and(*b)));
        }
        Statement::from_terms(terms)
    }

    /// The negation.
    fn negate(&self) -> Statement {
        // ¬(T1 ∨ … ∨ Tn) = ¬T1 ∧ … ∧ ¬Tn, where ¬T is the disjunction of its negated literals.
        self.terms.iter().fold(Statement::always(), |acc, t| {
            let negated = Statement::from_terms(
                t.literals()
                    .filter_map(|l| {
                        Term::literal(Literal {
                            taken: !l.taken,
                            ..l
                        })
                    })
                    .collect(),
            );
            acc.and(&negated)
        })
    }

    /// "`self` if `condition`": satisfied unless `condition` holds and `self` does not.
    pub fn if_(&self, condition: &Statement) -> Statement {
        Statement::any_of([self.clone(), !condition])
    }

    /// "`self` iff `other`": both hold or neither does.
    pub fn iff(&self, other: &Statement) -> Statement {
        Statement::any_of([self & other, &!self & &!other])
    }

    /// Whether the state with this code satisfies the statement. A state's code has bit k set
    /// when option k is taken.
    #[must_use]
    pub fn holds(&self, code: u64) -> bool {
        self.terms.iter().any(|t| t.holds(code))
    }

    /// The conjunctions whose disjunction this is, each as its literals in option order.
    pub fn terms(&self) -> impl Iterator<Item = Vec<Literal>> + '_ {
        self.terms.iter().map(|t| t.literals().collect())
    }

    /// The highest option index mentioned, if any.
    pub(crate) fn max_option(&self) -> Option<u32> {
        let all = self.terms.iter().fold(0u64, |m, t| m | t.mask);
        (all != 0).then(|| 63 - all.leading_zeros())
    }

    /// Sorted, without duplicates and without terms implied by another term.
    fn from_terms(mut terms: Vec<Term>) -> Statement {
        terms.sort_unstable_by_key(|t| (t.mask.count_ones(), *t));
        terms.dedup();
        let mut kept: Vec<Term> = Vec::with_capacity(terms.len());
        for t in terms {
            if !kept.iter().any(|k| t.implies(*k)) {
                kept.push(t);
            }
        }
        kept.sort_unstable();
        Statement { terms: kept }
    }
}

/// The negation.
impl std::ops::Not for Statement {
    type Output = Statement;
    fn not(self) -> Statement {
        self.negate()
    }
}

/// The negation.
impl std::ops::Not for &Statement {
    type Output = Statement;
    fn not(self) -> Statement {
        self.negate()
    }
}

/// The conjunction.
impl std::ops::BitAnd for Statement {
    type Output = Statement;
    fn bitand(self, other: Statement) -> Statement {
        self.and(&other)
    }
}

/// The conjunction.
impl std::ops::BitAnd for &Statement {
    type Output = Statement;
    fn bitand(self, other: &Statement) -> Statement {
        self.and(other)
    }
}

/// The disjunction (as [`Statement::any_of`]).
impl std::ops::BitOr for Statement {
    type Output = Statement;
    fn bitor(self, other: Statement) -> Statement {
        Statement::any_of([self, other])
    }
}

/// The disjunction (as [`Statement::any_of`]).
impl std::ops::BitOr for &Statement {
    type Output = Statement;
    fn bitor(self, other: &Statement) -> Statement {
        Statement::any_of([self.clone(), other.clone()])
    }
}

/// Why a statement's text could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ParseError {
    UnknownOption(String),
    /// A name several options answer to, with the names that tell them apart.
    Ambiguous(String, Vec<String>),
    Syntax(String),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::UnknownOption(name) => write!(f, "unknown option `{name}`"),
            ParseError::Ambiguous(name, names) => {
                write!(f, "option name `{name}` is ambiguous: write ")?;
                for (k, n) in names.iter().enumerate() {
                    let sep = if k == 0 { "" } else { " or " };
                    write!(f, "{sep}`{n}`")?;
                }
                Ok(())
            }
            ParseError::Syntax(why) => f.write_str(why),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Token {
    Name(String),
    Not,
    And,
    Or,
    If,
    Iff,
}

fn tokens(text: &str) -> Result<Vec<Token>, ParseError> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '&' | '|' | '!' => {
                chars.next();
                out.push(match c {
                    '&' => Token::And,
                    '|' => Token::Or,
                    _ => Token::Not,
                });
            }
            '-' if matches!(
                out.last(),
                None | Some(Token::And | Token::Or | Token::If | Token::Iff | Token::Not)
            ) =>
            {
                chars.next();
                out.push(Token::Not);
            }
            '"' => {
                chars.next();
                let start = i + 1;
                let end = loop {
                    match chars.next() {
                        Some((j, '"')) => break j,
                        Some(_) => {}
                        None => {
                            return Err(ParseError::Syntax(format!(
                                "unterminated quoted name at byte {i}"
                            )))
                        }
                    }
                };
                out.push(Token::Name(text[start..end].to_string()));
            }
            _ => {
                let start = i;
                let mut end = text.len();
                while let Some(&(j, c)) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '&' | '|' | '!' | '"') {
                        end = j;
                        break;
                    }
                    chars.next();
                }
                let word = &text[start..end];
                out.push(match word {
                    "if" => Token::If,
                    "iff" => Token::Iff,
                    _ => Token::Name(word.to_string()),
                });
            }
        }
    }
    Ok(out)
}

/// Reads a statement: literals `name`, `!name` or `-name` (a name with spaces is quoted:
/// `"Release Water"`), joined by `&`, then by `|`, then optionally `A if B` or `A iff B`.
/// `lookup` resolves a name, or says why it cannot.
pub(crate) fn parse(
    text: &str,
    lookup: impl Fn(&str) -> Result<OptionId, ParseError>,
) -> Result<Statement, ParseError> {
    let tokens = tokens(text)?;
    let split = tokens
        .iter()
        .position(|t| matches!(t, Token::If | Token::Iff));
    let disjunction = |part: &[Token]| -> Result<Statement, ParseError> {
        let mut alternatives = Vec::new();
        for conj in part.split(|t| *t == Token::Or) {
            let mut literals = Vec::new();
            for lit in conj.split(|t| *t == Token::And) {
                let (taken, name) = match lit {
                    [Token::Name(n)] => (true, n),
                    [Token::Not, Token::Name(n)] => (false, n),
                    [] => return Err(ParseError::Syntax("missing literal".into())),
                    _ => {
                        return Err(ParseError::Syntax(
                            "expected a literal: `name`, `!name` or `-name`".into(),
                        ))
                    }
                };
                let option = lookup(name)?;
                literals.push(Literal { option, taken });
            }
            alternatives.push(Statement::all_of(literals));
        }
        Ok(Statement::any_of(alternatives))
    };
    match split {
        None => disjunction(&tokens),
        Some(at) => {
            let a = disjunction(&tokens[..at])?;
            let b = disjunction(&tokens[at + 1..])?;
            Ok(match tokens[at] {
                Token::If => a.if_(&b),
                _ => a.iff(&b),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opt(name: &str) -> Result<OptionId, ParseError> {
        ["a", "b", "c", "Release Water"]
            .iter()
            .position(|n| *n == name)
            .map(|i| OptionId(i as u32))
            .ok_or_else(|| ParseError::UnknownOption(name.to_string()))
    }

    fn truth(s: &Statement) -> Vec<bool> {
        (0..16).map(|c| s.holds(c)).collect()
    }

    #[test]
    fn text_syntax() {
        let p = |t| parse(t, opt).unwrap();
        let expect = |f: &dyn Fn(bool, bool, bool) -> bool| -> Vec<bool> {
            (0..16u64)
                .map(|c| f(c & 1 == 1, c & 2 == 2, c & 4 == 4))
                .collect()
        };
        assert_eq!(truth(&p("a & !b")), expect(&|a, b, _| a && !b));
        assert_eq!(truth(&p("a & -b | c")), expect(&|a, b, c| a && !b || c));
        assert_eq!(truth(&p("a if b & c")), expect(&|a, b, c| a || !(b && c)));
        assert_eq!(truth(&p("a | c iff b")), expect(&|a, b, c| (a || c) == b));
        assert_eq!(
            truth(&p("\"Release Water\"")),
            (0..16).map(|c| c & 8 == 8).collect::<Vec<_>>()
        );
        assert_eq!(truth(&p("a & !a")), vec![false; 16]);
        assert_eq!(
            parse("a & zz", opt),
            Err(ParseError::UnknownOption("zz".into()))
        );
        assert!(matches!(parse("a & | b", opt), Err(ParseError::Syntax(_))));
        assert!(matches!(parse("a b", opt), Err(ParseError::Syntax(_))));
    }

    #[test]
    fn negation_and_simplification() {
        let a = Statement::all_of([Literal::yes(OptionId(0))]);
        let ab = Statement::all_of([Literal::yes(OptionId(0)), Literal::no(OptionId(1))]);
        // a ∨ (a ∧ ¬b) = a
        assert_eq!(Statement::any_of([a.clone(), ab.clone()]), a);
        let n = !&ab;
        for c in 0..16 {
            assert_eq!(n.holds(c), !ab.holds(c));
        }
        assert_eq!(!Statement::always(), Statement::never());
        assert_eq!(!Statement::never(), Statement::always());
        let b = Statement::all_of([Literal::yes(OptionId(1))]);
        for c in 0..16 {
            assert_eq!((&a & &b).holds(c), a.holds(c) && b.holds(c));
            assert_eq!((a.clone() | b.clone()).holds(c), a.holds(c) || b.holds(c));
        }
    }
}
