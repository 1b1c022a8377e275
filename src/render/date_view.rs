//! A date as the templates get it: `{ "iso": "2009-03-26", "sv": "26 mars 2009" }`,
//! nothing when there is none. The calendar arithmetic is in [`crate::dates`].

use serde::Serialize;

use crate::model::meta::IsoDate;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DateView {
    /// `2013-05-06`, or `2010-12` where the source gives no day.
    pub iso: String,
    /// `6 maj 2013`.
    pub sv: String,
}

pub fn date(date: Option<IsoDate>) -> Option<DateView> {
    date.map(|d| DateView {
        iso: d.to_string(),
        sv: d.swedish(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_has_its_iso_and_swedish_forms() {
        let date = date(IsoDate::parse("2010-12").ok());
        assert_eq!(
            serde_json::to_value(date).expect("serializes"),
            serde_json::json!({ "iso": "2010-12", "sv": "december 2010" })
        );
        assert_eq!(super::date(None), None);
    }
}
