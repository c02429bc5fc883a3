//! The Fall of France (1940) as a first-level hypergame, then with one of Germany's
//! preferences unknown: `cargo run --example gmcr_hypergame`.
//!
//! The Allies may advance into Belgium; Germany may attack through Belgium or through the
//! Ardennes (not both). The Allies do not know the Ardennes is an option.

use negotiation::strategy::{Concept, ConflictBuilder};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut b = ConflictBuilder::new();
    b.option("advance").option("north").option("ardennes");
    b.decision_maker("Allies", ["advance"]);
    b.decision_maker("Germany", ["north", "ardennes"]);
    b.mutually_exclusive(["north", "ardennes"]);
    // Patterns are advance, north, ardennes; most preferred first.
    b.rank(
        "Allies",
        [["NNN"], ["YYN"], ["YNN"], ["NYN"], ["NNY"], ["YNY"]],
    );
    b.rank(
        "Germany",
        [["YNY"], ["NYN"], ["NNY"], ["NNN"], ["YNN"], ["YYN"]],
    );
    b.unaware("Allies", "ardennes");
    let conflict = b.build()?;

    println!("States:");
    for s in conflict.states() {
        println!("  {}", conflict.describe(s));
    }
    let hypergame = conflict.hypergame()?;
    println!("\nAs each side perceives the conflict:");
    print!("{}", hypergame.display(&conflict));
    let allies = conflict.dm_id("Allies").ok_or("no Allies")?;
    let view = hypergame.view(allies).ok_or("no view")?;
    println!(
        "\nThe Allies' view has {} states; its SEQ equilibria, in its own numbering: {:?}",
        view.state_count(),
        view.analyse()
            .equilibria(Concept::Seq)
            .into_iter()
            .map(|s| view.describe(s))
            .collect::<Vec<_>>()
    );

    // Whether Germany prefers an Ardennes attack on unadvanced Allies (NNY) to peace (NNN) is
    // not known.
    b.uncertain("Germany", "NNY", "NNN");
    let conflict = b.build()?;
    println!("\nWith Germany's order of NNY and NNN unknown:");
    print!("{}", conflict.analyse_uncertain().display(&conflict));
    Ok(())
}
