//! The Fall of France (1940) as a first-level hypergame, then with one of Germany's
//! preferences unknown: `cargo run --example gmcr_hypergame`.
//!
//! The Allies may advance into Belgium; Germany may attack through Belgium or through the
//! Ardennes (not both). The Allies do not know the Ardennes is an option.

use negotiation::strategy::{Concept, ConflictBuilder};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Patterns are advance, north, ardennes; most preferred first.
    let b = ConflictBuilder::new()
        .option("advance")
        .option("north")
        .option("ardennes")
        .decision_maker("Allies", ["advance"])
        .decision_maker("Germany", ["north", "ardennes"])
        .mutually_exclusive(["north", "ardennes"])
        .rank(
            "Allies",
            [["NNN"], ["YYN"], ["YNN"], ["NYN"], ["NNY"], ["YNY"]],
        )
        .rank(
            "Germany",
            [["YNY"], ["NYN"], ["NNY"], ["NNN"], ["YNN"], ["YYN"]],
        )
        .unaware("Allies", "ardennes");
    let conflict = b.clone().build()?;

    println!("States:");
    for s in conflict.states() {
        println!("  {}", s.display(&conflict));
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
            .map(|s| s.display(view).to_string())
            .collect::<Vec<_>>()
    );

    // Whether Germany prefers an Ardennes attack on unadvanced Allies (NNY) to peace (NNN) is
    // not known.
    let conflict = b.uncertain("Germany", "NNY", "NNN").build()?;
    println!("\nWith Germany's order of NNY and NNN unknown:");
    print!("{}", conflict.analyse_uncertain().display(&conflict));
    Ok(())
}
