//! Summaries of samples (quantiles) and the seeded random numbers the
//! bootstrap draws with.
//!
//! The generator is SplitMix64: a few lines, no dependency, and the same
//! stream for the same seed on every machine, so a confidence interval
//! printed today is printed again tomorrow.

/// A seeded pseudo-random stream (SplitMix64).
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform index below `n` (`n > 0`), by multiply-and-shift: no
    /// modulo bias worth the name for the sizes drawn here.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

/// The `q`-quantile (0 to 1) of a sorted, non-empty sample, interpolating
/// linearly between neighbours; 0 for an empty sample.
pub(crate) fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => 0.0,
        1 => sorted[0],
        n => {
            let at = q.clamp(0.0, 1.0) * (n - 1) as f64;
            let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
            sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo as f64)
        }
    }
}

/// Sorts a sample for [`quantile`]; NaN (which no timing or F1 produces)
/// would sort last.
pub(crate) fn sorted(mut xs: Vec<f64>) -> Vec<f64> {
    xs.sort_by(f64::total_cmp);
    xs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_draws_within_range() {
        let draw = |seed| {
            let mut r = Rng::new(seed);
            (0..100).map(|_| r.below(7)).collect::<Vec<_>>()
        };
        assert_eq!(draw(3), draw(3));
        assert_ne!(draw(3), draw(4));
        assert!(draw(3).iter().all(|&i| i < 7));
        assert!((0..7).all(|i| draw(3).contains(&i)), "every index is drawn");
    }

    #[test]
    fn quantiles_interpolate() {
        let xs = sorted(vec![4.0, 1.0, 3.0, 2.0]);
        assert_eq!(quantile(&xs, 0.0), 1.0);
        assert_eq!(quantile(&xs, 1.0), 4.0);
        assert_eq!(quantile(&xs, 0.5), 2.5);
        assert_eq!(quantile(&[], 0.5), 0.0);
    }
}
