//! Timings and their statistics: one [`Stat`] per operation (milliseconds), the
//! median and p95 the tables print, and the ways a measurement is taken ([`timed`] for
//! one call, [`Laps`] for the parts of one call in turn).
//!
//! Invariants: a timing covers only the measured call (set-up happens before the clock
//! starts); an empty `Stat` has a NaN median and p95, printed as "–" by [`ms`], never a
//! panic; the p95 is the nearest-rank value (ceil(0.95·n)-th smallest).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::Res;

/// Timings of one operation, in milliseconds.
#[derive(Default, Clone)]
pub struct Stat(pub Vec<f64>);

/// Timings by operation key (see `markdown::OPERATIONS`).
pub type Timings = BTreeMap<&'static str, Stat>;

impl Stat {
    pub fn push(&mut self, d: Duration) {
        self.0.push(d.as_secs_f64() * 1000.0);
    }
    fn sorted(&self) -> Vec<f64> {
        let mut v = self.0.clone();
        v.sort_by(f64::total_cmp);
        v
    }
    pub fn median(&self) -> f64 {
        let v = self.sorted();
        if v.is_empty() {
            return f64::NAN;
        }
        v[v.len() / 2]
    }
    pub fn p95(&self) -> f64 {
        let v = self.sorted();
        if v.is_empty() {
            return f64::NAN;
        }
        let i = ((v.len() as f64) * 0.95).ceil() as usize;
        v[i.saturating_sub(1).min(v.len() - 1)]
    }
}

/// Median of `ours` over median of `raw`; NaN without a raw baseline.
pub fn ratio(ours: &Stat, raw: Option<&Stat>) -> f64 {
    raw.map_or(f64::NAN, |r| ours.median() / r.median())
}

/// A figure in milliseconds as the tables print it: "–" for none, fewer decimals as it grows.
pub fn ms(x: f64) -> String {
    if x.is_nan() {
        "–".into()
    } else if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

/// Run `f` once and add its duration to `stat`; a failed call records nothing.
pub async fn timed<F, Fut, T>(stat: &mut Stat, f: F) -> Res<T>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Res<T>>,
{
    let t = Instant::now();
    let out = f().await?;
    stat.push(t.elapsed());
    Ok(out)
}

/// The parts of one composite call timed in turn: each [`Laps::lap`] records the time
/// since the previous lap under its key; [`Laps::total`] records the whole.
pub struct Laps {
    start: Instant,
    part: Instant,
}

impl Laps {
    pub fn start() -> Self {
        let now = Instant::now();
        Self {
            start: now,
            part: now,
        }
    }
    pub fn lap(&mut self, st: &mut Timings, key: &'static str) {
        st.entry(key).or_default().push(self.part.elapsed());
        self.part = Instant::now();
    }
    pub fn total(self, st: &mut Timings, key: &'static str) {
        st.entry(key).or_default().push(self.start.elapsed());
    }
}
