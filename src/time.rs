//! Dates as analysts write them (a year, a month or a day) and spans of time ("90 days",
//! "2 months"). Calendar arithmetic is jiff's; this module adds precision.

use std::fmt;
use std::str::FromStr;

/// How precisely a [`Date`] is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Precision {
    /// A year: `2024`.
    Year,
    /// A month: `2025-03`.
    Month,
    /// A day: `2025-03-13`.
    Day,
}

/// A calendar date with its precision: a year (`2024`), a month (`2025-03`) or a day
/// (`2025-03-13`), in ISO 8601, years 0000 to 9999. A coarse date stands for its whole period:
/// `2024` is any day of 2024.
///
/// **Order.** Dates are ordered by the first day of their period, and a coarser date before a
/// finer one that starts on the same day: `2024 < 2024-01 < 2024-01-01 < 2024-01-02 < 2024-02`.
/// This is the order of a sorted table. Whether one date is *certainly* before another (its
/// whole period ends before the other's begins) is [`Date::is_before`]: `2024-03` is not
/// certainly before `2024-03-13`, nor after it.
///
/// ```
/// use negotiation::{Date, Precision, Span};
///
/// let march: Date = "2025-03".parse()?;
/// assert_eq!(march.precision(), Precision::Month);
/// assert_eq!(march.last_day().to_string(), "2025-03-31");
/// assert!(march < "2025-03-13".parse()?);
/// assert!(!march.is_before("2025-03-13".parse()?));
/// // Arithmetic keeps the precision when the span's unit allows it.
/// assert_eq!(march.checked_add("2 months".parse()?)?.to_string(), "2025-05");
/// assert_eq!(march.checked_add("10 days".parse::<Span>()?)?.to_string(), "2025-03-11");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
#[must_use]
pub struct Date {
    /// The first day of the period (field order gives the documented order).
    first: jiff::civil::Date,
    precision: Precision,
}

/// A date or a span that does not parse or cannot be represented.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// The text is not a date (`2025`, `2025-03`, `2025-03-13`) or not a span (`90 days`).
    #[error("`{text}` is not {expected}")]
    Malformed {
        /// The text.
        text: String,
        /// What was expected.
        expected: &'static str,
    },
    /// The result of an arithmetic step falls outside the years 0000 to 9999.
    #[error("{what} falls outside the years 0000 to 9999")]
    OutOfRange {
        /// The computation (`2025-03-13 + 9999 years`).
        what: String,
    },
}

const DATE_FORMS: &str = "a date (`2025`, `2025-03` or `2025-03-13`, years 0000 to 9999)";
const SPAN_FORMS: &str =
    "a span (`90 days`, `2 weeks`, `3 months`, `1 year`, or ISO 8601 `P90D`, `P2W`, `P3M`, `P1Y`)";

impl Date {
    /// A year, `2024`.
    ///
    /// # Errors
    ///
    /// [`DateError::OutOfRange`] outside 0000 to 9999.
    pub fn year(year: i16) -> Result<Date, DateError> {
        Date::new(year, 1, 1, Precision::Year)
    }

    /// A month, `2025-03`.
    ///
    /// # Errors
    ///
    /// [`DateError::OutOfRange`] for a year outside 0000 to 9999 or a month outside 1 to 12.
    pub fn month(year: i16, month: i8) -> Result<Date, DateError> {
        Date::new(year, month, 1, Precision::Month)
    }

    /// A day, `2025-03-13`.
    ///
    /// # Errors
    ///
    /// [`DateError::OutOfRange`] for a day that does not exist.
    pub fn day(year: i16, month: i8, day: i8) -> Result<Date, DateError> {
        Date::new(year, month, day, Precision::Day)
    }

    fn new(year: i16, month: i8, day: i8, precision: Precision) -> Result<Date, DateError> {
        let out_of_range = || DateError::OutOfRange {
            what: format!("{year:04}-{month:02}-{day:02}"),
        };
        if !(0..=9999).contains(&year) {
            return Err(out_of_range());
        }
        let first = jiff::civil::Date::new(year, month, day).map_err(|_| out_of_range())?;
        Ok(Date { first, precision })
    }

    fn from_jiff(first: jiff::civil::Date, precision: Precision) -> Option<Date> {
        (0..=9999)
            .contains(&first.year())
            .then_some(Date { first, precision })
    }

    /// How precisely the date is known.
    #[must_use]
    pub fn precision(self) -> Precision {
        self.precision
    }

    /// The first day of the period (`2025-03` → `2025-03-01`).
    pub fn first_day(self) -> Date {
        Date {
            first: self.first,
            precision: Precision::Day,
        }
    }

    /// The last day of the period (`2025-03` → `2025-03-31`).
    pub fn last_day(self) -> Date {
        Date {
            first: self.last(),
            precision: Precision::Day,
        }
    }

    fn last(self) -> jiff::civil::Date {
        match self.precision {
            Precision::Day => self.first,
            Precision::Month => self.first.last_of_month(),
            Precision::Year => self.first.last_of_year(),
        }
    }

    /// Whether this date is certainly before `other`: its period ends before `other`'s begins.
    #[must_use]
    pub fn is_before(self, other: Date) -> bool {
        self.last() < other.first
    }

    /// Whether the two periods share a day (`2025-03` and `2025-03-13` do).
    #[must_use]
    pub fn overlaps(self, other: Date) -> bool {
        !self.is_before(other) && !other.is_before(self)
    }

    /// The date `span` later. A span in units at least as coarse as the date's precision shifts
    /// the whole period (`2025-03` + 2 months = `2025-05`); a finer one is added to the first
    /// day and gives a day (`2025-03` + 10 days = `2025-03-11`). Adding months clamps to the
    /// end of a shorter month (`2025-01-31` + 1 month = `2025-02-28`).
    ///
    /// # Errors
    ///
    /// [`DateError::OutOfRange`] past 9999.
    pub fn checked_add(self, span: Span) -> Result<Date, DateError> {
        let precision = if self.keeps_precision(span) {
            self.precision
        } else {
            Precision::Day
        };
        let out_of_range = || DateError::OutOfRange {
            what: format!("{self} + {span}"),
        };
        let shifted = span
            .to_jiff()
            .and_then(|s| self.first.checked_add(s).ok())
            .ok_or_else(out_of_range)?;
        Date::from_jiff(shifted, precision).ok_or_else(out_of_range)
    }

    /// The end of the period `span` after this one ends: what "within `span` after" a node
    /// satisfied on this date means. A span in units at least as coarse as the precision
    /// shifts the period (`2026-02` + 2 months = `2026-04`, due by its end); a finer one is
    /// added to the last day (`2026-02` + 10 days = `2026-03-10`).
    ///
    /// # Errors
    ///
    /// [`DateError::OutOfRange`] past 9999.
    pub fn end_plus(self, span: Span) -> Result<Date, DateError> {
        if self.keeps_precision(span) {
            self.checked_add(span)
        } else {
            self.last_day().checked_add(span)
        }
    }

    fn keeps_precision(self, span: Span) -> bool {
        matches!(
            (self.precision, span.unit),
            (Precision::Day, _)
                | (Precision::Month, Unit::Month | Unit::Year)
                | (Precision::Year, Unit::Year)
        )
    }

    /// Whole days from the last day of `earlier` to the first day of `self` (negative when
    /// `self` starts first): how late something due `earlier` is on `self`.
    #[must_use]
    pub fn days_after(self, earlier: Date) -> i32 {
        days_between(earlier.last(), self.first)
    }
}

/// Days from `a` to `b`, negative when `b` is first.
fn days_between(a: jiff::civil::Date, b: jiff::civil::Date) -> i32 {
    // Both dates are within 0000–9999, so the difference in days always fits a span.
    a.until(b).map_or(0, |s| s.get_days())
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.first;
        match self.precision {
            Precision::Year => write!(f, "{:04}", d.year()),
            Precision::Month => write!(f, "{:04}-{:02}", d.year(), d.month()),
            Precision::Day => write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
        }
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Date, DateError> {
        let malformed = || DateError::Malformed {
            text: text.to_owned(),
            expected: DATE_FORMS,
        };
        let number = |s: &str, len: usize| -> Result<i16, DateError> {
            if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(malformed());
            }
            s.parse().map_err(|_| malformed())
        };
        let mut parts = text.split('-');
        let year = number(parts.next().unwrap_or(""), 4)?;
        let month = parts.next().map(|m| number(m, 2)).transpose()?;
        let day = parts.next().map(|d| number(d, 2)).transpose()?;
        if parts.next().is_some() {
            return Err(malformed());
        }
        // Two-digit numbers fit an i8.
        let date = match (month, day) {
            (None, _) => Date::year(year),
            (Some(m), None) => Date::month(year, m as i8),
            (Some(m), Some(d)) => Date::day(year, m as i8, d as i8),
        };
        date.map_err(|_| malformed())
    }
}

impl TryFrom<String> for Date {
    type Error = DateError;

    fn try_from(text: String) -> Result<Date, DateError> {
        text.parse()
    }
}

impl From<Date> for String {
    fn from(date: Date) -> String {
        date.to_string()
    }
}

/// The unit of a [`Span`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Unit {
    /// Calendar days.
    Day,
    /// Weeks of seven days.
    Week,
    /// Calendar months.
    Month,
    /// Calendar years.
    Year,
}

impl Unit {
    fn name(self) -> &'static str {
        match self {
            Unit::Day => "day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Year => "year",
        }
    }
}

/// A span of calendar time in one unit: `90 days`, `2 weeks`, `3 months`, `1 year`; files
/// also accept ISO 8601 `P90D`, `P2W`, `P3M`, `P1Y`. Printed in words.
///
/// ```
/// use negotiation::{Span, Unit};
///
/// let s: Span = "P60D".parse()?;
/// assert_eq!((s.amount(), s.unit()), (60, Unit::Day));
/// assert_eq!(s.to_string(), "60 days");
/// # Ok::<(), negotiation::DateError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
#[must_use]
pub struct Span {
    unit: Unit,
    amount: u32,
}

impl Span {
    /// `amount` of `unit`.
    pub fn new(amount: u32, unit: Unit) -> Span {
        Span { unit, amount }
    }

    /// `days` days.
    pub fn days(days: u32) -> Span {
        Span::new(days, Unit::Day)
    }

    pub(crate) const fn days_const(days: u32) -> Span {
        Span {
            unit: Unit::Day,
            amount: days,
        }
    }

    /// `months` months.
    pub fn months(months: u32) -> Span {
        Span::new(months, Unit::Month)
    }

    /// How many units.
    #[must_use]
    pub fn amount(self) -> u32 {
        self.amount
    }

    /// The unit.
    #[must_use]
    pub fn unit(self) -> Unit {
        self.unit
    }

    /// A day from which this span ends before `other` does, if there is one: `60 days` is
    /// shorter than `2 months` from 2000-03-01. Spans in units that convert exactly (days and
    /// weeks, months and years) compare by amount; others on every kind of start day (the
    /// first and the last days of each month) in years that put the most and the fewest leap
    /// days ahead (2000, a leap century; 2001; 2097–2100, before a common century), which is
    /// where month lengths, leap days and clamping make them differ most.
    #[must_use]
    pub fn shorter_than(self, other: Span) -> Option<Date> {
        let in_days = |s: Span| match s.unit {
            Unit::Day => Some(u64::from(s.amount)),
            Unit::Week => Some(7 * u64::from(s.amount)),
            _ => None,
        };
        let in_months = |s: Span| match s.unit {
            Unit::Month => Some(u64::from(s.amount)),
            Unit::Year => Some(12 * u64::from(s.amount)),
            _ => None,
        };
        let first = Date::day(2000, 1, 1).ok()?;
        match (
            in_days(self),
            in_days(other),
            in_months(self),
            in_months(other),
        ) {
            (Some(a), Some(b), _, _) | (_, _, Some(a), Some(b)) => return (a < b).then_some(first),
            _ => {}
        }
        let ends = |start: Date, s: Span| start.checked_add(s).ok();
        [2000, 2001, 2097, 2098, 2099, 2100]
            .into_iter()
            .find_map(|year| {
                (1..=12).find_map(|month| {
                    [1, 28, 29, 30, 31].into_iter().find_map(|day| {
                        let start = Date::day(year, month, day).ok()?;
                        // A span that runs past 9999 is the longer one.
                        let shorter = match (ends(start, self), ends(start, other)) {
                            (Some(a), Some(b)) => a < b,
                            (Some(_), None) => true,
                            _ => false,
                        };
                        shorter.then_some(start)
                    })
                })
            })
    }

    fn to_jiff(self) -> Option<jiff::Span> {
        let s = jiff::Span::new();
        let n = i64::from(self.amount);
        match self.unit {
            Unit::Day => s.try_days(n),
            Unit::Week => s.try_weeks(n),
            Unit::Month => s.try_months(n),
            Unit::Year => s.try_years(n),
        }
        .ok()
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.amount == 1 { "" } else { "s" };
        write!(f, "{} {}{plural}", self.amount, self.unit.name())
    }
}

impl FromStr for Span {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Span, DateError> {
        let malformed = || DateError::Malformed {
            text: text.to_owned(),
            expected: SPAN_FORMS,
        };
        let amount = |s: &str| -> Result<u32, DateError> {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(malformed());
            }
            s.parse().map_err(|_| malformed())
        };
        if let Some(iso) = text.strip_prefix('P') {
            let Some(last) = iso.chars().last() else {
                return Err(malformed());
            };
            let unit = match last {
                'D' => Unit::Day,
                'W' => Unit::Week,
                'M' => Unit::Month,
                'Y' => Unit::Year,
                _ => return Err(malformed()),
            };
            return Ok(Span::new(amount(&iso[..iso.len() - 1])?, unit));
        }
        let mut words = text.split(' ');
        let (Some(n), Some(unit), None) = (words.next(), words.next(), words.next()) else {
            return Err(malformed());
        };
        let n = amount(n)?;
        let unit = match unit.strip_suffix('s').unwrap_or(unit) {
            "day" => Unit::Day,
            "week" => Unit::Week,
            "month" => Unit::Month,
            "year" => Unit::Year,
            _ => return Err(malformed()),
        };
        Ok(Span::new(n, unit))
    }
}

impl TryFrom<String> for Span {
    type Error = DateError;

    fn try_from(text: String) -> Result<Span, DateError> {
        text.parse()
    }
}

impl From<Span> for String {
    fn from(span: Span) -> String {
        span.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_prints_each_precision() {
        for s in ["2024", "2025-03", "2025-03-13", "0000", "9999-12-31"] {
            assert_eq!(d(s).to_string(), s);
        }
        for bad in [
            "",
            "24",
            "2024-3",
            "2024-13",
            "2025-02-29",
            "2024-03-13-01",
            "+2024",
            "２０２４",
            "2024-03-1x",
            "10000",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
    }

    #[test]
    fn coarse_dates_order_before_finer_ones_starting_the_same_day() {
        let mut v = [
            d("2024-02"),
            d("2024-01-02"),
            d("2024-01-01"),
            d("2024-01"),
            d("2024"),
        ];
        v.sort();
        let s: Vec<String> = v.iter().map(Date::to_string).collect();
        assert_eq!(
            s,
            ["2024", "2024-01", "2024-01-01", "2024-01-02", "2024-02"]
        );
        assert!(d("2024").overlaps(d("2024-06-01")));
        assert!(d("2024-05").is_before(d("2024-06-01")));
        assert!(!d("2024-06").is_before(d("2024-06-01")));
    }

    #[test]
    fn arithmetic_keeps_precision_where_the_unit_allows() {
        let add = |a: &str, s: &str| d(a).checked_add(s.parse().unwrap()).unwrap().to_string();
        assert_eq!(add("2025", "1 year"), "2026");
        assert_eq!(add("2025", "3 months"), "2025-04-01");
        assert_eq!(add("2025-01-31", "1 month"), "2025-02-28");
        assert_eq!(add("2025-12-20", "P2W"), "2026-01-03");
        assert!(d("9999-12-31").checked_add(Span::days(1)).is_err());
        assert!(d("2025")
            .checked_add(Span::new(u32::MAX, Unit::Year))
            .is_err());
        assert_eq!(d("2025-03-13").days_after(d("2025-03")), -18);
        assert_eq!(d("2025-04-02").days_after(d("2025-03")), 2);
    }

    #[test]
    fn a_span_is_shorter_than_another_from_some_day_or_never() {
        let s = |t: &str| t.parse::<Span>().unwrap();
        assert_eq!(s("6 days").shorter_than(s("1 week")), Some(d("2000-01-01")));
        assert_eq!(s("1 year").shorter_than(s("12 months")), None);
        assert_eq!(
            s("60 days").shorter_than(s("2 months")),
            Some(d("2000-03-01"))
        );
        assert_eq!(s("62 days").shorter_than(s("2 months")), None);
        assert_eq!(
            s("365 days").shorter_than(s("1 year")),
            Some(d("2000-01-01"))
        );
        assert_eq!(s("366 days").shorter_than(s("1 year")), None);
        assert_eq!(s("1 month").shorter_than(s("28 days")), None);
        assert_eq!(
            s("1 month").shorter_than(s("29 days")),
            Some(d("2001-01-31"))
        );
        assert_eq!(s("9000 years").shorter_than(s("1 day")), None);
        // Across a common century year, four years are 1,460 days.
        assert_eq!(s("1461 days").shorter_than(s("4 years")), None);
        assert!(s("4 years").shorter_than(s("1461 days")).is_some());
    }

    #[test]
    fn spans_parse_in_words_and_iso() {
        for (text, printed) in [
            ("1 day", "1 day"),
            ("90 days", "90 days"),
            ("P90D", "90 days"),
            ("2 weeks", "2 weeks"),
            ("P1Y", "1 year"),
            ("0 months", "0 months"),
        ] {
            assert_eq!(text.parse::<Span>().unwrap().to_string(), printed);
        }
        for bad in [
            "",
            "days",
            "-1 days",
            "1.5 days",
            "P",
            "PD",
            "P1H",
            "3 fortnights",
            "1  day",
            "Pé",
            "P1€",
            "P€D",
        ] {
            assert!(bad.parse::<Span>().is_err(), "{bad}");
        }
    }
}
