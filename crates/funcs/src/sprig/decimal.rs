//! Just enough of shopspring/decimal for Sprig's `addf`, `subf`, `mulf`, `divf`: exact
//! decimal arithmetic on the shortest decimal form of each float64, division rounded half
//! away from zero to 16 places, and the nearest float64 of the result.

use std::cmp::Ordering;

/// An arbitrary-precision decimal: `(-1)^neg × digits × 10^exp`, digits little-endian base 10.
#[derive(Clone, Debug)]
pub(crate) struct Decimal {
    neg: bool,
    digits: Vec<u8>,
    exp: i64,
}

/// shopspring's `DivisionPrecision`.
const DIVISION_PRECISION: i64 = 16;

impl Decimal {
    /// `decimal.NewFromFloat`: the shortest decimal that reads back as `f`.
    pub(crate) fn from_f64(f: f64) -> Result<Decimal, String> {
        if !f.is_finite() {
            return Err(format!(
                "Cannot create a Decimal from {}",
                chartroom_template::fmt::format_float_g(f)
            ));
        }
        // The shortest round-trip digits, a tie rounded to even as Go's: "-1.2345e-05".
        let text = chartroom_template::fmt::format_float(f, 'e', -1);
        let (mant, exp) = text.split_once('e').unwrap_or((&text, "0"));
        let exp: i64 = exp.parse().unwrap_or(0);
        let neg = mant.starts_with('-');
        let mant = mant.trim_start_matches('-');
        let (int_part, frac_part) = mant.split_once('.').unwrap_or((mant, ""));
        let all: Vec<u8> = int_part
            .bytes()
            .chain(frac_part.bytes())
            .map(|b| b - b'0')
            .rev()
            .collect();
        let mut d = Decimal {
            neg,
            digits: all,
            exp: exp - frac_part.len() as i64,
        };
        d.trim();
        Ok(d)
    }

    fn trim(&mut self) {
        while self.digits.last() == Some(&0) {
            self.digits.pop();
        }
        if self.digits.is_empty() {
            self.neg = false;
            self.exp = 0;
        }
    }

    fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// The digits scaled to exponent `exp` (which must be ≤ self.exp).
    fn scaled(&self, exp: i64) -> Vec<u8> {
        let shift = (self.exp - exp) as usize;
        let mut v = vec![0u8; shift];
        v.extend_from_slice(&self.digits);
        v
    }

    pub(crate) fn add(&self, other: &Decimal) -> Decimal {
        let exp = self.exp.min(other.exp);
        let (a, b) = (self.scaled(exp), other.scaled(exp));
        let (neg, digits) = if self.neg == other.neg {
            (self.neg, mag_add(&a, &b))
        } else {
            match mag_cmp(&a, &b) {
                Ordering::Less => (other.neg, mag_sub(&b, &a)),
                _ => (self.neg, mag_sub(&a, &b)),
            }
        };
        let mut d = Decimal { neg, digits, exp };
        d.trim();
        d
    }

    pub(crate) fn sub(&self, other: &Decimal) -> Decimal {
        let mut o = other.clone();
        o.neg = !o.neg && !o.is_zero();
        self.add(&o)
    }

    pub(crate) fn mul(&self, other: &Decimal) -> Decimal {
        let mut d = Decimal {
            neg: self.neg != other.neg,
            digits: mag_mul(&self.digits, &other.digits),
            exp: self.exp + other.exp,
        };
        d.trim();
        d
    }

    /// `Div`: the quotient rounded half away from zero to 16 decimal places.
    pub(crate) fn div(&self, other: &Decimal) -> Result<Decimal, String> {
        if other.is_zero() {
            return Err("decimal division by 0".into());
        }
        // |self| / |other| × 10^16 as an integer quotient with remainder.
        // self = a × 10^ea, other = b × 10^eb; want q = a × 10^(ea - eb + P) / b.
        let shift = self.exp - other.exp + DIVISION_PRECISION;
        let (num, den) = if shift >= 0 {
            let mut n = vec![0u8; shift as usize];
            n.extend_from_slice(&self.digits);
            (n, other.digits.clone())
        } else {
            let mut dd = vec![0u8; (-shift) as usize];
            dd.extend_from_slice(&other.digits);
            (self.digits.clone(), dd)
        };
        let (mut q, r) = mag_divmod(&num, &den);
        // Round half away from zero: 2r >= den.
        let r2 = mag_add(&r, &r);
        if mag_cmp(&r2, &den) != Ordering::Less {
            q = mag_add(&q, &[1]);
        }
        let mut d = Decimal {
            neg: self.neg != other.neg,
            digits: q,
            exp: -DIVISION_PRECISION,
        };
        d.trim();
        Ok(d)
    }

    /// The nearest float64.
    pub(crate) fn to_f64(&self) -> f64 {
        if self.is_zero() {
            return 0.0;
        }
        let digits: String = self
            .digits
            .iter()
            .rev()
            .map(|d| (b'0' + d) as char)
            .collect();
        let text = format!("{}{}e{}", if self.neg { "-" } else { "" }, digits, self.exp);
        text.parse().unwrap_or(0.0)
    }
}

fn mag_trim(mut v: Vec<u8>) -> Vec<u8> {
    while v.last() == Some(&0) {
        v.pop();
    }
    v
}

fn mag_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let a = &a[..a.iter().rposition(|d| *d != 0).map_or(0, |p| p + 1)];
    let b = &b[..b.iter().rposition(|d| *d != 0).map_or(0, |p| p + 1)];
    a.len()
        .cmp(&b.len())
        .then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

fn mag_add(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.len().max(b.len()) + 1);
    let mut carry = 0u8;
    for i in 0..a.len().max(b.len()) {
        let s = a.get(i).copied().unwrap_or(0) + b.get(i).copied().unwrap_or(0) + carry;
        out.push(s % 10);
        carry = s / 10;
    }
    if carry > 0 {
        out.push(carry);
    }
    mag_trim(out)
}

/// a - b, requires a >= b.
fn mag_sub(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.len());
    let mut borrow = 0i8;
    for (i, &x) in a.iter().enumerate() {
        let mut d = x as i8 - b.get(i).copied().unwrap_or(0) as i8 - borrow;
        if d < 0 {
            d += 10;
            borrow = 1;
        } else {
            borrow = 0;
        }
        out.push(d as u8);
    }
    mag_trim(out)
}

fn mag_mul(a: &[u8], b: &[u8]) -> Vec<u8> {
    if a.is_empty() || b.is_empty() {
        return Vec::new();
    }
    let mut acc = vec![0u32; a.len() + b.len()];
    for (i, &x) in a.iter().enumerate() {
        for (j, &y) in b.iter().enumerate() {
            acc[i + j] += x as u32 * y as u32;
        }
        // Keep the accumulators small.
        let mut carry = 0;
        for v in acc.iter_mut() {
            let s = *v + carry;
            *v = s % 10;
            carry = s / 10;
        }
    }
    mag_trim(acc.into_iter().map(|d| d as u8).collect())
}

/// Long division in base 10: (quotient, remainder).
fn mag_divmod(num: &[u8], den: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut q = vec![0u8; num.len()];
    let mut r: Vec<u8> = Vec::new();
    for i in (0..num.len()).rev() {
        // r = r * 10 + num[i]
        r.insert(0, num[i]);
        r = mag_trim(r);
        let mut d = 0u8;
        while mag_cmp(&r, den) != Ordering::Less {
            r = mag_sub(&r, den);
            d += 1;
        }
        q[i] = d;
    }
    (mag_trim(q), r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(a: f64, b: f64, f: fn(&Decimal, &Decimal) -> Decimal) -> f64 {
        f(
            &Decimal::from_f64(a).unwrap(),
            &Decimal::from_f64(b).unwrap(),
        )
        .to_f64()
    }

    #[test]
    fn exact_decimal_arithmetic() {
        assert_eq!(op(1.1, 2.2, Decimal::add), 3.3);
        assert_eq!(op(0.3, 0.1, Decimal::sub), 0.2);
        assert_eq!(op(0.1, 0.2, Decimal::mul), 0.02);
        assert_eq!(op(-1.5, 0.25, Decimal::add), -1.25);
        let third = Decimal::from_f64(1.0)
            .unwrap()
            .div(&Decimal::from_f64(3.0).unwrap())
            .unwrap();
        assert_eq!(third.to_f64(), 0.3333333333333333);
        let two_thirds = Decimal::from_f64(2.0)
            .unwrap()
            .div(&Decimal::from_f64(3.0).unwrap())
            .unwrap();
        assert_eq!(two_thirds.to_f64(), 0.6666666666666667);
    }
}
