//! Go's complex constants (`1i`, `1+2i`): parsed, printed, compared and formatted as Go's
//! text/template does. Expected texts recorded from `helm template` (Helm v4.3.1).

use chartroom_template::{TemplateSet, Value};

fn render(src: &str) -> Result<String, String> {
    let mut set = TemplateSet::with_name("t");
    set.parse("t", src).map_err(|e| e.to_string())?;
    set.execute("t", &Value::Nil).map_err(|e| e.to_string())
}

#[test]
fn complex_constants_print_like_go() {
    for (src, want) in [
        (
            "{{ 1i }} {{ 1+2i }} {{ 2.5i }} {{ 0i }} {{ -1i }} {{ 1e3i }}",
            "(0+1i) (1+2i) (0+2.5i) (0+0i) (0-1i) (0+1000i)",
        ),
        (
            "{{ 1+0i }} {{ 1.5+2.5i }} {{ -1-1i }} {{ 1-2i }} {{ +1i }} {{ 1e2+1e-2i }} {{ 3.0i }}",
            "(1+0i) (1.5+2.5i) (-1-1i) (1-2i) (0+1i) (100+0.01i) (0+3i)",
        ),
        (
            "{{ 0x1p4+1i }} {{ 1_0+2i }} {{ 1e+2-1e-2i }} {{ 07+1i }} {{ 1.+.5i }} {{ 0x1.8p1-0x1p-1i }}",
            "(16+1i) (10+2i) (100-0.01i) (7+1i) (1+0.5i) (3-0.5i)",
        ),
        (
            r#"{{ printf "%v %T %g %.2f %d %s" 1i 1i 1i 1i 1i 1i }}"#,
            "(0+1i) complex128 (0+1i) (0.00+1.00i) %!d(complex128=(0+1i)) %!s(complex128=(0+1i))",
        ),
        (
            r#"{{ printf "%#v %x %e %+v" 1i 1i 1i 1i }} {{ printf "%8.1f|%-10v|%q|%p" 1i 1i 1i 1i }}"#,
            "(0+1i) (0x0p+00+0x1p+00i) (0.000000e+00+1.000000e+00i) (0+1i) (     0.0    +1.0i)|(0         +1        i)|%!q(complex128=(0+1i))|%!p(complex128=(0+1i))",
        ),
        (
            r#"{{ printf "%6.2v|%+.1e|%G|%b" 1.5i 1.5i 1e21i 1i }}"#,
            "(     0  +1.5i)|(+0.0e+00+1.5e+00i)|(0+1E+21i)|(0p-1074+4503599627370496p-52i)",
        ),
        (
            "{{ eq 1i 1i }} {{ eq 1i 2i }} {{ ne 1i 1i }} {{ eq 0i nil }}",
            "true false false false",
        ),
        (
            "{{ if 0i }}T{{ else }}F{{ end }} {{ if 1i }}T{{ else }}F{{ end }} {{ not 0i }} {{ and 1i 0i }} {{ or 0i 2i }}",
            "F T true (0+0i) (0+2i)",
        ),
        (
            "{{ $x := 3i }}{{ $x }} {{ print 1i 2i }} {{ print 1i \"x\" }} {{ 1i | urlquery }} {{ len (print 1i) }}",
            "(0+3i) (0+1i) (0+2i) (0+1i)x %280%2B1i%29 6",
        ),
    ] {
        assert_eq!(render(src).as_deref(), Ok(want), "{src}");
    }
}

#[test]
fn complex_errors_like_go() {
    for (src, want) in [
        (
            "{{ eq 1i 1 }}",
            "error calling eq: incompatible types for comparison: complex128 and int",
        ),
        (
            "{{ lt 1i 2i }}",
            "error calling lt: invalid type for comparison",
        ),
        ("{{ len 1i }}", "error calling len: len of type complex128"),
        (
            "{{ index \"ab\" (1+0i) }}",
            "error calling index: cannot index slice/array with type complex128",
        ),
        ("{{ 0x1e+2i }}", "invalid syntax"),
        ("{{ 1e400+1i }}", "value out of range"),
        ("{{ 0b1+1i }}", "syntax error scanning complex number"),
        ("{{ 1+i }}", "syntax error scanning complex number"),
    ] {
        let err = render(src).expect_err(src);
        assert!(err.ends_with(want), "{src}: {err}");
    }
}
