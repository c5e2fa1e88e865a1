//! values.schema.json validation (placeholder until the validator lands).

use chartroom_template::Value;

use crate::chart::Chart;
use crate::Result;

/// Validates the coalesced values of `chart` and every subchart against their schemas.
pub fn validate_values_schema(_chart: &Chart, _values: &Value) -> Result<()> {
    Ok(())
}
