//! values.schema.json checks replayed against `helm template` (v4.3.1): each row is
//! (schema, values.yaml, Helm's error text after `Error: `, empty when Helm accepted the
//! values). Every failing case fails on one property, so the text does not depend on Go's map
//! order.

use chartroom_chart::{coalesce_values, validate_values_schema, Chart};
use chartroom_template::Value;
use std::collections::BTreeMap;

const CASES: &[(&str, &str, &str)] = &[
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "date"}}}"####,
        r####"a: "2020-13-01x"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': '2020-13-01x' is not valid date: parsing time "2020-13-01x": month out of range
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "date"}}}"####,
        r####"a: "2020-02-30"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': '2020-02-30' is not valid date: parsing time "2020-02-30": day out of range
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "date"}}}"####,
        r####"a: "2020-1-01"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': '2020-1-01' is not valid date: parsing time "2020-1-01" as "2006-01-02": cannot parse "1-01" as "01"
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "date"}}}"####,
        r####"a: "2020-01-01x"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': '2020-01-01x' is not valid date: parsing time "2020-01-01x": extra text: "x"
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "date-time"}}}"####,
        r####"a: "2020-01-01"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': '2020-01-01' is not valid date-time: less than 20 characters long
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "date-time"}}}"####,
        r####"a: "2020-01-01T25:00:00Z"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': '2020-01-01T25:00:00Z' is not valid date-time: invalid time element: hour/min/sec out of range
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "date-time"}}}"####,
        r####"a: "2020-01-01T00:00:00+0100"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': '2020-01-01T00:00:00+0100' is not valid date-time: invalid time element: offset must be 6 characters long
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "time"}}}"####,
        r####"a: "12:00"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': '12:00' is not valid time: less than 9 characters long
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "uuid"}}}"####,
        r####"a: "x"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': 'x' is not valid uuid: must have 5 elements
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "uuid"}}}"####,
        r####"a: "g0000000-0000-0000-0000-000000000000"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': 'g0000000-0000-0000-0000-000000000000' is not valid uuid: non-hex character 'g'
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "ipv6"}}}"####,
        r####"a: "x"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': 'x' is not valid ipv6: missing colon
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "ipv4"}}}"####,
        r####"a: "1.2.3.04"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': '1.2.3.04' is not valid ipv4: leading zeros
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "ipv4"}}}"####,
        r####"a: "1.2.3.256"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': '1.2.3.256' is not valid ipv4: decimal must be between 0 and 255
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "ipv4"}}}"####,
        r####"a: "1.2.3.a"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': '1.2.3.a' is not valid ipv4: strconv.Atoi: parsing "a": invalid syntax
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "hostname"}}}"####,
        r####"a: "-x_"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': '-x_' is not valid hostname: label starts with hyphen
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "hostname"}}}"####,
        r####"a: "a_b"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': 'a_b' is not valid hostname: invalid character '_'
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "uri"}}}"####,
        r####"a: "x"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': 'x' is not valid uri: relative url
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "uri"}}}"####,
        r####"a: "http://a b"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': 'http://a b' is not valid uri: parse "http://a b": invalid character " " in host name
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "uri"}}}"####,
        r####"a: ":x"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': ':x' is not valid uri: parse ":x": missing protocol scheme
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "email"}}}"####,
        r####"a: "@x"
"####,
        r####""####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "email"}}}"####,
        r####"a: "a..b@x"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': 'a..b@x' is not valid email: consecutive dots
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "email"}}}"####,
        r####"a: "a@-x"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': 'a@-x' is not valid email: invalid domain: label starts with hyphen
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "email"}}}"####,
        r####"a: "a b@x"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': 'a b@x' is not valid email: invalid character ' '
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "email"}}}"####,
        r####"a: "nope"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': 'nope' is not valid email: missing @
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "duration"}}}"####,
        r####"a: "P1H"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': 'P1H' is not valid duration: invalid unit 'H'
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "duration"}}}"####,
        r####"a: "PT"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': 'PT' is not valid duration: no time elements
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"format": "json-pointer"}}}"####,
        r####"a: "a"
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': 'a' is not valid json-pointer: not starting with /
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"minItems": 3, "maxItems": 1}}}"####,
        r####"a: [1, 2]
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': minItems: got 2, want 3
- at '/a': maxItems: got 2, want 1
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"maxLength": 2}}}"####,
        r####"a: héllo
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': maxLength: got 5, want 2
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"minProperties": 2, "maxProperties": 0}}}"####,
        r####"a: {x: 1}
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': minProperties: got 1, want 2
- at '/a': maxProperties: got 1, want 0
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "dependencies": {"a": ["b", "c"]}}"####,
        r####"a: 1
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '': properties 'b', 'c' required, if 'a' exists
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "propertyNames": {"pattern": "^[a-z]+$"}}"####,
        r####"aB1: 1
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '': invalid propertyName 'aB1'
  - at '': 'aB1' does not match pattern '^[a-z]+$'
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"contains": {"type": "string"}}}}"####,
        r####"a: [1, 2]
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': no items match contains schema
  - at '/a/0': got number, want string
  - at '/a/1': got number, want string
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "if": {"required": ["a"]}, "then": {"required": ["b"]}}"####,
        r####"a: 1
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '': missing property 'b'
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"oneOf": [{"type": "string"}, {"type": "boolean"}]}}}"####,
        r####"a: 1
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': 'oneOf' failed, none matched
  - at '/a': got number, want string
  - at '/a': got number, want boolean
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"enum": [{"x": 1}, 2]}}}"####,
        r####"a: 1
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': 'enum' failed
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"b": {"const": [1]}}}"####,
        r####"b: 1
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/b': 'const' failed
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"items": [{"type": "number"}], "additionalItems": false}}}"####,
        r####"a: [1, 2, 3]
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': last 2 additionalItem(s) not allowed
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"type": "integer"}}}"####,
        r####"a: 1.5
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': got number, want integer
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"type": ["integer", "number", "null", "boolean"]}}}"####,
        r####"a: x
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': got string, want null or boolean or number or integer
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "required": ["a", "b"]}"####,
        r####"c: 2
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '': missing properties 'a', 'b'
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"not": {"type": "number"}}}}"####,
        r####"a: 2
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': 'not' failed
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-04/schema#", "properties": {"a": {"maximum": 5, "exclusiveMaximum": true}}}"####,
        r####"a: 5
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/a': exclusiveMaximum: got 5, want 5
"####,
    ),
    (
        r####"{"properties": {"mul": {"multipleOf": 2, "exclusiveMaximum": 10}}}"####,
        r####"mul: 11
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/mul': exclusiveMaximum: got 11, want 10
- at '/mul': multipleOf: got 11, want 2
"####,
    ),
    (
        r####"{"properties": {"email": {"format": "email"}}, "required": ["x"]}"####,
        r####"email: nope
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '': missing property 'x'
"####,
    ),
    (
        r####"{"properties": {"r": {"$ref": "#/definitions/p", "minimum": 100}}, "definitions": {"p": {"type": "integer", "minimum": 1}}, "required": ["q"]}"####,
        r####"r: 0
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '': missing property 'q'
- at '/r': validation failed
  - at '/r': minimum: got 0, want 1
  - at '/r': minimum: got 0, want 100
"####,
    ),
    (
        r####"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"r": {"$ref": "#/definitions/p", "minimum": 100}}, "definitions": {"p": {"type": "integer", "minimum": 1}}}"####,
        r####"r: 0
"####,
        r####"values don't meet the specifications of the schema(s) in the following chart(s):
sk:
- at '/r': minimum: got 0, want 1
"####,
    ),
];

#[test]
fn schema_errors_match_helm() {
    for (schema, values, expected) in CASES {
        let mut files = BTreeMap::new();
        files.insert(
            "Chart.yaml".to_string(),
            b"apiVersion: v2\nname: sk\nversion: 1.0.0\n".to_vec(),
        );
        files.insert(
            "values.schema.json".to_string(),
            format!("{schema}\n").into_bytes(),
        );
        files.insert("values.yaml".to_string(), values.as_bytes().to_vec());
        let chart = Chart::load_files(files).unwrap();
        let v = coalesce_values(&chart, &Value::empty_map()).unwrap();
        let got = match validate_values_schema(&chart, &v) {
            Ok(()) => String::new(),
            Err(e) => e.to_string(),
        };
        assert_eq!(&got, expected, "{schema} / {values}");
    }
}
