use chartroom_template::value::Value;
use crate::YamlError;
pub fn to_json(_v: &Value) -> Result<String, YamlError> { Err(YamlError::new("todo")) }
pub fn to_raw_json(_v: &Value) -> Result<String, YamlError> { Err(YamlError::new("todo")) }
pub fn to_pretty_json(_v: &Value) -> Result<String, YamlError> { Err(YamlError::new("todo")) }
pub fn from_json(_s: &str) -> Result<Value, YamlError> { Err(YamlError::new("todo")) }
