//! The seam to `chartroom-chart`: loading, values merging, dependency processing, coalescing
//! and schema validation, and the conversion of a loaded chart into an [`EngineChart`].

use chartroom_template::Value;

use crate::engine::EngineChart;
use crate::objects::Capabilities;
use crate::output::Crd;
use crate::template::{ChartSource, ValueSource};

/// A loaded chart, before dependency processing.
pub struct Loaded {
    _private: (),
}

/// A chart ready to render.
pub struct Prepared {
    pub chart: EngineChart,
    pub crds: Vec<Crd>,
    pub values: Value,
    pub kube_version_constraint: String,
}

pub fn merge_values(_sources: &[ValueSource]) -> Result<Value, String> {
    Ok(Value::empty_map())
}

pub fn load(_source: &ChartSource) -> Result<Loaded, String> {
    Err("chart loading is not available yet".into())
}

pub fn check_installable(_c: &Loaded) -> Result<(), String> {
    Ok(())
}

pub fn check_dependencies(_c: &Loaded) -> Result<(), String> {
    Ok(())
}

pub fn prepare(
    _c: &mut Loaded,
    _user_values: Value,
    _release: &Value,
    _caps: &Capabilities,
    _skip_schema: bool,
) -> Result<Prepared, String> {
    Err("chart loading is not available yet".into())
}

pub fn kube_version_compatible(_constraint: &str, _version: &str) -> bool {
    true
}
