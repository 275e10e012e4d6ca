//! The benchmarks' summary of a series of measurements.

/// A series of measurements, sorted.
pub struct Sorted(Vec<f64>);

impl Sorted {
    pub fn new(mut values: Vec<f64>) -> Sorted {
        values.sort_by(f64::total_cmp);
        Sorted(values)
    }

    /// The nearest-rank `q` quantile (0.5 the median, 0.99 the p99); 0 for no values.
    pub fn percentile(&self, q: f64) -> f64 {
        let rank = ((self.0.len() as f64 * q).ceil() as usize).saturating_sub(1);
        self.0.get(rank).copied().unwrap_or(0.0)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

#[cfg(test)]
mod tests {
    use super::Sorted;

    #[test]
    fn nearest_rank_percentiles() {
        let series = Sorted::new((1..=100).rev().map(f64::from).collect());
        assert_eq!(series.percentile(0.5), 50.0);
        assert_eq!(series.percentile(0.99), 99.0);
        assert_eq!(series.percentile(1.0), 100.0);
        assert_eq!(Sorted::new(vec![3.0, 1.0, 2.0]).percentile(0.5), 2.0);
        assert_eq!(Sorted::new(Vec::new()).percentile(0.5), 0.0);
    }
}
