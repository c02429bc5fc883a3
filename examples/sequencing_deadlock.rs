//! A sequencing deadlock: two parties each sign only after the other has signed. The
//! deadlock report, then three ways out — either party drops its precondition, or the
//! signatures are exchanged through a third party (an escrow agent).
//!
//! ```sh
//! cargo run --example sequencing_deadlock
//! ```

use negotiation::{
    ConditionSpec, Move, Negotiation, Obstacle, Options, PlanError, Role, StageKind, StageSpec,
    TrackSpec,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Each party's condition "the other signs first" requires the other's signature.
    let mut neg = Negotiation::builder()
        .party("north", "Northland", Role::Principal)
        .party("south", "Southland", Role::Principal)
        .track(
            TrackSpec::new("accord", "Border accord", ["north", "south"]).stage(StageKind::Signed),
        )
        .condition(
            ConditionSpec::new("south_signs_first", "Southland signs first")
                .owed_by(["south"])
                .demanded_by("north"),
        )
        .condition(
            ConditionSpec::new("north_signs_first", "Northland signs first")
                .owed_by(["north"])
                .demanded_by("south"),
        )
        .requires("south_signs_first", "accord.signed.south")
        .requires("north_signs_first", "accord.signed.north")
        .build()?;
    neg.apply(
        &Move::link("north", "south_signs_first", "accord.signed").on("2026-03-01".parse()?),
    )?;
    let t = neg.apply(
        &Move::link("south", "north_signs_first", "accord.signed").on("2026-03-02".parse()?),
    )?;
    println!("# A sequencing deadlock\n");
    println!("Southland's move closed a cycle; its transition says so:");
    for d in &t.deadlocks {
        print!("{}", d.display(&neg));
    }

    println!("\n## Why there is no plan\n");
    match neg.plan("accord.signed", &Options::default()) {
        Err(PlanError::Unreachable { obstacles, .. }) => {
            for o in obstacles {
                if let Obstacle::Deadlock(d) = o {
                    print!("{}", d.display(&neg));
                }
            }
        }
        other => println!("unexpected: {other:?}"),
    }
    let signed = neg.node_id("accord.signed").ok_or("no stage")?;
    println!("\n{}", neg.blockers(signed)?.display(&neg));

    println!("## Way out 1 and 2: a party drops its precondition\n");
    let options = Options::new().allow_waivers(true);
    println!(
        "{}",
        neg.cheapest_unblocking("accord.signed", 4, &options)?
            .display(&neg)
    );
    for (who, condition) in [
        ("north", "south_signs_first"),
        ("south", "north_signs_first"),
    ] {
        let branch = neg.what_if(&[Move::unlink(who, condition, "accord.signed")]);
        println!("If {who} unlinks {condition}:");
        println!("  deadlocks left: {}", branch.after.deadlocks().len());
        print!(
            "{}",
            branch
                .after
                .plan("accord.signed", &Options::default())?
                .display(&branch.after)
        );
        println!();
    }

    println!("## Way out 3: exchange through a third party\n");
    // Both deposit their signed copies with an escrow agent, who releases them together.
    let mut escrow = Negotiation::builder()
        .party("north", "Northland", Role::Principal)
        .party("south", "Southland", Role::Principal)
        .party("agent", "Escrow agent", Role::Mediator)
        .track(
            TrackSpec::new("accord", "Border accord", ["north", "south"])
                .stage(StageSpec::new(StageKind::Custom("deposited".into())))
                .stage(StageKind::Signed),
        )
        .condition(
            ConditionSpec::new("released", "The agent releases both copies at once")
                .owed_by(["agent"])
                .demanded_by("north"),
        )
        .requires("released", "accord.deposited")
        .requires("accord.signed", "released")
        .build()?;
    println!(
        "{}",
        escrow
            .plan("accord.signed", &Options::default())?
            .display(&escrow)
    );
    println!("deadlocks: {}", escrow.deadlocks().len());
    let plan = escrow.plan("accord.signed", &Options::default())?;
    for m in &plan.moves {
        escrow.apply(&m.mv)?;
    }
    println!(
        "signed: {}",
        escrow.is_satisfied(escrow.node_id("accord.signed").ok_or("no stage")?)?
    );
    Ok(())
}
