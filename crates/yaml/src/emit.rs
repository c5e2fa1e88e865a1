use chartroom_template::value::Value;
use crate::YamlError;
pub fn to_yaml(_v: &Value) -> Result<String, YamlError> { Err(YamlError::new("todo")) }
