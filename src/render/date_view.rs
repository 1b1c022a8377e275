//! A date as the templates get it: `{ "iso": "2009-03-26", "sv": "26 mars 2009" }`,
//! `null` when there is none. The calendar arithmetic is in [`crate::dates`].

use serde_json::{Value, json};

use crate::model::meta::IsoDate;

pub fn date_value(date: Option<IsoDate>) -> Value {
    match date {
        Some(d) => json!({ "iso": d.to_string(), "sv": d.swedish() }),
        None => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_has_its_iso_and_swedish_forms() {
        let date = IsoDate::parse("2010-12").ok();
        assert_eq!(
            date_value(date),
            json!({ "iso": "2010-12", "sv": "december 2010" })
        );
        assert_eq!(date_value(None), Value::Null);
    }
}
