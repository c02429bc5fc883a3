//! The analyst's report as one self-contained HTML page (feature `svg`).

use std::fmt::Write as _;

use crate::report::{focus, report};
use crate::scenario::Scenario;
use crate::state::Negotiation;

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:70rem;margin:2rem auto;\
padding:0 1rem;color:#1d1d1f;line-height:1.45}\
h1{font-size:1.7rem}h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #ddd}\
h3{font-size:1.1rem}\
pre{background:#f6f6f6;padding:.6rem .8rem;white-space:pre-wrap;font-size:.85rem;line-height:1.35}\
figure{margin:1rem 0;overflow-x:auto}figure svg{max-width:100%;height:auto}\
figcaption{font-size:.85rem;color:#555}";

/// The analyst's [`report`] as one self-contained HTML page: its sections, with each
/// focus stage's blocker picture (an inline SVG, [`Explanation::to_svg`]) after the
/// explanation, and the per-party timeline. Inline CSS; no script, font or image is fetched.
///
/// [`Explanation::to_svg`]: crate::Explanation::to_svg
///
/// # Examples
///
/// ```
/// use negotiation::{report_html, Scenario};
///
/// let json = include_str!("../examples/scenarios/armenia_azerbaijan_2025.json");
/// let (scenario, neg) = Scenario::from_json(json)?;
/// let html = report_html(&scenario, &neg);
/// assert!(html.starts_with("<!DOCTYPE html>"));
/// assert!(html.contains("<svg"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn report_html(scenario: &Scenario, neg: &Negotiation) -> String {
    let title = scenario.title.as_deref().unwrap_or("Negotiation report");
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(title)
    );
    let pictures: Vec<(String, String)> = focus(scenario, neg)
        .into_iter()
        .filter(|&t| neg.blocked(t))
        .map(|t| {
            let key = neg.key_of(t).to_owned();
            let svg = match neg.explain(t).to_svg(neg) {
                Ok(svg) => inline_svg(&svg),
                Err(e) => format!("<p>(no picture: {})</p>", escape(&e.to_string())),
            };
            (key, svg)
        })
        .collect();
    let text = report(scenario, neg);
    let mut section: Option<String> = None;
    for block in text.split("\n\n") {
        let block = block.trim_end_matches('\n');
        if block.is_empty() {
            continue;
        }
        if let Some(h) = block.strip_prefix("## ") {
            close_section(&mut out, section.take(), &pictures);
            let _ = writeln!(out, "<h2>{}</h2>", escape(h));
            section = Some(h.to_owned());
        } else if let Some(h) = block.strip_prefix("### ") {
            let _ = writeln!(out, "<h3>{}</h3>", escape(h));
        } else if let Some(h) = block.strip_prefix("# ") {
            let _ = writeln!(out, "<h1>{}</h1>", escape(h));
        } else if block.lines().all(|l| l.starts_with("- ")) {
            out.push_str("<ul>\n");
            for l in block.lines() {
                let _ = writeln!(out, "<li>{}</li>", escape(&l[2..]));
            }
            out.push_str("</ul>\n");
        } else if block.lines().count() == 1 && !block.starts_with(' ') {
            let _ = writeln!(out, "<p>{}</p>", escape(block));
        } else {
            let _ = writeln!(out, "<pre>{}</pre>", escape(block));
        }
    }
    close_section(&mut out, section, &pictures);
    out.push_str("<h2>Timeline by party</h2>\n");
    match neg.timeline() {
        Ok(t) => {
            let _ = writeln!(out, "<pre>{}</pre>", escape(&t.display(neg).to_string()));
        }
        Err(e) => {
            let _ = writeln!(
                out,
                "<p>(the history does not replay: {})</p>",
                escape(&e.to_string())
            );
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// After a *What blocks X* section, X's picture.
fn close_section(out: &mut String, section: Option<String>, pictures: &[(String, String)]) {
    let Some(key) = section
        .as_deref()
        .and_then(|s| s.strip_prefix("What blocks "))
    else {
        return;
    };
    if let Some((key, svg)) = pictures.iter().find(|(k, _)| k == key) {
        let _ = writeln!(
            out,
            "<figure>\n{svg}\n<figcaption>What blocks {}: the outstanding requirements \
             (the frontier outlined in bold, deadlock edges in red).</figcaption>\n</figure>",
            escape(key)
        );
    }
}

/// An SVG document as an element to inline in HTML: whatever precedes `<svg` (an XML
/// declaration, a doctype) dropped.
fn inline_svg(svg: &str) -> String {
    svg.find("<svg")
        .map_or_else(String::new, |i| svg[i..].to_owned())
}

/// Text escaped for HTML element content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
