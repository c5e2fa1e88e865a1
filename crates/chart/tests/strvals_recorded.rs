//! `--set` family parsing replayed against outputs recorded from `helm template` (v4.3.1):
//! each row is (flag, argument, succeeded, `toJson .Values` or the error text).

use chartroom_chart::ValueOptions;

const CASES: &[(&str, &str, bool, &str)] = &[
    (
        r####"--set"####,
        r####"a=b,c=d"####,
        true,
        r####"{"a":"b","c":"d"}"####,
    ),
    (
        r####"--set"####,
        r####"a.b.c=1,a.b.d=2"####,
        true,
        r####"{"a":{"b":{"c":1,"d":2}}}"####,
    ),
    (
        r####"--set"####,
        r####"a={}"####,
        true,
        r####"{"a":[""]}"####,
    ),
    (
        r####"--set"####,
        r####"a={a,b},b={}"####,
        true,
        r####"{"a":["a","b"],"b":[""]}"####,
    ),
    (
        r####"--set"####,
        r####"a={ a , b }"####,
        true,
        r####"{"a":[" a "," b "]}"####,
    ),
    (
        r####"--set"####,
        r####"a[0]=1,a[2]=3"####,
        true,
        r####"{"a":[1,null,3]}"####,
    ),
    (
        r####"--set"####,
        r####"a[1].b=1,a[0].c=2"####,
        true,
        r####"{"a":[{"c":2},{"b":1}]}"####,
    ),
    (
        r####"--set"####,
        r####"a[0]=x,a[0].b=y"####,
        true,
        r####"{"a":[{"b":"y"}]}"####,
    ),
    (
        r####"--set"####,
        r####"a\=b=c"####,
        true,
        r####"{"a=b":"c"}"####,
    ),
    (
        r####"--set"####,
        r####"a=b\,c"####,
        true,
        r####"{"a":"b,c"}"####,
    ),
    (
        r####"--set"####,
        r####"a.b\.c=d"####,
        true,
        r####"{"a":{"b.c":"d"}}"####,
    ),
    (
        r####"--set"####,
        r####"a=b=c"####,
        true,
        r####"{"a":"b=c"}"####,
    ),
    (r####"--set"####, r####"a="####, true, r####"{"a":""}"####),
    (
        r####"--set"####,
        r####"a=,b=2"####,
        true,
        r####"{"a":"","b":2}"####,
    ),
    (
        r####"--set"####,
        r####"name={a\,b,c}"####,
        true,
        r####"{"name":["a,b","c"]}"####,
    ),
    (
        r####"--set"####,
        r####"a=TRUE,b=False,c=NULL,d=-0,e=+5,f=0x10,g=1_000,h= 5"####,
        true,
        r####"{"a":true,"b":false,"c":null,"d":0,"e":5,"f":"0x10","g":"1_000","h":" 5"}"####,
    ),
    (
        r####"--set"####,
        r####"a[0][1][2]=x"####,
        true,
        r####"{"a":[[null,[null,null,"x"]]]}"####,
    ),
    (
        r####"--set"####,
        r####"a[3]="####,
        true,
        r####"{"a":[null,null,null,""]}"####,
    ),
    (
        r####"--set"####,
        r####"a[0]={1,2}"####,
        true,
        r####"{"a":[[1,2]]}"####,
    ),
    (
        r####"--set"####,
        r####"a.b=1,a.b.c=2"####,
        false,
        r####"failed parsing --set data: unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}"####,
    ),
    (
        r####"--set"####,
        r####"a.b=1,a.b[0]=2"####,
        false,
        r####"failed parsing --set data: unable to parse key: interface conversion: interface {} is int64, not []interface {}"####,
    ),
    (
        r####"--set"####,
        r####"a=1,a[0]=2"####,
        false,
        r####"failed parsing --set data: unable to parse key: interface conversion: interface {} is int64, not []interface {}"####,
    ),
    (
        r####"--set"####,
        r####"a[0]=1,a.b=2"####,
        false,
        r####"failed parsing --set data: unable to parse key: interface conversion: interface {} is []interface {}, not map[string]interface {}"####,
    ),
    (
        r####"--set"####,
        r####"x.y=z,x=w"####,
        true,
        r####"{"x":"w"}"####,
    ),
    (
        r####"--set"####,
        r####"a.b.c="####,
        true,
        r####"{"a":{"b":{"c":""}}}"####,
    ),
    (
        r####"--set"####,
        r####"a..b=1"####,
        false,
        r####"failed parsing --set data: key map "a" has no value"####,
    ),
    (r####"--set"####, r####".a=1"####, true, r####"{}"####),
    (
        r####"--set"####,
        r####"a=1,,b=2"####,
        false,
        r####"failed parsing --set data: key "" has no value (cannot end with ,)"####,
    ),
    (r####"--set"####, r####"a=1,"####, true, r####"{"a":1}"####),
    (
        r####"--set"####,
        r####"a[01]=x"####,
        true,
        r####"{"a":[null,"x"]}"####,
    ),
    (
        r####"--set"####,
        r####"a[+1]=x"####,
        true,
        r####"{"a":[null,"x"]}"####,
    ),
    (
        r####"--set"####,
        r####"a[ 1]=x"####,
        false,
        r####"failed parsing --set data: error parsing index: strconv.Atoi: parsing " 1": invalid syntax"####,
    ),
    (
        r####"--set"####,
        r####"é.ü=ö"####,
        true,
        r####"{"é":{"ü":"ö"}}"####,
    ),
    (
        r####"--set"####,
        r####"a={1,{2,3}}"####,
        false,
        r####"failed parsing --set data: key "}" has no value"####,
    ),
    (
        r####"--set"####,
        r####"a={1,2}x"####,
        false,
        r####"failed parsing --set data: key "x" has no value"####,
    ),
    (
        r####"--set-json"####,
        r####"a=1,b="x",c=[1,2],d={"e":null}"####,
        true,
        r####"{"a":1,"b":"x","c":[1,2],"d":{"e":null}}"####,
    ),
    (
        r####"--set-json"####,
        r####"a= 1 , b=2"####,
        true,
        r####"{" b":2,"a":1}"####,
    ),
    (
        r####"--set-json"####,
        r####"a="####,
        true,
        r####"{"a":null}"####,
    ),
    (
        r####"--set-json"####,
        r####"a=,b=1"####,
        true,
        r####"{"a":null,"b":1}"####,
    ),
    (
        r####"--set-json"####,
        r####"a[0]={"x":1},a[1]=2"####,
        true,
        r####"{"a":[{"x":1},2]}"####,
    ),
    (
        r####"--set-json"####,
        r####"a.b=true"####,
        true,
        r####"{"a":{"b":true}}"####,
    ),
    (
        r####"--set-json"####,
        r####"{"a":{"b":1}}"####,
        true,
        r####"{"a":{"b":1}}"####,
    ),
    (
        r####"--set-json"####,
        r####"  {"a":1}"####,
        true,
        r####"{"a":1}"####,
    ),
    (
        r####"--set-json"####,
        r####"a=1b"####,
        false,
        r####"failed parsing --set-json data a=1b"####,
    ),
    (
        r####"--set-json"####,
        r####"a=[1,"####,
        false,
        r####"failed parsing --set-json data a=[1,"####,
    ),
    (
        r####"--set-json"####,
        r####"a=nul"####,
        false,
        r####"failed parsing --set-json data a=nul"####,
    ),
    (
        r####"--set-literal"####,
        r####"a=1,b=2"####,
        true,
        r####"{"a":"1,b=2"}"####,
    ),
    (
        r####"--set-literal"####,
        r####"a.b[0]=x"####,
        true,
        r####"{"a":{"b":["x"]}}"####,
    ),
    (
        r####"--set-literal"####,
        r####"a[0].b=x"####,
        true,
        r####"{"a":[{"b":"x"}]}"####,
    ),
    (
        r####"--set-literal"####,
        r####"a\.b=c"####,
        true,
        r####"{"a\\":{"b":"c"}}"####,
    ),
    (
        r####"--set-literal"####,
        r####"a="####,
        true,
        r####"{"a":""}"####,
    ),
    (
        r####"--set-string"####,
        r####"a=1,b=true,c=null,d={1,2}"####,
        true,
        r####"{"a":"1","b":"true","c":"null","d":["1","2"]}"####,
    ),
    (
        r####"--set-string"####,
        r####"a[0]=01"####,
        true,
        r####"{"a":["01"]}"####,
    ),
];

#[test]
fn set_flags_match_helm() {
    for (flag, arg, ok, expected) in CASES {
        let mut o = ValueOptions::default();
        let list = match *flag {
            "--set" => &mut o.set,
            "--set-json" => &mut o.set_json,
            "--set-literal" => &mut o.set_literal,
            _ => &mut o.set_string,
        };
        list.push(arg.to_string());
        let got = match o.merge_values() {
            Ok(v) => Ok(chartroom_yaml::to_json(&v).unwrap()),
            Err(e) => Err(e.to_string()),
        };
        if *ok {
            assert_eq!(got, Ok(expected.to_string()), "{flag} {arg}");
        } else {
            assert_eq!(got, Err(expected.to_string()), "{flag} {arg}");
        }
    }
}
