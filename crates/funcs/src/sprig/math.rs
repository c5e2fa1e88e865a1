//! Integer math (`cast.ToInt64` on every operand, int64 results), float math (decimal
//! arithmetic for `addf`…`divf`, as shopspring/decimal does), rounding and `randInt`.

use chartroom_template::{ArgType as A, Value};

use super::decimal::Decimal;
use super::{arg, arg_int, rng, to_float64, to_int64, Entry};

const DIV_ZERO: &str = "runtime error: integer divide by zero";

pub(crate) const ENTRIES: &[Entry] = &[
    ("add1", &[A::Any], None, |a| {
        Ok(Value::Int64(to_int64(&arg(a, 0)).wrapping_add(1)))
    }),
    ("add", &[], Some(A::Any), |a| {
        Ok(Value::Int64(
            a.iter().fold(0i64, |acc, v| acc.wrapping_add(to_int64(v))),
        ))
    }),
    ("sub", &[A::Any, A::Any], None, |a| {
        Ok(Value::Int64(
            to_int64(&arg(a, 0)).wrapping_sub(to_int64(&arg(a, 1))),
        ))
    }),
    ("div", &[A::Any, A::Any], None, |a| {
        let (x, y) = (to_int64(&arg(a, 0)), to_int64(&arg(a, 1)));
        if y == 0 {
            return Err(DIV_ZERO.into());
        }
        Ok(Value::Int64(x.wrapping_div(y)))
    }),
    ("mod", &[A::Any, A::Any], None, |a| {
        let (x, y) = (to_int64(&arg(a, 0)), to_int64(&arg(a, 1)));
        if y == 0 {
            return Err(DIV_ZERO.into());
        }
        Ok(Value::Int64(x.wrapping_rem(y)))
    }),
    ("mul", &[A::Any], Some(A::Any), |a| {
        let first = to_int64(&arg(a, 0));
        Ok(Value::Int64(
            a.iter()
                .skip(1)
                .fold(first, |acc, v| acc.wrapping_mul(to_int64(v))),
        ))
    }),
    ("max", &[A::Any], Some(A::Any), |a| {
        Ok(Value::Int64(fold_int(a, i64::max)))
    }),
    ("biggest", &[A::Any], Some(A::Any), |a| {
        Ok(Value::Int64(fold_int(a, i64::max)))
    }),
    ("min", &[A::Any], Some(A::Any), |a| {
        Ok(Value::Int64(fold_int(a, i64::min)))
    }),
    ("maxf", &[A::Any], Some(A::Any), |a| {
        Ok(Value::Float(fold_float(a, go_max)))
    }),
    ("minf", &[A::Any], Some(A::Any), |a| {
        Ok(Value::Float(fold_float(a, go_min)))
    }),
    ("floor", &[A::Any], None, |a| {
        Ok(Value::Float(to_float64(&arg(a, 0)).floor()))
    }),
    ("ceil", &[A::Any], None, |a| {
        Ok(Value::Float(to_float64(&arg(a, 0)).ceil()))
    }),
    ("round", &[A::Any, A::Int], Some(A::Float64), round),
    ("add1f", &[A::Any], None, |a| {
        decimal_op(&arg(a, 0), &[Value::Int(1)], |x, y| Ok(x.add(y)))
    }),
    ("addf", &[], Some(A::Any), |a| {
        decimal_op(&Value::Float(0.0), a, |x, y| Ok(x.add(y)))
    }),
    ("subf", &[A::Any], Some(A::Any), |a| {
        decimal_op(&arg(a, 0), &a[1..], |x, y| Ok(x.sub(y)))
    }),
    ("mulf", &[A::Any], Some(A::Any), |a| {
        decimal_op(&arg(a, 0), &a[1..], |x, y| Ok(x.mul(y)))
    }),
    ("divf", &[A::Any], Some(A::Any), |a| {
        decimal_op(&arg(a, 0), &a[1..], |x, y| x.div(y))
    }),
    ("randInt", &[A::Int, A::Int], None, |a| {
        let (lo, hi) = (arg_int(a, 0), arg_int(a, 1));
        let n = hi.wrapping_sub(lo);
        if n <= 0 {
            return Err("invalid argument to Intn".into());
        }
        Ok(Value::Int(lo.wrapping_add(rng::intn(n as u64)? as i64)))
    }),
];

fn fold_int(a: &[Value], f: fn(i64, i64) -> i64) -> i64 {
    let first = to_int64(&arg(a, 0));
    a.iter().skip(1).fold(first, |acc, v| f(acc, to_int64(v)))
}

fn fold_float(a: &[Value], f: fn(f64, f64) -> f64) -> f64 {
    let first = to_float64(&arg(a, 0));
    a.iter().skip(1).fold(first, |acc, v| f(acc, to_float64(v)))
}

/// Go's `math.Max`: NaN wins, +0 beats -0.
fn go_max(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && y == 0.0 {
        return if x.is_sign_negative() { y } else { x };
    }
    x.max(y)
}

/// Go's `math.Min`: NaN wins, -0 beats +0.
fn go_min(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && y == 0.0 {
        return if x.is_sign_negative() { x } else { y };
    }
    x.min(y)
}

/// Sprig's `round VALUE PLACES [HALF]`: rounds up when the fraction of `value × 10^places`
/// is at least `half` (0.5 by default), otherwise down (so negative halves go down).
fn round(a: &[Value]) -> Result<Value, String> {
    let val = to_float64(&arg(a, 0));
    let places = arg_int(a, 1);
    let half = match a.get(2) {
        Some(Value::Float(f)) => *f,
        Some(v) => to_float64(v),
        None => 0.5,
    };
    let pow = 10f64.powf(places as f64);
    let digit = pow * val;
    let frac = digit - digit.trunc();
    let r = if frac >= half {
        digit.ceil()
    } else {
        digit.floor()
    };
    Ok(Value::Float(r / pow))
}

fn decimal_op(
    first: &Value,
    rest: &[Value],
    f: impl Fn(&Decimal, &Decimal) -> Result<Decimal, String>,
) -> Result<Value, String> {
    let mut acc = Decimal::from_f64(to_float64(first))?;
    for v in rest {
        let d = Decimal::from_f64(to_float64(v))?;
        acc = f(&acc, &d)?;
    }
    Ok(Value::Float(acc.to_f64()))
}
