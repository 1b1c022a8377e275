//! Pictures drawn at build time as inline SVG: the lineage map of clauses across
//! versions and the timeline to scale. Not drawn yet: both return nothing, and the
//! templates show the text equivalents (summary table, textual timeline) alone.

use serde_json::Value;

use crate::compare::{Alignment, Comparison};
use crate::model::{Site, Work};

/// The lineage map of a whole work, for its page.
pub fn lineage_map(_site: &Site, _alignment: &Alignment, _work: &Work, _url: &str) -> Value {
    Value::Null
}

/// The lineage map restricted to the two versions of a comparison.
pub fn comparison_map(
    _site: &Site,
    _alignment: &Alignment,
    _comparison: &Comparison,
    _url: &str,
) -> Value {
    Value::Null
}

/// The timeline drawn to scale.
pub fn timeline_svg(_site: &Site, _url: &str) -> Value {
    Value::Null
}
