//! Pictures: DOT and Mermaid of the requirement graph, of explanations and of conflicts.

use std::collections::BTreeSet;

use negotiation::strategy::{Concept, Conflict, ConflictBuilder, MAX_PICTURE_STATES};
use negotiation::{ConditionSpec, Move, Negotiation, NodeId, Role, Scenario, StageKind, TrackSpec};

const SCENARIOS: [&str; 3] = [
    include_str!("../examples/scenarios/armenia_azerbaijan_2025.json"),
    include_str!("../examples/scenarios/acquisition_closing.json"),
    include_str!("../examples/scenarios/trade_ratification.json"),
];

const CONFLICTS: [&str; 4] = [
    include_str!("../examples/gmcr/armenia_azerbaijan.gmcr"),
    include_str!("../examples/gmcr/chicken.gmcr"),
    include_str!("../examples/gmcr/prisoners_dilemma.gmcr"),
    include_str!("../examples/gmcr/syria_iraq.gmcr"),
];

/// Undoes the DOT escapes the crate writes (`\"`, `\\`, `\n`).
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => panic!("a dangling backslash in {s:?}"),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A node statement of the DOT text: (id, unescaped label, the whole line).
fn dot_nodes(dot: &str) -> Vec<(String, String, String)> {
    dot.lines()
        .map(str::trim)
        .filter(|l| !l.contains(" -> ") && l.contains(" [label=\""))
        .map(|l| {
            let (id, rest) = l.split_once(" [label=\"").unwrap();
            // The label ends at the first unescaped quote.
            let mut end = 0;
            let bytes = rest.as_bytes();
            while bytes[end] != b'"' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            (id.to_owned(), unescape(&rest[..end]), l.to_owned())
        })
        .collect()
}

/// The edge statements of the DOT text: (from id, to id, the whole line).
fn dot_edges(dot: &str) -> Vec<(String, String, String)> {
    dot.lines()
        .map(str::trim)
        .filter_map(|l| {
            let (from, rest) = l.split_once(" -> ")?;
            let (to, _) = rest.split_once(' ')?;
            Some((from.to_owned(), to.to_owned(), l.to_owned()))
        })
        .collect()
}

/// The key a node's label starts with (its first line, without `target: `).
fn label_key(label: &str) -> &str {
    let first = label.lines().next().unwrap_or("");
    first.strip_prefix("target: ").unwrap_or(first)
}

/// A structural check of DOT text: every quoted string closes on its line, braces balance
/// outside strings, and each line is a statement the crate writes.
fn check_dot(dot: &str) {
    assert!(dot.starts_with("digraph "), "{dot}");
    let mut depth = 0i32;
    for line in dot.lines() {
        let mut in_string = false;
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' if in_string => {
                    assert!(chars.next().is_some(), "a dangling escape: {line}");
                }
                '"' => in_string = !in_string,
                '{' if !in_string => depth += 1,
                '}' if !in_string => depth -= 1,
                c if !in_string => assert!(
                    c.is_ascii_alphanumeric() || " _=[],;-#>.".contains(c),
                    "unexpected {c:?} outside a string: {line}"
                ),
                _ => assert!(!c.is_control(), "a control character in {line:?}"),
            }
        }
        assert!(!in_string, "an unclosed string: {line}");
        assert!(depth >= 0, "{dot}");
    }
    assert_eq!(depth, 0, "{dot}");
    #[cfg(feature = "svg")]
    {
        let mut parser = layout::gv::DotParser::new(dot);
        if let Err(e) = parser.process() {
            panic!("layout-rs does not parse it: {e}\n{dot}");
        }
    }
    check_with_graphviz(dot);
}

/// When Graphviz is installed, `dot` must accept the text without a warning.
fn check_with_graphviz(dot: &str) {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let Ok(mut child) = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
    else {
        return;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.trim().is_empty(),
        "{stderr}\n{dot}"
    );
}

/// A structural check of Mermaid text: a flowchart, ids `n<digits>`/`t<digits>`/`note`, and
/// no raw quote inside a label.
fn check_mermaid(mermaid: &str) {
    assert!(mermaid.starts_with("flowchart TB\n"), "{mermaid}");
    for line in mermaid.lines().skip(1) {
        let line = line.trim();
        if line.starts_with("%%")
            || line.starts_with("classDef ")
            || line.starts_with("linkStyle ")
            || line == "end"
        {
            continue;
        }
        assert!(!line.chars().any(char::is_control), "{line:?}");
        let id: String = line
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let id = if let Some(rest) = line.strip_prefix("style ") {
            rest.split(' ').next().unwrap().to_owned()
        } else if let Some(rest) = line.strip_prefix("subgraph ") {
            rest.split('[').next().unwrap().to_owned()
        } else {
            id
        };
        assert!(
            id == "note"
                || (id.len() > 1
                    && (id.starts_with('n') || id.starts_with('t'))
                    && id[1..].chars().all(|c| c.is_ascii_digit())),
            "a bad id in {line}"
        );
        // Each label is one quoted string: quotes come in pairs with no quote inside.
        assert_eq!(line.matches('"').count() % 2, 0, "{line}");
        for (k, part) in line.split('"').enumerate() {
            if k % 2 == 1 {
                assert!(
                    !part.contains(['<', '>']) || part.contains("<br/>"),
                    "{line}"
                );
                assert!(!part.replace("<br/>", "").contains(['<', '>']), "{line}");
            }
        }
    }
}

fn load(json: &str) -> Negotiation {
    Scenario::from_json(json).unwrap().1
}

#[test]
fn an_explanation_picture_shows_exactly_the_outstanding_part() {
    for json in SCENARIOS {
        let (scenario, neg) = Scenario::from_json(json).unwrap();
        let focus = scenario.focus.as_deref().unwrap();
        let why = neg.blockers(focus).unwrap();
        assert!(!why.is_empty());
        let dot = why.to_dot(&neg);
        check_dot(&dot);
        check_mermaid(&why.to_mermaid(&neg));
        let drawn: BTreeSet<String> = dot_nodes(&dot)
            .iter()
            .map(|(_, label, _)| label_key(label).to_owned())
            .collect();
        let entries: BTreeSet<String> = why
            .entries()
            .iter()
            .map(|e| neg.key(e.node).unwrap().to_owned())
            .collect();
        assert_eq!(drawn, entries);
        // Unmet nodes not in the way are not drawn, and there are some.
        let irrelevant: Vec<NodeId> = neg
            .node_ids()
            .filter(|&n| !neg.is_satisfied(n).unwrap() && !entries.contains(neg.key(n).unwrap()))
            .collect();
        for n in &irrelevant {
            assert!(!drawn.contains(neg.key(*n).unwrap()));
        }
        // Every cause is an edge, and nothing else.
        let causes: usize = (0..why.entries().len()).map(|i| why.causes(i).len()).sum();
        assert_eq!(dot_edges(&dot).len(), causes);
        // The target has a double border, the frontier a thick one.
        let frontier: BTreeSet<String> = why
            .frontier()
            .into_iter()
            .map(|n| format!("n{}", n.index()))
            .collect();
        assert!(!frontier.is_empty());
        for (id, label, line) in dot_nodes(&dot) {
            assert_eq!(
                line.contains("penwidth=3"),
                frontier.contains(&id),
                "{line}"
            );
            assert_eq!(
                line.contains("peripheries=2"),
                label.starts_with("target: "),
                "{line}"
            );
        }
        assert_eq!(dot.matches("peripheries=2").count(), 1);
    }
}

#[test]
fn the_flagship_picture_names_its_colours_and_clusters() {
    let neg = load(SCENARIOS[0]);
    let signed = neg.node_id("peace.signed").unwrap();
    let dot = neg.blockers(signed).unwrap().to_dot(&neg);
    assert!(dot.contains("subgraph \"cluster_peace\""), "{dot}");
    assert!(dot.contains("precondition: Azerbaijan"), "{dot}");
    let nodes = dot_nodes(&dot);
    let line = |key: &str| {
        nodes
            .iter()
            .find(|(_, label, _)| label_key(label) == key)
            .map(|(_, _, line)| line.clone())
            .unwrap()
    };
    assert!(line("amend_constitution").contains("#ffcc80")); // contested
    assert!(line("dissolve_minsk_group").contains("#fff59d")); // unmet
    assert!(line("peace.signed").contains("#ef9a9a")); // blocked
    let mermaid = neg.blockers(signed).unwrap().to_mermaid(&neg);
    assert!(mermaid.contains(":::contested"), "{mermaid}");
    assert!(mermaid.contains("style n"), "{mermaid}");
}

#[test]
fn the_whole_graph_has_every_node_and_requirement() {
    for json in SCENARIOS {
        let neg = load(json);
        let dot = neg.to_dot();
        check_dot(&dot);
        let mermaid = neg.to_mermaid();
        check_mermaid(&mermaid);
        let nodes = dot_nodes(&dot);
        assert_eq!(nodes.len(), neg.node_count());
        for (id, label, line) in &nodes {
            let n = NodeId::index(neg.node_id(label_key(label)).unwrap());
            assert_eq!(id, &format!("n{n}"));
            let met = neg
                .is_satisfied(neg.node_id(label_key(label)).unwrap())
                .unwrap();
            let fill = ["#c8e6c9", "#b3e5fc", "#e0e0e0"]
                .iter()
                .any(|f| line.contains(f));
            assert_eq!(met, fill, "{line}");
        }
        let edges: usize = neg
            .node_ids()
            .map(|n| neg.requirements(n).unwrap().len())
            .sum();
        assert_eq!(dot_edges(&dot).len(), edges);
        for t in neg.tracks() {
            assert!(dot.contains(&format!("subgraph \"cluster_{}\"", t.key())));
        }
        // Mermaid: the same nodes and edges.
        assert_eq!(mermaid.matches(":::").count(), neg.node_count());
        assert_eq!(
            mermaid.matches("-->|").count() + mermaid.matches("-.->|").count(),
            edges
        );
    }
}

/// The sequencing deadlock of `examples/sequencing_deadlock.rs`.
pub(crate) fn sequencing_deadlock() -> Negotiation {
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
        .condition(ConditionSpec::new("unrelated", "Not in the way").owed_by(["north"]))
        .requires("south_signs_first", "accord.signed.south")
        .requires("north_signs_first", "accord.signed.north")
        .build()
        .unwrap();
    neg.apply(&Move::link("north", "south_signs_first", "accord.signed"))
        .unwrap();
    neg.apply(&Move::link("south", "north_signs_first", "accord.signed"))
        .unwrap();
    neg
}

#[test]
fn deadlock_edges_are_red_and_no_others() {
    let neg = sequencing_deadlock();
    let why = neg.blockers(neg.node_id("accord.signed").unwrap()).unwrap();
    assert!(!why.deadlocks().is_empty());
    let cycle: BTreeSet<(String, String)> = why
        .deadlocks()
        .iter()
        .flat_map(|d| &d.edges)
        .map(|e| (format!("n{}", e.from.index()), format!("n{}", e.to.index())))
        .collect();
    let dot = why.to_dot(&neg);
    check_dot(&dot);
    assert!(!dot.contains("unrelated"));
    let edges = dot_edges(&dot);
    let red = edges
        .iter()
        .filter(|(_, _, line)| line.contains("color=\"#d32f2f\""))
        .count();
    assert_eq!(red, cycle.len());
    for (from, to, line) in &edges {
        assert_eq!(
            line.contains("color=\"#d32f2f\""),
            cycle.contains(&(from.clone(), to.clone())),
            "{line}"
        );
    }
    // No frontier: every blocker waits on another.
    assert!(why.frontier().is_empty());
    let mermaid = why.to_mermaid(&neg);
    check_mermaid(&mermaid);
    assert!(mermaid.contains("stroke:#d32f2f"), "{mermaid}");
}

#[test]
fn weird_ids_and_names_give_valid_text() {
    let weird = Negotiation::builder()
        .party(
            "p\"q",
            "A \"quoted\" party\\with <tags> & #hash; `tick` | pipe",
            Role::Principal,
        )
        .party("b\\s", "Back\\slash\nnewline", Role::Principal)
        .track(
            TrackSpec::new("<t>", "A \"track\"\n{braces}", ["p\"q", "b\\s"])
                .stage(StageKind::Custom("s\"t".into()))
                .stage(StageKind::Signed),
        )
        .condition(
            ConditionSpec::new("a\"b", "Quote \" in it")
                .owed_by(["b\\s"])
                .demanded_by("p\"q"),
        )
        .condition(ConditionSpec::new("a\\b", "ends with a backslash\\").owed_by(["p\"q"]))
        .condition(ConditionSpec::new("<x>", "<b>bold</b>").owed_by(["p\"q"]))
        .condition(ConditionSpec::new("end", "the keyword").owed_by(["p\"q"]))
        .precondition("p\"q", "a\"b", "<t>.signed")
        .requires("a\"b", "a\\b")
        .requires("a\\b", "<x>")
        .requires("<x>", "end")
        .build()
        .unwrap();
    let target = weird.node_id("<t>.signed").unwrap();
    let why = weird.blockers(target).unwrap();
    assert!(!why.is_empty());
    for dot in [weird.to_dot(), why.to_dot(&weird)] {
        check_dot(&dot);
        let keys: BTreeSet<String> = dot_nodes(&dot)
            .iter()
            .map(|(_, label, _)| label_key(label).to_owned())
            .collect();
        for key in ["a\"b", "a\\b", "<x>"] {
            assert!(keys.contains(key), "{key} in {dot}");
        }
    }
    for mermaid in [weird.to_mermaid(), why.to_mermaid(&weird)] {
        check_mermaid(&mermaid);
        assert!(mermaid.contains("a#quot;b"), "{mermaid}");
        assert!(mermaid.contains("#lt;x#gt;"), "{mermaid}");
    }
}

fn conflicts() -> Vec<Conflict> {
    CONFLICTS
        .iter()
        .map(|text| Conflict::from_gmcr(text).unwrap())
        .collect()
}

#[test]
fn a_conflict_picture_marks_exactly_the_equilibria() {
    for c in conflicts() {
        let analysis = c.analyse();
        for concept in Concept::ALL {
            let dot = analysis.to_dot(concept);
            check_dot(&dot);
            let marked: Vec<String> = dot_nodes(&dot)
                .into_iter()
                .filter(|(_, _, line)| line.contains("peripheries=2"))
                .map(|(id, _, _)| id)
                .collect();
            let equilibria: Vec<String> = analysis
                .equilibria(concept)
                .into_iter()
                .map(|s| format!("n{}", s.index()))
                .collect();
            assert_eq!(marked, equilibria, "{concept}");
            // Every state, labelled with its number and pattern.
            let nodes = dot_nodes(&dot);
            assert_eq!(nodes.len(), c.state_count());
            for (s, (_, label, _)) in c.states().zip(&nodes) {
                assert!(label.starts_with(&format!("{}\n{}", s.number(), c.pattern(s).unwrap())));
            }
            // One edge per improvement of each decision maker.
            let improvements: usize = c
                .states()
                .map(|s| {
                    c.dm_ids()
                        .map(|d| c.improvements(d, s).unwrap().count())
                        .sum::<usize>()
                })
                .sum();
            assert_eq!(dot_edges(&dot).len(), improvements);
            let mermaid = analysis.to_mermaid(concept);
            check_mermaid(&mermaid);
            assert_eq!(mermaid.matches("(((").count(), equilibria.len());
        }
    }
}

#[test]
fn a_big_conflict_is_cut_to_the_limit_with_a_note() {
    // Ten independent options, one per decision maker: 1,024 states.
    let mut b = ConflictBuilder::new();
    for k in 0..10 {
        let o = format!("o{k}");
        b = b.option(o.clone());
        b = b.decision_maker(format!("d{k}"), [o.clone()]);
        b = b.prioritize(&format!("d{k}"), [o]);
    }
    let c = b.build().unwrap();
    assert!(c.state_count() > MAX_PICTURE_STATES);
    let a = c.analyse();
    let dot = a.to_dot(Concept::Nash);
    check_dot(&dot);
    let nodes = dot_nodes(&dot);
    assert_eq!(nodes.len(), MAX_PICTURE_STATES + 1);
    assert!(nodes.iter().any(|(id, label, _)| id == "note"
        && label.contains(&format!("{} more states", 1024 - MAX_PICTURE_STATES))));
    // The one equilibrium (every option taken) is drawn and marked.
    let eq = a.equilibria(Concept::Nash);
    assert_eq!(eq.len(), 1);
    assert!(dot.contains(&format!("n{} [label=", eq[0].index())));
    assert_eq!(dot.matches("peripheries=2").count(), 1);
    check_mermaid(&a.to_mermaid(Concept::Nash));
}

#[test]
fn pictures_are_deterministic() {
    for json in SCENARIOS {
        let (scenario, neg) = Scenario::from_json(json).unwrap();
        let again = load(json);
        // A key names the focus in both negotiations (a handle belongs to one).
        let focus = scenario.focus.as_deref().unwrap();
        assert_eq!(neg.to_dot(), again.to_dot());
        assert_eq!(neg.to_mermaid(), again.to_mermaid());
        assert_eq!(
            neg.blockers(focus).unwrap().to_dot(&neg),
            again.blockers(focus).unwrap().to_dot(&again)
        );
        assert_eq!(
            neg.blockers(focus).unwrap().to_mermaid(&neg),
            again.blockers(focus).unwrap().to_mermaid(&again)
        );
    }
    for c in conflicts() {
        assert_eq!(
            c.analyse().to_dot(Concept::Seq),
            c.clone().analyse().to_dot(Concept::Seq)
        );
    }
}

#[test]
fn an_empty_explanation_is_an_empty_picture() {
    let neg = load(SCENARIOS[0]);
    let finalized = neg.node_id("peace.finalized").unwrap();
    let why = neg.blockers(finalized).unwrap();
    assert!(why.is_empty());
    let dot = why.to_dot(&neg);
    check_dot(&dot);
    assert!(dot_nodes(&dot).is_empty());
    check_mermaid(&why.to_mermaid(&neg));
}

#[cfg(feature = "svg")]
mod svg {
    use super::*;
    use negotiation::{PictureError, MAX_SVG_ELEMENTS};

    fn check_svg(svg: &str, keys: &[&str]) {
        assert!(svg.starts_with("<?xml") || svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("<svg") && svg.trim_end().ends_with("</svg>"));
        for key in keys {
            assert!(svg.contains(key), "{key} missing");
        }
        // The picture's height holds every box, with at most a margin below the lowest.
        let number = |tag: &str, name: &str| -> f64 {
            let start = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            tag[start..]
                .split('"')
                .next()
                .unwrap()
                .trim()
                .parse()
                .unwrap()
        };
        let height = number(svg.split('>').nth(1).unwrap(), "height");
        let boxes = svg
            .split("<rect")
            .skip(1)
            .map(|r| number(r, "y") + number(r, "height"));
        let ellipses = svg
            .split("<ellipse")
            .skip(1)
            .map(|e| number(e, "cy") + number(e, "ry"));
        let lowest = boxes.chain(ellipses).fold(0.0, f64::max);
        assert!(lowest <= height, "a box ends at {lowest}, below {height}");
        assert!(
            height <= lowest + 60.0,
            "{height} leaves room under {lowest}"
        );
    }

    #[test]
    fn explanations_graphs_and_conflicts_render_to_svg() {
        for json in SCENARIOS {
            let (scenario, neg) = Scenario::from_json(json).unwrap();
            let focus = scenario.focus.as_deref().unwrap();
            let why = neg.blockers(focus).unwrap();
            let keys: Vec<&str> = why
                .entries()
                .iter()
                .map(|e| neg.key(e.node).unwrap())
                .collect();
            let svg = why.to_svg(&neg).unwrap();
            check_svg(&svg, &keys);
            assert_eq!(svg, why.to_svg(&neg).unwrap());
        }
        let neg = load(SCENARIOS[0]);
        let keys: Vec<&str> = neg.node_ids().map(|n| neg.key(n).unwrap()).collect();
        check_svg(&neg.to_svg().unwrap(), &keys);
        let deadlock = sequencing_deadlock();
        let why = deadlock
            .blockers(deadlock.node_id("accord.signed").unwrap())
            .unwrap();
        let svg = why.to_svg(&deadlock).unwrap();
        check_svg(&svg, &["north_signs_first", "south_signs_first"]);
        assert!(svg.contains("#d32f2f"));
        for c in conflicts() {
            let svg = c.analyse().to_svg(Concept::Nash).unwrap();
            check_svg(&svg, &[&c.pattern(c.states().next().unwrap()).unwrap()]);
        }
        // Nothing blocked: a one-line picture.
        let why = neg
            .blockers(neg.node_id("peace.finalized").unwrap())
            .unwrap();
        check_svg(&why.to_svg(&neg).unwrap(), &["nothing is blocked"]);
    }

    #[test]
    fn weird_ids_are_escaped_in_svg() {
        let neg = Negotiation::builder()
            .party("p", "P & <Q>", Role::Principal)
            .track(TrackSpec::new("t", "T", ["p"]).stage(StageKind::Signed))
            .condition(ConditionSpec::new("<x>\"&", "weird").owed_by(["p"]))
            .precondition("p", "<x>\"&", "t.signed")
            .build()
            .unwrap();
        let why = neg.blockers(neg.node_id("t.signed").unwrap()).unwrap();
        let svg = why.to_svg(&neg).unwrap();
        check_svg(&svg, &["&lt;x&gt;&quot;&amp;", "P &amp; &lt;Q&gt;"]);
        assert!(!svg.contains("<x>"));
    }

    #[test]
    fn a_picture_too_big_for_the_layout_is_refused_by_name() {
        let mut b = Negotiation::builder().party("p", "P", Role::Principal);
        b = b.track(TrackSpec::new("t", "T", ["p"]).stage(StageKind::Signed));
        for k in 0..MAX_SVG_ELEMENTS {
            b = b.condition(ConditionSpec::new(format!("c{k}"), "C").owed_by(["p"]));
        }
        let neg = b.build().unwrap();
        match neg.to_svg() {
            Err(PictureError::TooLarge { what, count, max }) => {
                assert_eq!(what, "the requirement graph");
                assert!(count > max);
            }
            other => panic!("{other:?}"),
        }
    }
}
