//! Strategy results shown with, or applied to, a conflict other than the one that made them:
//! one line saying so (or a typed error), never another conflict's names, never a panic.

use negotiation::strategy::{
    Concept, Conflict, ConflictBuilder, InverseError, InverseOptions, MoverId,
};

/// Three decision makers, one option each; A's preferences partly unknown.
fn three() -> Conflict {
    ConflictBuilder::new()
        .option("a")
        .option("b")
        .option("c")
        .decision_maker("A", ["a"])
        .decision_maker("B", ["b"])
        .decision_maker("C", ["c"])
        .rank(
            "A",
            [
                ["NYY"],
                ["YYY"],
                ["NNN"],
                ["YNN"],
                ["NYN"],
                ["YYN"],
                ["NNY"],
                ["YNY"],
            ],
        )
        .rank(
            "B",
            [
                ["YNY"],
                ["YYY"],
                ["NNN"],
                ["NYN"],
                ["YNN"],
                ["YYN"],
                ["NNY"],
                ["NYY"],
            ],
        )
        .rank(
            "C",
            [
                ["YYN"],
                ["YYY"],
                ["NNN"],
                ["NNY"],
                ["YNN"],
                ["NYN"],
                ["YNY"],
                ["NYY"],
            ],
        )
        .uncertain("A", "YYY", "NNN")
        .unaware("B", "c")
        .build()
        .unwrap()
}

fn one() -> Conflict {
    ConflictBuilder::new()
        .option("x")
        .decision_maker("X", ["x"])
        .rank("X", [["Y"], ["N"]])
        .build()
        .unwrap()
}

/// Every rendering of a result of `made`, shown with `shown`.
fn renderings(made: &Conflict, shown: &Conflict) -> Vec<String> {
    let a = made.analyse();
    let mut out = Vec::new();
    for concept in Concept::ALL {
        for m in a.mover_ids().collect::<Vec<MoverId>>() {
            for s in made.states() {
                if let Some(i) = a.explain(concept, m, s) {
                    out.push(i.display(shown).to_string());
                }
                if let Some(d) = a.deterrence(concept, m, s) {
                    out.push(d.display(shown).to_string());
                }
            }
        }
        for s in made.states() {
            let q = a.status_quo(s, concept).unwrap();
            for (_, path) in &q.paths {
                out.extend(path.iter().map(|p| p.display(shown).to_string()));
            }
            let inverse = made.inverse(s, concept, &InverseOptions::new()).unwrap();
            out.push(inverse.display(shown).to_string());
        }
    }
    out.push(made.analyse_uncertain().display(shown).to_string());
    out.push(made.hypergame().unwrap().display(shown).to_string());
    out
}

#[test]
fn results_shown_with_another_conflict_say_so_in_one_line() {
    let made = three();
    for other in [one(), three()] {
        let shown = renderings(&made, &other);
        assert!(shown.len() > 100, "{}", shown.len());
        for text in shown {
            assert!(
                text.trim_end().lines().count() == 1
                    && text.contains("belongs to another conflict"),
                "{text}"
            );
        }
    }
    // With the conflict that made them, or a clone, they read as before.
    let clone = made.clone();
    for text in renderings(&made, &clone) {
        assert!(!text.contains("another conflict"), "{text}");
    }
}

#[test]
fn an_answer_applies_only_to_its_own_conflict() {
    let made = three();
    let top = made.states().last().unwrap();
    let inverse = made
        .inverse(top, Concept::Nash, &InverseOptions::new())
        .unwrap();
    let answer = inverse.best().unwrap();
    assert!(!answer.changes.is_empty());
    let changed = answer.apply(&made.clone()).unwrap();
    assert!(changed.analyse().equilibria(Concept::Nash).contains(&top));
    // A conflict built alike has the same states and decision makers, yet is another one.
    for other in [three(), one()] {
        let e = answer.apply(&other).unwrap_err();
        assert_eq!(e, InverseError::AnswerOfAnotherConflict);
        assert!(e.to_string().contains("another conflict"), "{e}");
    }
}
